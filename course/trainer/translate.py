"""`course translate`: the French edition of each module, generated from its English source
notebook and a gettext catalogue, so code, tests, grade_ids and points are the same in both.

One catalogue per module, translations/fr/NN-slug.po, read and written with Babel. Entries:
- a markdown cell: msgctxt = the cell id, msgid = the whole English cell, msgstr = the French cell;
- a code cell: each comment and each string literal holding a space (hints, printed sentences,
  comments in answer templates), in the cell's order: msgctxt = "<cell id>:<n>", msgid = the raw
  token (quotes or `#` included), msgstr = the French token, itself valid Python of the same kind.
  Strings without a space (column names, setting values, keys) are code and never translated,
  but for the words a check shows in its message (the `what` of check.answer_items).
An entry is missing when its msgstr is empty, stale when it is marked fuzzy: `--update` marks it
so when the English changed, keeping the old translation and the old English (`#| msgid`).

The French notebook, source/NN-slug-fr/NN-slug-fr.ipynb, is generated: a copy of the English one
with the markdown cells replaced and the code tokens replaced in place (a cell with no entry is
byte for byte the English cell), and a first line in the setup cell that turns the library's
messages to French. It is committed and never edited by hand; `course translate --check` and
`course release` fail when it differs from what the catalogue gives.
"""

from __future__ import annotations

import argparse
import ast
import copy
import io
import re
import tokenize
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..coursedir import (FRENCH, CourseError, assignments, edition_name, find_root, module_of,
                         resolve_assignments, source_notebook)

CATALOGUE_DIR = Path("translations")
# The setup cell's first line in a generated edition: every library message in French.
LANGUAGE_LINE = 'from course.learner.language import use_language; use_language("{code}")'
# nbgrader's markers are read by nbgrader, not by people: never translated.
_NBGRADER_MARKER = re.compile(r"^#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")
_PO_LINE = re.compile(r'^\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python 3.12+: an f-string is several tokens
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)
PROJECT = "social-media-accounts"
HEADER = """\
# French edition of {module} ({title}).
# Written by `course translate --update` from the English notebook: translate the msgstr lines
# only (Poedit or any text editor). An empty msgstr is missing; a "fuzzy" one is stale (the
# English changed: compare with the "#| msgid" lines, fix the French, remove the fuzzy flag).
# Then run `course translate` to generate source/{module}-fr/. See docs/translating.md."""
MARKDOWN, COMMENT, STRING = "markdown", "comment", "string"
HINTS = {
    MARKDOWN: "Markdown cell: translate the whole cell; keep the Markdown (headings, lists, links, tables).",
    COMMENT: "Python comment: keep the leading #, on one line.",
    STRING: "Python string: keep the quotes (and any {...} of an f-string). If the code compares it "
            "(a setting, a column, a key), copy it unchanged.",
}


@dataclass(frozen=True)
class Entry:
    """One translatable piece of an English notebook."""
    context: str                 # msgctxt: the cell id, or "<cell id>:<n>" for a code token
    english: str                 # msgid
    kind: str                    # MARKDOWN, COMMENT or STRING
    cell: int                    # index of the cell in the notebook
    span: tuple[int, int] | None = None  # a token's characters in the cell's source

    def first_words(self, count: int = 8) -> str:
        words = self.english.split()
        return " ".join(words[:count]) + (" ..." if len(words) > count else "")


def translatable_tokens(source: str) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, text) of each comment and each string literal holding a space in a
    code cell's source, with character offsets. Raises CourseError if the cell is not Python."""
    lines: list[str] = []
    reader = io.StringIO(source).readline

    def readline() -> str:
        line = reader()
        lines.append(line)
        return line

    found: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    depth, fstring_start = 0, None
    try:
        for tok in tokenize.generate_tokens(readline):
            if _FSTRING_START is not None and tok.type == _FSTRING_START:
                depth += 1
                if depth == 1:
                    fstring_start = tok.start
            elif _FSTRING_END is not None and tok.type == _FSTRING_END:
                depth -= 1
                if depth == 0:
                    found.append((STRING, fstring_start, tok.end))
            elif depth:
                continue
            elif tok.type == tokenize.COMMENT and not _NBGRADER_MARKER.match(tok.string):
                found.append((COMMENT, tok.start, tok.end))
            elif tok.type == tokenize.STRING:
                found.append((STRING, tok.start, tok.end))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise CourseError(f"a code cell is not valid Python ({exc}); fix the English notebook first.") from None
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def at(pos: tuple[int, int]) -> int:
        return offsets[pos[0] - 1] + pos[1]

    shown = display_words(source, lines)
    out = []
    for kind, start, end in found:
        text = source[at(start):at(end)]
        if kind == COMMENT or " " in text or start in shown:
            out.append((kind, at(start), at(end), text))
    return out


