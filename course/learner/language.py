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
def messages(code: str) -> dict[str, str]:
    """English message -> translation, from locale/<code>.po (empty when there is none).
    Fuzzy (stale) entries are left out: an out-of-date translation is worse than English."""
    path = LOCALE_DIR / f"{code}.po"
    if not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


def _(text: str) -> str:
    """`text` (an English message) in the current language."""
    if _current == "en":
        return text
    return messages(_current).get(text, text)


def N_(text: str) -> str:
    """Marks an English message kept in a constant (read when a module is imported, before
    the notebook chooses its language): it is translated where it is shown, with `_()`."""
    return text
