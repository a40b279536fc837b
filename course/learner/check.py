"""Checks used by the test cells of the notebooks.

Each check raises `AnswerError` (an AssertionError, which nbgrader scores as a failed
test) with a message written for a learner who does not program: what is wrong, and
what to do. Every check returns None, silently: nbgrader reads a number left as a test
cell's last value as partial credit, and anything on stderr as a failure.

Comparisons never trust the learner's object: the type is checked first, exactly
(`type(x) is str`, not isinstance), so an object whose `__eq__` always says True, or a
subclass of str with a doctored `__eq__`, is refused before any comparison is made.
"""

from __future__ import annotations

import math
import sys
from pathlib import PurePath
from typing import Any, Iterable

from .language import N_, _
from .plain_errors import PlainMessage
from .words_fr import english

__all__ = [
    "AnswerError",
    "normalise",
    "typed_word",
    "whole_number",
    "key",
    "answer",
    "answer_items",
    "answer_each",
    "right",
    "answered",
    "is_type",
    "equal",
    "same_items",
    "one_of",
    "has_keys",
    "number_close",
    "table_columns",
    "same_table",
]


class AnswerError(PlainMessage, AssertionError):
    """A learner's answer is not right yet; the message says why in plain words (shown
    without a traceback, see `plain_errors.PlainMessage`)."""


_TYPE_WORDS = {
    str: N_('a text in quotes, like "LinkedIn"'),
    int: N_("a whole number, like 3"),
    float: N_("a number, like 2.5"),
    bool: N_("True or False"),
    list: N_('a list in square brackets, like ["a", "b"]'),
    tuple: N_('a tuple in round brackets, like ("a", "b")'),
    dict: N_('a dictionary in curly brackets, like {"key": "value"}'),
    set: N_('a set in curly brackets, like {"a", "b"}'),
}


def _describe(value: Any) -> str:
    if value is Ellipsis:
        return _("still ... (not answered yet)")
    if value is None:
        return _("None (empty)")
    kind = type(value)
    for t, word in _TYPE_WORDS.items():
        if kind is t:
            # The words before the example ("a text in quotes"): every entry has one comma.
            return _(word).split(",")[0]
    return _library_word(kind) or _("something of type {type}").format(type=kind.__name__)


def _library_word(kind: type) -> str | None:
    """Plain words for the pandas, numpy and pathlib values learners often end up with.
    Only the exact type is looked at: a learner's object cannot pretend to be another."""
    pd, np = sys.modules.get("pandas"), sys.modules.get("numpy")
    if pd is not None and kind is pd.Series:
        return _("a column of a table (a pandas Series; .tolist() turns it into a list)")
    if pd is not None and kind is pd.DataFrame:
        return _("a table (a pandas DataFrame)")
    if np is not None and issubclass(kind, np.bool_):
        return _("a numpy True or False (write bool(...) around it)")
    if np is not None and issubclass(kind, np.integer):
        return _("a numpy whole number (write int(...) around it)")
    if np is not None and issubclass(kind, np.floating):
        return _("a numpy number (write float(...) around it)")
    if issubclass(kind, PurePath):
        return _("a file path (write str(...) around it to get its text)")
    return None


def _fail(message: str) -> None:
    # `from None` keeps the learner's traceback short: only the message matters.
    raise AnswerError(message) from None


def answered(value: Any, name: str) -> None:
    """Fail if the answer is still the `...` placeholder or empty."""
    __tracebackhide__ = True
    if value is Ellipsis:
        _fail(_("You have not answered yet: replace the ... after `{name} =` with your answer, then run that cell "
                "again. If that cell shows a red message, fix what it says first.").format(name=name))
    if value is None:
        _fail(_("`{name}` is empty (None). Write your answer after `{name} =` and run the cell again.").format(
            name=name))