# Checks whose argument is a word the learner reads in the message, never compared:
# check.answer_items(value, name, keys, what, ...) says "Still missing: 1 of the {what}".
DISPLAY_ARGUMENTS = {"answer_items": (3, "what")}


def display_words(source: str, lines: list[str]) -> set[tuple[int, int]]:
    """(row, column) of each string that a check shows as a word of its message, found with ast:
    offered for translation even without a space ("networks", "letter(s)")."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    shown = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name not in DISPLAY_ARGUMENTS:
            continue
        index, keyword = DISPLAY_ARGUMENTS[name]
        args = [node.args[index]] if len(node.args) > index else []
        args += [k.value for k in node.keywords if k.arg == keyword]
        for arg in args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                # ast counts columns in UTF-8 bytes, tokenize in characters
                line = lines[arg.lineno - 1] if arg.lineno <= len(lines) else ""
                shown.add((arg.lineno, len(line.encode("utf-8")[:arg.col_offset].decode("utf-8", "ignore"))))
    return shown


def entries(nb) -> list[Entry]:
    """The translatable pieces of an English notebook, in order."""
    out: list[Entry] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.strip():
            out.append(Entry(cell.id, cell.source, MARKDOWN, index))
        elif cell.cell_type == "code":
            try:
                tokens = translatable_tokens(cell.source)
            except CourseError as err:
                raise CourseError(f"cell {cell.id}: {err}") from None
            for n, (kind, start, end, text) in enumerate(tokens):
                out.append(Entry(f"{cell.id}:{n}", text, kind, index, (start, end)))
    return out


# ---------------------------------------------------------------- catalogues

def catalogue_path(root: Path, module: str, language: str = FRENCH) -> Path:
    return Path(root) / CATALOGUE_DIR / language / f"{module}.po"


def read_catalogue(path: Path):
    """The Babel Catalog in `path`, or None when there is none yet."""
    from babel.messages.pofile import PoFileError, read_po

    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        # Babel reads an unclosed quote as if the text ended one character early: refuse it.
        if line.strip() and not line.lstrip().startswith("#") and not _PO_LINE.match(line):
            raise CourseError(f"{path} is not a readable PO file (line {number}: {line.strip()[:60]!r}: each text "
                              "is one double-quoted string, with \\\" for a quote inside). Fix it in a PO editor "
                              "(Poedit) or restore it from git.")
    try:
        with path.open("rb") as f:
            catalog = read_po(f, abort_invalid=True)
    except (PoFileError, ValueError) as exc:
        raise CourseError(f"{path} is not a readable PO file ({exc}). Fix it in a PO editor "
                          f"(Poedit) or restore it from git.") from None
    previous = _previous_english(path.read_text(encoding="utf-8"))
    for message in catalog:
        # Babel reads gettext's `#| msgid` lines as translator comments (and drops repeated
        # lines): they are read from the file's text instead.
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        if message.id and message.context in previous:
            message.previous_id = [previous[message.context]]
    return catalog


def _previous_english(text: str) -> dict[str, str]:
    """msgctxt -> the English in the entry's `#| msgid` lines: what a stale translation was
    made from."""
    from babel.messages.pofile import unescape

    out: dict[str, str] = {}
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.splitlines()]
        previous = [ln[2:].strip() for ln in lines if ln.startswith("#|")]
        context = next((ln[len("msgctxt "):] for ln in lines if ln.startswith("msgctxt ")), None)
        if context and previous and previous[0].startswith("msgid "):
            parts = [previous[0][len("msgid "):], *previous[1:]]
            out[unescape(context)] = "".join(unescape(p) for p in parts if p.startswith('"'))
    return out


def catalogue_text(catalog) -> bytes:
    """The PO file of `catalog`. A stale entry's previous English is written as gettext's
    `#| msgid` lines here: Babel wraps them as one comment, which no reader parses back."""
    from babel.messages.pofile import escape, normalize, write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=0, sort_output=False, include_previous=False, ignore_obsolete=True)
    text = buf.getvalue().decode("utf-8")
    for message in catalog:
        if message.id and message.previous_id:
            where = f"\nmsgctxt {escape(message.context)}\n"
            block = f"\n#| msgid {normalize(message.previous_id[0], prefix='#| ', width=0)}"
            text = text.replace(where, block + where, 1)
    return text.encode("utf-8")


def _new_catalogue(module: str, title: str, old):
    from babel.messages.catalog import Catalog

    now = datetime.now(timezone.utc).replace(microsecond=0)
    catalog = Catalog(locale=FRENCH, project=PROJECT, version=module, fuzzy=False,
                      header_comment=HEADER.format(module=module, title=title),
                      creation_date=old.creation_date if old else now,
                      revision_date=old.revision_date if old else now,
                      last_translator=old.last_translator if old else "FULL NAME <EMAIL@ADDRESS>",
                      language_team=old.language_team if old else "French <LL@li.org>")
    return catalog


def _by_context(catalog) -> dict[str, object]:
    return {m.context: m for m in catalog if m.id and m.context} if catalog is not None else {}


def updated_catalogue(module: str, nb, where: str, old):
    """The catalogue for the English notebook `nb`: every entry of `nb`, translated as in `old`
    when the English is unchanged, marked fuzzy (stale) with its old translation and old English
    when the English changed, empty when new. Entries no longer in `nb` are dropped. A piece
    of English that moved (another cell id or position) keeps its translation."""
    from babel.messages.catalog import Message

    title = nb.metadata.get("title") or module
    catalog = _new_catalogue(module, title, old)
    previous = _by_context(old)
    by_english: dict[str, list] = {}
    for message in previous.values():
        if message.string:
            by_english.setdefault(message.id, []).append(message)
    pieces = entries(nb)
    # Exact matches first, then moved English, then changed English at the same place: a
    # translation still in use is never offered as the stale basis of another entry.
    source: dict[str, object] = {e.context: previous[e.context] for e in pieces
                                 if e.context in previous and previous[e.context].id == e.english}
    used = {m.context for m in source.values()}
    for entry in pieces:
        if entry.context not in source:
            moved = next((m for m in by_english.get(entry.english, []) if m.context not in used), None)
            if moved is not None:
                source[entry.context] = moved
                used.add(moved.context)
    for entry in pieces:
        flags: set[str] = set()
        string, previous_id = "", None
        notes: list[str] = []
        old_message = source.get(entry.context)
        if old_message is not None:
            notes = old_message.user_comments
            string, flags = old_message.string, set(old_message.flags)
            previous_id = old_message.previous_id if old_message.fuzzy else None
        else:
            old_message = previous.get(entry.context)
            if old_message is not None and old_message.string and old_message.context not in used:
                notes = old_message.user_comments
                string, flags = old_message.string, set(old_message.flags) | {"fuzzy"}
                # The English the translation was made from: the oldest one if already stale.
                previous_id = old_message.previous_id if old_message.fuzzy and old_message.previous_id \
                    else old_message.id
        flags.discard("python-format")  # Babel guesses it from a %; the course never formats these
        message = Message(entry.english, string, context=entry.context, flags=flags,
                          locations=[(where, entry.cell + 1)], auto_comments=[HINTS[entry.kind]],
                          user_comments=list(notes),  # the translator's own notes
                          previous_id=[previous_id] if previous_id else [])
        message.flags.discard("python-format")
        catalog[entry.english] = message
    return catalog


@dataclass
class Status:
    """How complete one module's catalogue is against its English notebook."""
    module: str
    total: int = 0
    missing: list[Entry] = field(default_factory=list)
    stale: list[Entry] = field(default_factory=list)
    obsolete: int = 0      # entries whose English is gone: `--update` drops them
    no_catalogue: bool = False

    @property
    def translated(self) -> int:
        return self.total - len(self.missing) - len(self.stale)

    @property
    def complete(self) -> bool:
        return not self.no_catalogue and not self.missing and not self.stale

    def summary(self) -> str:
        if self.no_catalogue:
            return f"{self.module}: no French catalogue yet ({self.total} entries to translate)"
        return (f"{self.module}: {self.translated} translated, {len(self.missing)} missing, "
                f"{len(self.stale)} stale (of {self.total})")

    def details(self, root: Path, limit: int = 20) -> list[str]:
        rows = [(e, "missing") for e in self.missing] + [(e, "stale") for e in self.stale]
        rows.sort(key=lambda r: (r[0].cell, r[0].context))
        lines = [f"  {label:7} cell {e.cell + 1} [{e.context}] {e.kind}: {e.first_words()}"
                 for e, label in rows[:limit]]
        if len(rows) > limit:
            lines.append(f"  ... and {len(rows) - limit} more")
        return lines


