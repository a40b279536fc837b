"""The personal-data detector tools: running a learner's detector, scoring it, redacting."""

import pandas as pd
import pytest

from course import personal_data
from course.personal_data import DetectorError

POSTS = pd.DataFrame({
    "post_id": ["P1", "P2", "P3", "P4"],
    "text": ["Call 06 12 34 56 78", "Flying AF1234 tonight", "Ski pass sold", "Room 204, AF1234"],
    "phone": [1, 0, 0, 0], "email": [0, 0, 0, 0], "iban": [0, 0, 0, 0], "date": [0, 0, 0, 0],
    "flight": [0, 1, 0, 1], "boarding_pass": [0, 0, 0, 0],
})
PHONE = r"\b0[1-9](?: ?\d{2}){4}\b"


def test_find_kinds_ignores_case():
    assert personal_data.find_kinds("My BOARDING PASS", {"boarding_pass": ["boarding pass"]}) == {"boarding_pass"}
    assert personal_data.find_kinds("nothing here", {"boarding_pass": ["boarding pass"]}) == set()


def test_score_counts_hits_misses_and_false_alarms():
    scores = personal_data.score(POSTS, {"phone": [PHONE], "flight": [r"\d{3,4}"]})
    assert scores.loc["phone", "precision"] == 1.0 and scores.loc["phone", "recall"] == 1.0
    assert scores.loc["flight", "found"] == 2 and scores.loc["flight", "false alarms"] == 0
    # A kind the detector does not know is never found.
    assert scores.loc["email", "found"] == 0 and scores.loc["email", "precision"] == 0.0


def test_a_broad_pattern_loses_precision():
    posts = POSTS.assign(text=POSTS["text"].replace({"Ski pass sold": "Ski pass sold for 120 EUR"}))
    scores = personal_data.score(posts, {"flight": [r"\d{3,4}"]})
    assert scores.loc["flight", "false alarms"] == 1  # the price
    assert scores.loc["flight", "precision"] == pytest.approx(2 / 3)
    assert scores.loc["flight", "recall"] == 1.0


def test_mistakes_lists_missed_and_false_alarm_posts():
    wrong = personal_data.mistakes(POSTS, {"flight": ["flying"]}, "flight")
    assert list(wrong["post_id"]) == ["P4"]
    assert list(wrong["problem"]) == ["missed"]


@pytest.mark.parametrize("detector, words", [
    ({"flight": ...}, "still ..."),
    ({"flight": [r"[A-Z"]}, "not a valid pattern"),
    ({"flight": [3]}, "list of texts"),
    (["flight"], "dictionary"),
    ({"flight": [" "]}, "empty text"),
])
def test_badly_shaped_detectors_get_a_plain_message(detector, words):
    with pytest.raises(DetectorError, match=words):
        personal_data.score(POSTS, detector)


def test_redact_replaces_every_match():
    out = personal_data.redact("Call 06 12 34 56 78 or 07 11 22 33 44", {"phone": [PHONE]})
    assert out == "Call [removed] or [removed]"


def test_try_clues_shows_the_matched_part():
    table = personal_data.try_clues([r"\b[A-Z]{2}\d{3,4}\b"], ["on AF1234 today", "room 204"])
    assert list(table["matches"]) == [True, False]
    assert list(table["matched part"]) == ["AF1234", ""]