def is_type(value: Any, expected: type | tuple[type, ...], name: str) -> None:
    """Fail unless `type(value)` is exactly `expected` (or one of them)."""
    __tracebackhide__ = True
    answered(value, name)
    kinds = expected if isinstance(expected, tuple) else (expected,)
    if type(value) not in kinds:
        # One example is clearer than a list of alternatives (a list also accepts a tuple).
        wanted = (_("a number, like 3 or 2.5") if set(kinds) == {int, float}
                  else _(_TYPE_WORDS[kinds[0]]) if kinds[0] in _TYPE_WORDS else kinds[0].__name__)
        _fail(_("`{name}` should be {wanted}, but it is {actual}.").format(
            name=name, wanted=wanted, actual=_describe(value)))


def _strict_equal(actual: Any, expected: Any, tol: float = 1e-9) -> bool:
    """Deep equality that checks exact types at every level before comparing."""
    if type(actual) is not type(expected):
        # A whole number where a decimal is expected is fine (3 for 3.0).
        if type(expected) is float and type(actual) is int:
            return math.isclose(actual, expected, rel_tol=tol, abs_tol=tol)
        return False
    if type(expected) is float:
        return math.isclose(actual, expected, rel_tol=tol, abs_tol=tol)
    if type(expected) in (str, int, bool, type(None)):
        return actual == expected
    if type(expected) in (list, tuple):
        return len(actual) == len(expected) and all(
            _strict_equal(a, e, tol) for a, e in zip(actual, expected)
        )
    if type(expected) is dict:
        if not all(type(k) in (str, int, bool, tuple) for k in actual):
            return False
        return set(actual) == set(expected) and all(
            _strict_equal(actual[k], expected[k], tol) for k in expected
        )
    if type(expected) in (set, frozenset):
        if not all(type(x) in (str, int, bool, float, tuple) for x in actual):
            return False
        return set(actual) == set(expected)
    raise TypeError(f"check.equal cannot compare values of type {type(expected).__name__}")


def equal(actual: Any, expected: Any, message: str, tol: float = 1e-9) -> None:
    """Fail with `message` unless `actual` equals `expected`, types included."""
    __tracebackhide__ = True
    if not _strict_equal(actual, expected, tol):
        _fail(message)


def same_items(actual: Any, expected: Iterable[Any], name: str, what: str | None = None) -> None:
    """Fail unless `actual` (a list, tuple or set) holds the same items as `expected`,
    in any order. The message names what is missing and what should not be there."""
    __tracebackhide__ = True
    is_type(actual, (list, tuple, set), name)
    what = _("items") if what is None else what
    expected = list(expected)
    allowed = {type(e) for e in expected} or {str}
    odd = [a for a in actual if type(a) not in allowed]
    if odd:
        _fail(_("`{name}` contains {item}, which is not one of the {what} this exercise asks for.").format(
            name=name, item=repr(odd[0]), what=what))
    missing = [e for e in expected if e not in set(actual)]
    extra = sorted({a for a in actual if a not in set(expected)}, key=repr)
    if missing and extra:
        text = _("`{name}` does not hold the right {what} yet (missing: {missing}; should not be there: {extra}).")
    elif missing:
        text = _("`{name}` does not hold the right {what} yet (missing: {missing}).")
    elif extra:
        text = _("`{name}` does not hold the right {what} yet (should not be there: {extra}).")
    if missing or extra:
        _fail(text.format(name=name, what=what, missing=", ".join(map(repr, missing)),
                          extra=", ".join(map(repr, extra))))
    if type(actual) in (list, tuple) and len(actual) != len(set(actual)):
        _fail(_("`{name}` lists some {what} twice: keep each one once.").format(name=name, what=what))


def one_of(value: Any, choices: Iterable[Any], name: str) -> None:
    """Fail unless `value` is exactly one of `choices` (for multiple-choice answers)."""
    __tracebackhide__ = True
    choices = list(choices)
    answered(value, name)
    if not any(type(value) is type(c) and value == c for c in choices):
        listed = ", ".join(repr(c) for c in choices)
        _fail(_("`{name}` should be one of {choices} (copy it exactly, quotes included); it is {value}.").format(
            name=name, choices=listed, value=repr(value)))