def status(module: str, nb, catalog) -> Status:
    pieces = entries(nb)
    result = Status(module, total=len(pieces), no_catalogue=catalog is None)
    if catalog is None:
        return result
    previous = _by_context(catalog)
    for entry in pieces:
        message = previous.get(entry.context)
        if message is None or not message.string:
            result.missing.append(entry)
        elif message.id != entry.english or message.fuzzy:
            result.stale.append(entry)
    wanted = {e.context for e in pieces}
    result.obsolete = sum(1 for context in previous if context not in wanted)
    return result


# ---------------------------------------------------------------- generation

def _check_token(entry: Entry, french: str, where: str) -> None:
    """A French code token must be one token of the English one's kind, on the same terms."""
    problem = None
    if entry.kind == COMMENT:
        if not french.startswith("#") or "\n" in french or "\r" in french:
            problem = "a comment must start with # and stay on one line"
    else:
        try:
            tokens = translatable_tokens(french)
            value = ast.parse(french.strip(), mode="eval").body
        except (CourseError, SyntaxError) as exc:
            problem = f"it is not a Python string ({exc})"
        else:
            english = ast.parse(entry.english.strip(), mode="eval").body
            if len(tokens) > 1 or not isinstance(value, (ast.Constant, ast.JoinedStr)) \
                    or type(value) is not type(english) or french.strip() != french:
                problem = ("it must be one string literal like the English one "
                           "(same quotes, f prefix if the English has one)")
            elif " " in entry.english and " " not in french:
                # A sentence kept as one word would read as code: the parity test, and the next
                # `--update`, would no longer find it in the catalogue.
                problem = "a translated sentence must keep at least one space (write it in a few words)"
            elif isinstance(value, ast.JoinedStr):
                names = sorted(ast.dump(v.value) for v in value.values if isinstance(v, ast.FormattedValue))
                if names != sorted(ast.dump(v.value) for v in english.values if isinstance(v, ast.FormattedValue)):
                    problem = "it must keep the same {...} placeholders as the English f-string"
    if problem:
        raise CourseError(f"{where}: the translation of [{entry.context}] ({entry.first_words()}) is not "
                          f"valid: {problem}. French: {french!r}")


