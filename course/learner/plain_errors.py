"""Plain words for the mistakes beginners make, shown instead of Python's traceback.

Installed in the learner's kernel by the setup cell (importing `course.learner.check`),
only in a real Jupyter kernel: it changes what an error *looks like*, never whether a cell
failed. The cell still ends in error (nbgrader scores it, Validate lists it); only the
traceback text is replaced by one or two sentences that say what to change. The course
grader does not use it: its verdicts are made in a process learner code cannot reach.

`explain(error, frames)` is a plain function, unit-tested without a kernel.
"""

from __future__ import annotations

import ast
import difflib
import re
import sys
import types
from typing import Any

from .language import N_, _

RED, RESET = "\x1b[1;31m", "\x1b[0m"


class PlainMessage(Exception):
    """Mixed into the course's own errors for learners (a check that fails, settings the
    model cannot read): IPython shows `_render_traceback_` instead of a traceback, so the
    learner, and nbgrader's Validate dialog, read one sentence and no course code."""

    label = N_("Not right yet.")

    def _render_traceback_(self):
        return shown(f"✗ {_(self.label)}", str(self))


def shown(label: str, message: str, width: int = 96) -> list[str]:
    """The lines IPython shows for a plain message: the label in red, the message wrapped,
    because nbgrader's Validate dialog does not wrap long lines."""
    import textwrap

    lines = textwrap.wrap(f"{label} {message}", width=width, break_on_hyphens=False) or [label]
    return [lines[0].replace(label, f"{RED}{label}{RESET}", 1)] + lines[1:]
HANDLED = (NameError, KeyError, TypeError, AttributeError, IndexError, ValueError, ZeroDivisionError)


def _names_like(word: str, names: list[str]) -> list[str]:
    lowered = {n.lower(): n for n in names}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return [lowered[word.lower()]]
    return difflib.get_close_matches(word, names, n=3, cutoff=0.6)


def _listing(names: list[Any], limit: int = 12) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (", ..." if len(names) > limit else "")


def _user_frame(tb: types.TracebackType | None) -> types.FrameType | None:
    """The innermost frame of the learner's own cell (IPython names cells <ipython-input-…>
    or a temporary file under ipykernel)."""
    frame = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith("<ipython-input") or "ipykernel_" in filename or filename.startswith("<cell"):
            frame = tb.tb_frame
        tb = tb.tb_next
    return frame


def _table_in_frames(tb: types.TracebackType | None):
    """The pandas table whose column lookup failed, if the error came from one."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    while tb is not None:
        candidate = tb.tb_frame.f_locals.get("self")
        if type(candidate) is pd.DataFrame:
            return candidate
        # table.groupby(...)["column"]: the grouped table's own columns
        grouped = getattr(candidate, "obj", None) if type(candidate).__name__ == "DataFrameGroupBy" else None
        if type(grouped) is pd.DataFrame:
            return grouped
        tb = tb.tb_next
    return None


def _dict_with_key(frame: types.FrameType | None, missing: Any) -> tuple[str, dict] | None:
    """In the learner's failing line, the dictionary `name[missing]` that lacks the key."""
    if frame is None:
        return None
    import linecache

    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    try:
        tree = ast.parse(line.rstrip(":") or "pass")
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            index = node.slice
            if isinstance(index, ast.Constant) and index.value == missing:
                value = frame.f_locals.get(node.value.id, frame.f_globals.get(node.value.id))
                if type(value) is dict:
                    return node.value.id, value
    return None