def has_keys(value: Any, keys: Iterable[str], name: str) -> None:
    """Fail unless `value` is a dict with exactly these keys."""
    __tracebackhide__ = True
    is_type(value, dict, name)
    keys = list(keys)
    missing = [k for k in keys if k not in value]
    extra = [k for k in value if k not in keys]
    if missing:
        _fail(_("`{name}` is missing the key(s) {keys}.").format(name=name, keys=", ".join(map(repr, missing))))
    if extra:
        _fail(_("`{name}` has key(s) this exercise does not use: {keys}.").format(
            name=name, keys=", ".join(map(repr, extra))))


def number_close(value: Any, expected: float, message: str, tol: float = 0.01) -> None:
    """Fail with `message` unless `value` is a plain number within `tol` of `expected`."""
    __tracebackhide__ = True
    if type(value) not in (int, float) or isinstance(value, bool):
        # numpy numbers are fine too, as long as they are real numbers.
        try:
            import numpy as np

            if not isinstance(value, (np.integer, np.floating)):
                raise TypeError
            value = float(value)
        except (ImportError, TypeError):
            _fail(_("The answer should be a number, but it is {actual}.").format(actual=_describe(value)))
    if not math.isclose(float(value), float(expected), rel_tol=tol, abs_tol=tol):
        _fail(message)


def table_columns(table: Any, columns: Iterable[str], name: str) -> None:
    """Fail unless `table` is a pandas DataFrame with these columns."""
    __tracebackhide__ = True
    import pandas as pd

    answered(table, name)
    if type(table) is not pd.DataFrame:
        _fail(_("`{name}` should be a table (a pandas DataFrame), but it is {actual}.").format(
            name=name, actual=_describe(table)))
    missing = [c for c in columns if c not in table.columns]
    if missing:
        _fail(_("The table `{name}` has no column {columns}.").format(name=name, columns=", ".join(map(repr, missing))))


def same_table(actual: Any, expected: Any, name: str, message: str) -> None:
    """Fail with `message` unless two pandas objects hold the same values
    (row and column order and dtypes are ignored; numbers to 1e-6)."""
    __tracebackhide__ = True
    import pandas as pd

    answered(actual, name)
    if type(actual) is not type(expected) or type(expected) not in (pd.DataFrame, pd.Series):
        _fail(_("`{name}` should be a pandas {type}, but it is {actual}.").format(
            name=name, type=type(expected).__name__, actual=_describe(actual)))
    try:
        a, e = actual, expected
        if type(e) is pd.DataFrame:
            a = a.reindex(index=e.index, columns=e.columns)
            pd.testing.assert_frame_equal(a, e, check_dtype=False, check_names=False, atol=1e-6)
        else:
            a = a.reindex(index=e.index)
            pd.testing.assert_series_equal(a, e, check_dtype=False, check_names=False, atol=1e-6)
        if set(map(str, actual.index)) != set(map(str, expected.index)):
            raise AssertionError
    except (AssertionError, TypeError, ValueError):
        _fail(message)


def right(note: str = "") -> None:
    """Print the verdict after the visible checks of a test cell pass: they reject every
    answer the grade would reject, so passing them means the answer is right."""
    print("✓ " + _("Right.") + (f" {note}" if note else ""))


# --- One normalisation rule, and answer keys ------------------------------------------
#
# Visible checks must reject every answer the grade rejects, without showing the answer.
# They compare a digest of the learner's normalised answer with the digest of the right
# one (an answer key, written in the test cell). Hidden tests then re-check from other
# angles (recomputed from the data, types, consistency), with the same `normalise`.

def _plain_scalar(value: Any) -> Any:
    """numpy scalars become Python values; anything else is returned as is."""
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return float(value)
    return value


def typed_word(value: Any) -> Any:
    """The rule for a typed word: case and surrounding spaces do not count, and runs of
    inner spaces count as one; a French word of the course's vocabulary counts as its English
    value (words_fr.py: "amis" is "friends"). Anything but a str is returned as it is."""
    if type(value) is not str:
        return value
    return " ".join(english(value).split()).casefold()


def whole_number(value: Any) -> Any:
    """A number written 19.0 is the whole number 19; anything else is returned as it is."""
    return int(value) if type(value) is float and value.is_integer() else value