def is_setup_cell(cell) -> bool:
    """The cell that imports the course's library before anything else runs."""
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
    return cell.cell_type == "code" and (grade_id.startswith("setup") or "course.learner" in cell.source)


def _heading(markdown: str) -> str | None:
    match = re.search(r"^#\s+(.+?)\s*$", markdown, re.M)
    return match.group(1) if match else None


def french_notebook(root: Path, module: str, nb, catalog, language: str = FRENCH):
    """The generated edition of the English notebook `nb`. Raises CourseError when an entry
    is missing, stale or not valid Python."""
    root = Path(root)
    where = str(catalogue_path(root, module, language).relative_to(root))
    state = status(module, nb, catalog)
    if not state.complete:
        raise CourseError(f"{state.summary()}:\n" + "\n".join(state.details(root)) +
                          f"\nTranslate them in {where} (`course translate --update {module[:2]}` first if "
                          "the English changed), then run `course translate`.")
    translations = {m.context: m.string for m in _by_context(catalog).values()}
    out = copy.deepcopy(nb)
    by_cell: dict[int, list[Entry]] = {}
    for entry in entries(nb):
        by_cell.setdefault(entry.cell, []).append(entry)
    for index, pieces in by_cell.items():
        cell = out.cells[index]
        if cell.cell_type == "markdown":
            cell.source = translations[pieces[0].context]
            continue
        source = cell.source
        for entry in reversed(pieces):  # from the end, so earlier offsets stay right
            french = translations[entry.context]
            _check_token(entry, french, where)
            start, end = entry.span
            source = source[:start] + french + source[end:]
        cell.source = source
    setup = next((c for c in out.cells if is_setup_cell(c)), None)
    if setup is None:
        raise CourseError(f"{module}: no setup cell (grade_id 'setup...' or the cell importing course.learner) "
                          "to switch the library's messages to French.")
    setup.source = LANGUAGE_LINE.format(code=language) + "\n" + setup.source
    english_path = source_notebook(root, module)
    out.metadata["course"] = {"edition": language,
                              "generated_from": str(english_path.relative_to(root)),
                              "catalogue": where}
    first = next((c for c in out.cells if c.cell_type == "markdown"), None)
    title = _heading(first.source) if first is not None else None
    if title and "title" in out.metadata:
        out.metadata["title"] = title
    return out


def french_path(root: Path, module: str, language: str = FRENCH) -> Path:
    name = edition_name(module, language)
    return Path(root) / "source" / name / f"{name}.ipynb"