def explain(error: BaseException, tb: types.TracebackType | None = None,
            known_names: list[str] | None = None) -> str | None:
    """One or two plain sentences for a common beginner mistake, or None for any other
    error (which then keeps Python's own message)."""
    kind, text = type(error), str(error)
    known_names = known_names or []

    if kind is NameError:
        match = re.search(r"name '([^']+)' is not defined", text)
        if not match:
            return None
        word = match.group(1)
        similar = [n for n in _names_like(word, known_names) if n != word]
        if similar:
            return _("Python does not know the name `{word}`. Did you mean `{similar}`? "
                     "Names must be written exactly, capitals included.").format(word=word, similar=similar[0])
        return _("Python does not know the name `{word}`. If you meant the text {word}, put it in quotes: "
                 "\"{word}\". If it is made in an earlier cell, run that cell first (or Run All from the top).").format(
            word=word)

    if kind is KeyError:
        missing = error.args[0] if error.args else None
        if type(missing) is str:
            found = re.match(r"Columns? not found: (.*)$", missing)
            if found:  # pandas' message for a grouped table
                missing = found.group(1).strip().strip("'")
        table = _table_in_frames(tb)
        if table is not None:
            columns = [str(c) for c in table.columns]
            similar = _names_like(str(missing), columns)
            tip = " " + _("Did you mean {name}?").format(name=repr(similar[0])) if similar else ""
            return _("The table has no column {missing}.{tip} Its columns are: {columns}. "
                     "Column names are written exactly, in quotes.").format(
                missing=repr(missing), tip=tip, columns=_listing(columns))
        found = _dict_with_key(_user_frame(tb), missing)
        if found:
            name, mapping = found
            keys = list(mapping)
            similar = _names_like(str(missing), [str(k) for k in keys])
            tip = " " + _("Did you mean {name}?").format(name=repr(similar[0])) if similar else ""
            return _("`{name}` has no key {missing}.{tip} Its keys are: {keys}. "
                     "Keys are written exactly, capitals included.").format(
                name=name, missing=repr(missing), tip=tip, keys=_listing(keys))
        return _("There is no key (or column) {missing} here. Check its spelling and capitals "
                 "against the table or dictionary you are reading.").format(missing=repr(missing))

    if kind is TypeError:
        if "Invalid comparison between" in text and "str" in text or "'<' not supported between instances of" in text \
                or "'>' not supported between instances of" in text:
            return _("You are comparing numbers with text. A number in quotes, like \"90\", is text: "
                     "write numbers without quotes (90), and words with quotes (\"work\").")
        if "'ellipsis'" in text:
            return _("This uses an answer that is still `...`: answer the exercise above first "
                     "(replace its ... and run that cell), then run this cell again.")
        if "'NoneType'" in text:
            return _("This uses a value that is empty (None): check that the answer above holds a value "
                     "(a line like `name = ...` with your answer after the =) and run it again.")
        if "list indices must be integers" in text:
            return _("This is a list, and a list is read by position (0, 1, ...), not by name. If you meant "
                     "a dictionary, write it with curly brackets: {\"key\": \"value\"}.")
        if "string indices must be integers" in text:
            return _("This is a text, not a dictionary or a table, so it cannot be read by a name in "
                     "square brackets. Check which value you meant to use.")
        if "object is not callable" in text:
            return _("Round brackets after a value call it like a function. If you meant to pick an item, "
                     "use square brackets: table[\"column\"].")
        if "can only concatenate str" in text or "unsupported operand type" in text:
            return _("Text and numbers cannot be added together. Put quotes around both or around neither.")
        return None

    if kind is AttributeError:
        match = re.search(r"'(\w+)' object has no attribute '(\w+)'", text)
        if match and match.group(1) in ("list", "str", "int", "float", "tuple", "dict", "ellipsis", "NoneType"):
            what = {"list": _("a list"), "str": _("a text"), "int": _("a number"), "float": _("a number"),
                    "tuple": _("a tuple"), "dict": _("a dictionary"), "ellipsis": _("an unanswered `...`"),
                    "NoneType": _("an empty value (None)")}[match.group(1)]
            return _("`.{attribute}` does not work on {what}. Check that the value is the kind this "
                     "exercise asks for (a dictionary is written {{\"key\": \"value\"}}, "
                     "a list [\"a\", \"b\"]).").format(
                attribute=match.group(2), what=what)
        return None

    if kind is IndexError and "out of range" in text:
        return _("This asks for an item past the end of a list or table. Positions start at 0: the first item is [0].")

    if kind is ZeroDivisionError:
        return _("This divides by zero: a count used as divisor is 0. Check the filter above it keeps some rows.")

    return None


def explain_syntax(error: SyntaxError) -> str:
    """Plain words for a line Python cannot read."""
    text = (error.msg or "").lower()
    where = " " + _("(line {number})").format(number=error.lineno) if error.lineno else ""
    if "unterminated string" in text or "eol while scanning" in text or "unterminated triple" in text:
        message = _("A text is missing its closing quote{where}. Every text starts and ends with the same "
                    "quote: \"LinkedIn\".")
    elif "was never closed" in text or "unexpected eof" in text or "incomplete input" in text:
        message = _("A bracket opened{where} is never closed. If you pasted code, check you copied it whole, "
                    "down to its last bracket.")
    elif "unmatched" in text or "does not match" in text:
        message = _("A closing bracket{where} has no opening bracket to match: check the brackets pair up.")
    elif "indent" in text:
        message = _("The spaces at the start of a line{where} are off: line it up with the lines around it.")
    elif "perhaps you forgot a comma" in text or "invalid syntax" in text:
        message = _("Python cannot read this line{where}. Look for a missing comma between items, missing quotes "
                    "around a text, or a single = where == (compare) was meant.")
    elif "cannot assign" in text or "maybe you meant '=='" in text:
        message = _("Python cannot read this line{where}: use == to compare and a single = to give a name.")
    else:
        message = _("Python cannot read this line{where}: {error}.")
    return message.format(where=where, error=error.msg)


def install(shell) -> bool:
    """Show plain messages in this Jupyter kernel; True if installed. Only ipykernel's own
    shell is changed: any other shell (the course grader's, a test's) keeps its behaviour."""
    if type(shell).__module__ != "ipykernel.zmqshell" or getattr(shell, "_course_plain_errors", False):
        return False

    def public_names() -> list[str]:
        return [n for n in shell.user_ns if not n.startswith("_")]

    def handler(self, etype, value, tb, tb_offset=None):
        message = None
        try:
            message = explain(value, tb, public_names())
        except Exception:  # a plain message is a nicety: never hide the error itself
            message = None
        if message is None:
            self.showtraceback((etype, value, tb), tb_offset=tb_offset)
            return None
        self._showtraceback(etype, value, shown(f"{etype.__name__}:", message))
        return None

    original_syntax = shell.showsyntaxerror

    def showsyntaxerror(filename=None, running_compiled_code=False):
        etype, value, _ = sys.exc_info()
        if not isinstance(value, SyntaxError):
            return original_syntax(filename, running_compiled_code)
        shell._showtraceback(etype, value, shown(f"{etype.__name__}:", explain_syntax(value)))

    shell.set_custom_exc(HANDLED, handler)
    shell.showsyntaxerror = showsyntaxerror
    shell._course_plain_errors = True
    return True


def install_in_kernel() -> bool:
    # A kernel has IPython loaded already; a trainer's command never pays for importing it.
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return install(shell) if shell is not None else False
