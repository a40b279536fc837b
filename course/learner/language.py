"""The language of the messages a learner sees: English, or French in a French edition.

A generated French notebook's setup cell starts with `use_language("fr")`; the library's
messages go through `_()`, which returns the French of an English message from
course/learner/locale/fr.po (msgid = the English message) and the English when there is no
French, or when the language is English.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LANGUAGES = ("en", "fr")
LOCALE_DIR = Path(__file__).with_name("locale")
_current = "en"


def use_language(code: str) -> None:
    """Show the course's messages in `code` ("en" or "fr") from now on."""
    global _current
    if code not in LANGUAGES:
        raise ValueError(f"use_language({code!r}): the course speaks {' and '.join(map(repr, LANGUAGES))}.")
    _current = code


def language() -> str:
    """The language messages are shown in."""
    return _current


@lru_cache(maxsize=None)
def read_catalogue(path: Path):
    """The .po file at `path` as a Babel catalogue (empty when there is none), without its
    fuzzy (stale) entries: an out-of-date translation is worse than English. The learner's
    messages and the trainer's pages (course/templates/locale) are read with it."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if not path.is_file():
        return Catalog()
    with path.open("rb") as f:
        catalog = read_po(f)
    for stale in [m for m in catalog if m.id and m.fuzzy]:
        catalog.delete(stale.id, stale.context)
    return catalog


@lru_cache(maxsize=None)
def messages(code: str) -> dict[str, str]:
    """English message -> translation, from locale/<code>.po (empty when there is none)."""
    return {m.id: m.string for m in read_catalogue(LOCALE_DIR / f"{code}.po")
            if m.id and m.string and isinstance(m.id, str)}


def _(text: str) -> str:
    """`text` (an English message) in the current language."""
    if _current == "en":
        return text
    return messages(_current).get(text, text)


def N_(text: str) -> str:
    """Marks an English message kept in a constant (read when a module is imported, before
    the notebook chooses its language): it is translated where it is shown, with `_()`."""
    return text