def normalise(value: Any) -> Any:
    """The course's one rule for comparing typed answers, used by visible and hidden tests:
    text ignores case and surrounding spaces (and runs of inner spaces count as one); a
    number written 6.0 is the whole number 6; other numbers are rounded to 6 decimals;
    lists and tuples are lists; sets are sorted lists; dict keys are normalised like text;
    a pandas column (Series) is a dict of its index to its values; a table (DataFrame) is a
    sorted list of its rows, each a dict of column to value (the row index is ignored).
    Only plain types are accepted, checked exactly: a learner's object never runs code here."""
    value = _plain_scalar(value)
    kind = type(value)
    if value is None or value is Ellipsis or kind is bool:
        return value
    if kind is str:
        return typed_word(value)
    if kind is int:
        return value
    if kind is float:
        if math.isnan(value) or math.isinf(value):
            return repr(value)
        return whole_number(value) if value.is_integer() else round(value, 6)
    if kind in (list, tuple):
        return [normalise(v) for v in value]
    if kind in (set, frozenset):
        return sorted((normalise(v) for v in value), key=_canonical)
    if kind is dict:
        out = {}
        for k, v in value.items():
            k = _plain_scalar(k)
            if type(k) not in (str, int, bool, float, tuple):
                _fail(_("A key of the dictionary is {actual}; keys should be texts in quotes or numbers.").format(
                    actual=_describe(k)))
            out[normalise(k) if type(k) is not tuple else tuple(normalise(list(k)))] = normalise(v)
        return out
    pd = sys.modules.get("pandas")
    if pd is not None and kind is pd.Series:
        return {_index_key(k): normalise(v) for k, v in zip(value.index.tolist(), value.tolist())}
    if pd is not None and kind is pd.DataFrame:
        columns = [normalise(c) if type(c) is str else c for c in value.columns.tolist()]
        rows = [dict(zip(columns, (normalise(v) for v in row))) for row in value.itertuples(index=False, name=None)]
        return sorted(rows, key=_canonical)
    if isinstance(value, PurePath):
        return normalise(str(value))
    _fail(_("The answer should be plain values (texts, numbers, lists, dictionaries), but it holds {actual}.").format(
        actual=_describe(value)))


def _index_key(k: Any) -> Any:
    k = _plain_scalar(k)
    if type(k) is str:
        return normalise(k)
    if type(k) in (int, bool):
        return k
    if type(k) is float:
        return normalise(k)
    return str(k)


