"""Finding personal data in posts: run a learner's detector and score it.

A detector is a plain dict: for each kind of personal data (phone, email, ...) a list of
clues. A clue is a regular expression; a plain word or phrase is one too. Clues are
matched ignoring upper/lower case. This module runs a detector over posts and measures
it against labelled posts (precision: how many alarms were right; recall: how many
real cases were found). `DETECTOR` is the course's ready-made detector: module 6 runs it
as a worked step, and the decision the learner is graded on is which flagged (or unflagged)
posts to hold back, since a detector warns and a person decides.
"""

from __future__ import annotations

import re
from typing import Iterable

import pandas as pd

from .language import _
from .plain_errors import PlainMessage

KINDS = ("phone", "email", "iban", "date", "flight", "boarding_pass")

# Ready-made clues for module 6's detector. Like every clue, they are matched ignoring
# upper/lower case.

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
reference follows the name: with the two, anyone can often (not always: some airlines ask
for more) manage or cancel the booking on the airline's site."""

IBAN = r"\b[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){3,7}(?: ?[0-9A-Z]{1,3})?\b"
"""A bank account number (IBAN, ISO 13616) of any country, with or without spaces: two
letters, two check digits, then groups of four ("FR76 3000 6000 0112 3456 7890 189")."""

FLIGHT_NUMBER = r"\b[A-Z]{2}\d{3,4}\b"
"""A flight number: an airline's two-letter code, then 3 or 4 digits, as one word ("AF1234").
A product code such as "XR200" looks the same: a detector warns, a person decides."""

BOARDING_PASS_WORDS = ["boarding pass", "embarquement"]
"""Words people write next to a photo of their boarding pass (in English and French);
"pass" alone would also catch a ski pass or a "boarding school"."""

DETECTOR = {
    "phone": [FRENCH_PHONE_NUMBER],
    "email": [EMAIL_ADDRESS],
    "iban": [IBAN],
    "date": [DATE_IN_DIGITS, DATE_DAY_THEN_MONTH, DATE_MONTH_THEN_DAY],
    "flight": [FLIGHT_NUMBER],
    "boarding_pass": [*BOARDING_PASS_WORDS, BOARDING_PASS_BARCODE_TEXT],
}
"""The course's detector: for each kind, its clues. It finds at least 8 in 10 of the
labelled posts of each kind with at least 8 in 10 of its alarms right (tests), and it
knows only these six kinds: an ID document in a photo, a key under the mat, a child's
school have no pattern, so a person still reads every post."""


class DetectorError(PlainMessage, ValueError):
    """The detector is not shaped as the exercise asks; the message says what to fix."""


def _compile(detector: dict) -> dict[str, list[re.Pattern]]:
    if type(detector) is not dict:
        raise DetectorError(_("The detector should be a dictionary: {\"phone\": [...], \"email\": [...], ...}."))
    compiled: dict[str, list[re.Pattern]] = {}
    for kind, clues in detector.items():
        if clues is Ellipsis:
            raise DetectorError(_("The entry for {kind} is still ...: replace it with your answer.").format(
                kind=repr(kind)))
        if type(clues) is str:
            clues = [clues]
        if type(clues) not in (list, tuple) or not all(type(c) is str for c in clues):
            raise DetectorError(_("The entry for {kind} should be a list of texts in quotes, "
                                  "like [\"boarding pass\"].").format(kind=repr(kind)))
        patterns = []
        for clue in clues:
            if not clue.strip():
                raise DetectorError(_("The entry for {kind} holds an empty text: remove it.").format(kind=repr(kind)))
            try:
                patterns.append(re.compile(clue, re.IGNORECASE))
            except re.error as exc:
                raise DetectorError(_("The clue {clue} for {kind} is not a valid pattern ({error}). "
                                      "Copy it again from the options above.").format(
                    clue=repr(clue), kind=repr(kind), error=exc)) from None
        compiled[kind] = patterns
    return compiled


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


def alarms(posts: pd.DataFrame, detector: dict) -> pd.DataFrame:
    """One row per post (post_id, text) and `alarm`: the kinds the detector flags in it,
    separated by commas, or "" when it flags nothing."""
    found = detect(posts, detector)
    kinds = [k for k in found.columns if k not in ("post_id", "text")]
    out = posts[["post_id", "text"]].copy()
    out["alarm"] = [", ".join(k for k in kinds if row[k]) for _, row in found.iterrows()]
    return out