def generated_text(nb) -> str:
    import nbformat

    return nbformat.writes(nb) + "\n"  # as notebooks.write writes it


# ---------------------------------------------------------------- commands

def english_modules(root: Path, names: list[str] | None = None) -> list[str]:
    """The English assignments among `names` (numbers, names or editions; default: all)."""
    chosen = resolve_assignments(root, names) if names else assignments(root)
    out: list[str] = []
    for name in chosen:
        module = module_of(name)
        if module not in out:
            out.append(module)
    return out


def update(root: Path, modules: list[str], language: str = FRENCH) -> list[Status]:
    """Create or refresh each module's catalogue from its English notebook."""
    from . import notebooks

    results = []
    for module in modules:
        path = catalogue_path(root, module, language)
        english_path = source_notebook(root, module)
        nb = notebooks.read(english_path)
        old = read_catalogue(path)
        catalog = updated_catalogue(module, nb, str(english_path.relative_to(root)), old)
        text = catalogue_text(catalog)
        if not path.is_file() or path.read_bytes() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text)
        results.append(status(module, nb, catalog))
    return results


@dataclass
class Outcome:
    """What `generate` found for one module."""
    module: str
    state: Status
    changed: bool = False      # the French source differs (or would differ) from the catalogue's
    error: str | None = None


def generate(root: Path, modules: list[str], check_only: bool = False, required: bool = True,
             language: str = FRENCH) -> list[Outcome]:
    """Check each module's catalogue and (unless check_only) write its French source. A module
    whose catalogue is incomplete gets an error when `required`, or when its French source
    exists already (a committed edition must never go stale)."""
    from . import notebooks

    outcomes = []
    for module in modules:
        nb = notebooks.read(source_notebook(root, module))
        catalog = read_catalogue(catalogue_path(root, module, language))
        state = status(module, nb, catalog)
        target = french_path(root, module, language)
        outcome = Outcome(module, state)
        outcomes.append(outcome)
        if not state.complete:
            if required or target.exists():
                outcome.error = state.summary()
            continue
        try:
            text = generated_text(french_notebook(root, module, nb, catalog, language))
        except CourseError as err:
            outcome.error = str(err)
            continue
        outcome.changed = not target.is_file() or target.read_text(encoding="utf-8") != text
        if outcome.changed and not check_only:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return outcomes


def cmd_translate(args: argparse.Namespace) -> int:
    root = find_root()
    modules = english_modules(root, args.modules)
    if args.update:
        for state in update(root, modules):
            print(state.summary().replace("no French catalogue yet", "new catalogue"))
        print(f"Catalogues in {CATALOGUE_DIR / FRENCH}/: translate the empty and fuzzy entries "
              "(Poedit or any text editor), then run `course translate`.")
        return 0
    outcomes = generate(root, modules, check_only=args.check)
    incomplete = stale_source = False
    for outcome in outcomes:
        state = outcome.state
        rel = french_path(root, outcome.module).relative_to(root)
        if outcome.error:
            incomplete = True
            print(outcome.error)
            if state.no_catalogue:
                print(f"  create it: course translate --update {outcome.module[:2]}")
            elif not state.complete:
                print("\n".join(state.details(root)))
        elif outcome.changed:
            stale_source |= args.check
            print(f"{'out of date' if args.check else 'updated  '} {rel}")
        else:
            print(f"unchanged {rel}")
    if incomplete:
        print("Translate the entries listed (empty or fuzzy) in "
              f"{CATALOGUE_DIR / FRENCH}/NN-slug.po, then run `course translate` again; "
              "`course translate --update` first if the English notebooks changed.")
    elif stale_source:
        print("Run `course translate` to regenerate the French notebooks.")
    return 1 if incomplete or stale_source else 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "translate", help="French catalogues: update them, check them, generate the French notebooks",
        description="The French edition of each module is generated from its English source notebook and "
                    f"its catalogue {CATALOGUE_DIR}/fr/NN-slug.po (gettext). With --update: create or "
                    "refresh the catalogues from the English notebooks (new entries empty, changed ones "
                    "marked fuzzy with their old translation). Without: check every catalogue and regenerate "
                    "source/NN-slug-fr/; exit 1 listing missing or stale entries.")
    p.add_argument("modules", nargs="*", metavar="MODULE", help="module number or name (e.g. 02); default: all")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true",
                      help="create or refresh the catalogues from the English notebooks; print counts per module")
    mode.add_argument("--check", action="store_true",
                      help="change nothing; exit 1 if an entry is missing or stale or a French notebook is "
                           "out of date")
    p.set_defaults(func=cmd_translate)