def _canonical(value: Any) -> str:
    """A text that is the same for equal normalised values (dict order ignored)."""
    import json

    def plain(v):
        if type(v) is dict:
            return ["{}"] + sorted(([plain(k), plain(x)] for k, x in v.items()), key=repr)
        if type(v) in (list, tuple):
            return [plain(x) for x in v]
        if v is Ellipsis:
            return "..."
        return v

    return json.dumps(plain(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def key(name: str, value: Any) -> str:
    """The answer key of `value` for the answer called `name`: a digest of its normalised
    form, salted with the name, so that the key in a test cell does not show the answer.
    Authors compute it from the model answer: `check.key("work_network", "LinkedIn")`."""
    import hashlib

    text = name + "\x00" + _canonical(normalise(value))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _keys(keys: str | Iterable[str]) -> set[str]:
    return {keys} if type(keys) is str else set(keys)


def answer(value: Any, name: str, kind: type | tuple[type, ...] | None, keys: str | Iterable[str],
           hint: str, *, unordered: bool = False, hints: dict[str, str] | None = None) -> None:
    """Fail with `hint` unless the normalised `value` is one of the accepted answers.

    `kind`: the type(s) the answer must have (None: any plain value); `keys`: the answer
    key(s) of every accepted answer (`key(name, answer)`); `unordered`: a list whose order
    does not matter (it is compared as a sorted list); `hints`: a message for a known wrong
    answer, by its key, said instead of `hint`."""
    __tracebackhide__ = True
    answered(value, name)
    if kind is not None:
        is_type(value, kind, name)
    if unordered:
        is_type(value, (list, tuple, set), name)
        value = sorted((normalise(v) for v in value), key=_canonical)
    digest = key(name, value)
    if digest not in _keys(keys):
        _fail((hints or {}).get(digest, hint))


def answer_items(value: Any, name: str, item_keys: Iterable[str], what: str, hint: str = "") -> None:
    """Fail unless the list (or set) `value` holds exactly the accepted items, in any order.
    Each item's key is `key(name + "[]", item)`. The message names the learner's items that
    should not be there and says how many are missing, without naming those."""
    __tracebackhide__ = True
    answered(value, name)
    is_type(value, (list, tuple, set), name)
    accepted = set(item_keys)
    items = list(value)
    for item in items:
        if type(_plain_scalar(item)) not in (str, int, float, bool):
            _fail(_("Each item of `{name}` should be a text in quotes or a number, but one is {actual}.").format(
                name=name, actual=_describe(item)))
    digests = [key(name + "[]", item) for item in items]
    if len(set(digests)) != len(digests):
        _fail(_("`{name}` lists some {what} twice: keep each one once.").format(name=name, what=what))
    wrong = ", ".join(map(repr, [item for item, d in zip(items, digests) if d not in accepted]))
    missing = len(accepted - set(digests))
    if wrong and missing:
        text = _("{items} should not be in `{name}`; still missing: {count} of the {what}.")
    elif wrong:
        text = _("{items} should not be in `{name}`.")
    elif missing:
        text = _("Still missing: {count} of the {what}.")
    if wrong or missing:
        _fail(text.format(items=wrong, name=name, count=missing, what=what) + (f" {hint}" if hint else ""))


def answer_each(value: Any, name: str, entry_keys: dict[Any, str | Iterable[str]], hint: str = "",
                *, hints: dict[Any, str] | None = None) -> None:
    """Fail unless the dict `value` has exactly the keys of `entry_keys` (compared after
    normalisation) and each entry is accepted: the key of entry `k` is
    `key(f"{name}[{k}]", value[k])`. The message names the entries that are not right yet;
    `hints` gives a message for an entry, `hint` a general one."""
    __tracebackhide__ = True
    answered(value, name)
    is_type(value, dict, name)
    expected = {normalise(k) if type(k) is str else k: (k, keys) for k, keys in entry_keys.items()}
    given: dict[Any, Any] = {}
    for k, v in value.items():
        nk = normalise(k) if type(k) is str else _plain_scalar(k)
        if nk in given:
            _fail(_("`{name}` has the key {key} twice (keys are compared without capitals or spaces).").format(
                name=name, key=repr(k)))
        given[nk] = (k, v)
    missing = [orig for nk, (orig, _keys) in expected.items() if nk not in given]
    extra = [orig for nk, (orig, _value) in given.items() if nk not in expected]
    if missing:
        _fail(_("`{name}` is missing the key(s) {keys}.").format(name=name, keys=", ".join(map(repr, missing))))
    if extra:
        _fail(_("`{name}` has key(s) this exercise does not use: {keys}.").format(
            name=name, keys=", ".join(map(repr, extra))))
    not_yet = []
    for nk, (orig, keys) in expected.items():
        entry = given[nk][1]
        if entry is Ellipsis:
            _fail(_("The entry {entry} of `{name}` has no answer yet: replace its ... with your answer.").format(
                entry=repr(orig), name=name))
        if key(f"{name}[{orig}]", entry) not in _keys(keys):
            not_yet.append(orig)
    if not_yet:
        first = (hints or {}).get(not_yet[0], hint)
        text = (_("The answer for {entries} in `{name}` is not right.") if len(not_yet) == 1
                else _("The answers for {entries} in `{name}` are not right."))
        _fail((text.format(entries=", ".join(map(repr, not_yet)), name=name) + " " + first).rstrip())


# In a learner's Jupyter kernel, common Python mistakes are explained in plain words
# instead of a traceback (the setup cell imports this module). Nothing changes elsewhere.
from . import plain_errors as _plain_errors  # noqa: E402

_plain_errors.install_in_kernel()
