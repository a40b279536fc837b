"""Parity of a module's two editions, checked independently of the generator
(course/trainer/translate.py): same cells, same nbgrader metadata, the same code up to the
translated comments and strings, and every catalogue entry translated from the current English.
Also a pseudo-translation, for tests that need a complete catalogue without a translator."""

from __future__ import annotations

import ast
import io
import re
import shutil
import tokenize
from pathlib import Path

from conftest import ROOT

LANGUAGE_LINE = 'from course.learner.language import use_language; use_language("fr")\n'
_MARKER = re.compile(r"^#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")


def tokens(source: str) -> list[tuple[int, str, bool]]:
    """(type, text, shown) of each token; comments and strings keep their type, their text is
    returned separately by `translatable` (Python 3.11: an f-string is one token); `shown` marks
    the words a check shows in its message (the `what` of check.answer_items, 4th argument)."""
    shown = set()
    lines = source.splitlines(keepends=True)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "answer_items":
            for arg in node.args[3:4] + [k.value for k in node.keywords if k.arg == "what"]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    line = lines[arg.lineno - 1].encode("utf-8")
                    shown.add((arg.lineno, len(line[:arg.col_offset].decode("utf-8"))))
    return [(t.type, t.string, t.start in shown) for t in tokenize.generate_tokens(io.StringIO(source).readline)]


def _is_translatable(kind: int, text: str, shown: bool) -> bool:
    return (kind == tokenize.COMMENT and not _MARKER.match(text)) or (kind == tokenize.STRING and (" " in text or shown))


def translatable(source: str) -> list[str]:
    """Comments (but nbgrader's markers), strings holding a space and words a check shows, in order."""
    return [text for kind, text, shown in tokens(source) if _is_translatable(kind, text, shown)]


def masked_tokens(source: str) -> list[tuple[int, str]]:
    return [(kind, "" if _is_translatable(kind, text, shown) else text) for kind, text, shown in tokens(source)]


class _MaskStrings(ast.NodeTransformer):
    def visit_Constant(self, node):
        return ast.Constant("") if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node):
        # A translation may move an f-string's placeholders: keep the expressions, sorted.
        values = sorted((v.value for v in node.values if isinstance(v, ast.FormattedValue)), key=ast.dump)
        return ast.Tuple([self.visit(v) for v in values], ast.Load())


def masked_ast(source: str) -> str:
    return ast.dump(_MaskStrings().visit(ast.parse(source)))


def _messages(catalog) -> dict[str, object]:
    return {m.context: m for m in catalog if m.id and m.context}


def parity_problems(english, french, catalog) -> list[str]:
    """What differs between the English notebook and its French edition beyond translated
    text, and which catalogue entries are missing or stale. Empty: the editions grade alike."""
    problems: list[str] = []
    if len(english.cells) != len(french.cells):
        return [f"{len(english.cells)} English cells, {len(french.cells)} French ones"]
    for key in ("kernelspec", "nbgrader"):
        if english.metadata.get(key) != french.metadata.get(key):
            problems.append(f"notebook metadata {key!r} differs")
    if french.metadata.get("course", {}).get("edition") != "fr":
        problems.append("the French notebook does not say it is the French edition (metadata course.edition)")
    messages = _messages(catalog)
    setup_seen = False
    for index, (en, fr) in enumerate(zip(english.cells, french.cells), start=1):
        where = f"cell {index} [{en.get('id')}]"
        if (en.cell_type, en.get("id")) != (fr.cell_type, fr.get("id")):
            problems.append(f"{where}: kind or id differs ({fr.cell_type} [{fr.get('id')}] in French)")
            continue
        if en.metadata != fr.metadata:
            problems.append(f"{where}: cell metadata differs (grade_id, points, grade, solution, locked or tags)")
        if en.cell_type == "markdown":
            if not en.source.strip():
                continue
            message = messages.get(en.id)
            if message is None or not message.string:
                problems.append(f"{where}: no French for this markdown cell")
            elif message.id != en.source or message.fuzzy:
                problems.append(f"{where}: the French was translated from another English text (stale)")
            elif fr.source != message.string:
                problems.append(f"{where}: the French cell is not the catalogue's translation")
            continue
        if en.cell_type != "code":
            continue
        source = fr.source
        if not setup_seen and source.startswith(LANGUAGE_LINE):
            setup_seen, source = True, source[len(LANGUAGE_LINE):]
        if masked_tokens(en.source) != masked_tokens(source):
            problems.append(f"{where}: the French code differs from the English beyond comments and strings")
            continue
        if masked_ast(en.source) != masked_ast(source):
            problems.append(f"{where}: the French code's syntax tree differs from the English one")
        for n, (english_token, french_token) in enumerate(zip(translatable(en.source), translatable(source))):
            message = messages.get(f"{en.id}:{n}")
            if message is None or not message.string:
                problems.append(f"{where}: no French for {english_token[:40]!r}")
            elif message.id != english_token or message.fuzzy:
                problems.append(f"{where}: the French of {english_token[:40]!r} is stale")
            elif french_token != message.string:
                problems.append(f"{where}: {french_token[:40]!r} is not the catalogue's translation")
    if not setup_seen:
        problems.append("no code cell starts with the line that switches the library's messages to French")
    return problems


def pseudo_translate(catalog) -> None:
    """Fill every entry with a recognisable French stand-in that keeps the code valid."""
    for message in catalog:
        if not message.id:
            continue
        if ":" not in message.context:
            message.string = "[fr] " + message.id
        elif message.id.startswith("#"):
            message.string = "# [fr]" + message.id[1:]
        else:
            message.string = message.id  # strings: the code may compare them
        message.flags.discard("fuzzy")


def course_copy(dest: Path, modules: list[str]) -> Path:
    """A course folder at `dest` with the English sources of `modules` and the course's
    configuration: where a test may translate, generate and release."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    for module in modules:
        shutil.copytree(ROOT / "source" / module, dest / "source" / module)
    return dest
