"""Finding personal data in posts: run a learner's detector and score it.

A detector is a plain dict: for each kind of personal data (phone, email, ...) a list of
clues. A clue is a regular expression; a plain word or phrase is one too. Clues are
matched ignoring upper/lower case. This module runs a detector over posts and measures
it against labelled posts (precision: how many alarms were right; recall: how many
real cases were found). It holds ready-made clues for the kinds a learner is not asked to
choose (phone, email, dates) and for the barcode text of a boarding pass, but no detector of
its own: building one is the exercise.
"""

from __future__ import annotations

import re
from typing import Iterable

import pandas as pd

from .plain_errors import PlainMessage

KINDS = ("phone", "email", "iban", "date", "flight", "boarding_pass")
REDACTED = "[removed]"

# Ready-made clues for module 5's detector. They are helpers that the notebook gives to
# learners already filled in; the exercise is to choose the clues for bank account
# numbers, flight numbers and boarding passes, whose options stay in the notebook.
# Like every clue, they are matched ignoring upper/lower case.

FRENCH_PHONE_NUMBER = r"(?:\+33 ?|\b0)[1-9](?:[ .]?\d{2}){4}\b"
"""A French phone number: 0 or +33, a digit from 1 to 9, then four pairs of digits, which
may be separated by spaces or dots ("06 12 34 56 78", "06.12.34.56.78", "0612345678",
"+33 6 12 34 56 78"). Longer runs of digits do not match."""

EMAIL_ADDRESS = r"[\w.+-]+@[\w-]+\.[\w.-]+"
"""An email address: a name, @, then a domain with at least one dot ("sam.roux12@mailbox.example").
A social-network handle such as "@sam" is not one."""

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b")

DATE_IN_DIGITS = r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
"""A date written in digits, day then month, with or without the year ("14/07", "14/7/2027").
A fraction or "24/7" looks the same: a detector warns, a person decides."""

DATE_DAY_THEN_MONTH = rf"\b\d{{1,2}} {_MONTH}"
"""A day then an English month name, in full or in three letters ("14 July", "3 Aug")."""

DATE_MONTH_THEN_DAY = rf"\b{_MONTH} \d{{1,2}}\b"
"""An English month name, in full or in three letters, then a day ("July 14", "Aug 3")."""

BOARDING_PASS_BARCODE_TEXT = r"\bM[1-4][A-Z]+(?: [A-Z]+)*/[A-Z]+"
"""The start of the text hidden in a boarding pass barcode (IATA Resolution 792, Bar Coded
Boarding Pass): the format code M, the number of flights on the pass (1 to 4), then the
passenger's name as SURNAME/FIRSTNAME ("M1ROUX/KIM EABC123 CDGLISTP 0123 ..."). The booking
reference follows the name: the two things an airline's "manage my booking" page asks for."""


class DetectorError(PlainMessage, ValueError):
    """The detector is not shaped as the exercise asks; the message says what to fix."""


def _compile(detector: dict) -> dict[str, list[re.Pattern]]:
    if type(detector) is not dict:
        raise DetectorError("The detector should be a dictionary: {\"phone\": [...], \"email\": [...], ...}.")
    compiled: dict[str, list[re.Pattern]] = {}
    for kind, clues in detector.items():
        if clues is Ellipsis:
            raise DetectorError(f"The entry for {kind!r} is still ...: replace it with your answer.")
        if type(clues) is str:
            clues = [clues]
        if type(clues) not in (list, tuple) or not all(type(c) is str for c in clues):
            raise DetectorError(f"The entry for {kind!r} should be a list of texts in quotes, "
                                "like [\"boarding pass\"].")
        patterns = []
        for clue in clues:
            if not clue.strip():
                raise DetectorError(f"The entry for {kind!r} holds an empty text: remove it.")
            try:
                patterns.append(re.compile(clue, re.IGNORECASE))
            except re.error as exc:
                raise DetectorError(f"The clue {clue!r} for {kind!r} is not a valid pattern ({exc}). "
                                    "Copy it again from the options above.") from None
        compiled[kind] = patterns
    return compiled


def find_kinds(text: str, detector: dict) -> set[str]:
    """The kinds of personal data the detector finds in one text."""
    return {kind for kind, patterns in _compile(detector).items()
            if any(p.search(text) for p in patterns)}


def detect(posts: pd.DataFrame, detector: dict) -> pd.DataFrame:
    """One row per post (post_id, text) and a True/False column per kind the detector knows."""
    compiled = _compile(detector)
    found = {kind: posts["text"].map(lambda t, ps=patterns: any(p.search(t) for p in ps))
             for kind, patterns in compiled.items()}
    return pd.concat([posts[["post_id", "text"]], pd.DataFrame(found, index=posts.index)], axis=1)


def score(posts: pd.DataFrame, detector: dict, kinds: Iterable[str] = KINDS) -> pd.DataFrame:
    """Per kind: posts that have it, found, missed, false alarms, precision and recall.

    `posts` holds the text and one 0/1 label column per kind. A kind the detector does
    not know counts as never found."""
    found = detect(posts, detector)
    rows = []
    for kind in kinds:
        truth = posts[kind].astype(bool)
        said = found[kind] if kind in found else pd.Series(False, index=posts.index)
        hits = int((truth & said).sum())
        alarms = int(said.sum())
        rows.append({
            "kind": kind,
            "posts with it": int(truth.sum()),
            "found": hits,
            "missed": int((truth & ~said).sum()),
            "false alarms": alarms - hits,
            # No alarm at all is not a precise detector: count it as 0.
            "precision": hits / alarms if alarms else 0.0,
            "recall": hits / int(truth.sum()) if truth.any() else 1.0,
        })
    return pd.DataFrame(rows).set_index("kind")


def mistakes(posts: pd.DataFrame, detector: dict, kind: str) -> pd.DataFrame:
    """The posts the detector gets wrong for one kind, to see what to improve."""
    found = detect(posts, detector)
    said = found[kind] if kind in found else pd.Series(False, index=posts.index)
    truth = posts[kind].astype(bool)
    out = posts.loc[truth != said, ["post_id", "text"]].copy()
    out["problem"] = ["missed" if t else "false alarm" for t in truth[truth != said]]
    return out


def try_clues(clues: list[str] | str, examples: list[str]) -> pd.DataFrame:
    """Which example texts a list of clues matches, and the part of each that matched."""
    compiled = _compile({"try": clues})["try"]
    rows = []
    for text in examples:
        match = next((m for p in compiled if (m := p.search(text))), None)
        rows.append({"example": text, "matches": match is not None,
                     "matched part": match.group(0) if match else ""})
    return pd.DataFrame(rows)


def redact(text: str, detector: dict) -> str:
    """The text with every part the detector matches replaced by [removed]."""
    for patterns in _compile(detector).values():
        for p in patterns:
            text = p.sub(REDACTED, text)
    return text
