"""The checks test cells use: right answers pass silently, wrong ones explain, tricks fail."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course.learner import check
from course.learner.check import AnswerError


class AlwaysEqual:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class SneakyStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


@pytest.mark.parametrize("fn, args", [
    (check.answered, ("x", "v")),
    (check.is_type, ("x", str, "v")),
    (check.equal, ({"a": [1, 2.0]}, {"a": [1, 2.0]}, "msg")),
    (check.same_items, (["b", "a"], ["a", "b"], "v")),
    (check.one_of, ("LinkedIn", ["LinkedIn", "X"], "v")),
    (check.has_keys, ({"a": 1}, ["a"], "v")),
    (check.number_close, (0.333, 1 / 3, "msg")),
])
def test_right_answers_pass_and_return_none(fn, args):
    assert fn(*args) is None


def test_placeholder_says_not_answered():
    with pytest.raises(AnswerError, match="not answered yet"):
        check.answered(..., "work_network")


def test_wrong_type_is_named_in_plain_words():
    with pytest.raises(AnswerError, match="should be a text in quotes"):
        check.is_type(3, str, "work_network")


@pytest.mark.parametrize("value, words", [
    (pd.Series(["a", "b"]), r"a column of a table \(a pandas Series; \.tolist\(\) turns it into a list\)"),
    (pd.DataFrame({"a": [1]}), r"a table \(a pandas DataFrame\)"),
    (np.int64(3), r"a numpy whole number \(write int\(\.\.\.\) around it\)"),
    (np.float64(0.5), r"a numpy number"),
    (np.bool_(True), r"a numpy True or False"),
    (Path("photo.jpg"), r"a file path"),
])
def test_library_values_are_named_in_plain_words(value, words):
    with pytest.raises(AnswerError, match=r"`answer` should be a list in square brackets, like \[\"a\", \"b\"\], but it is " + words):
        check.is_type(value, list, "answer")


@pytest.mark.parametrize("trick", [AlwaysEqual(), SneakyStr("nope")])
def test_objects_that_claim_equality_are_refused(trick):
    with pytest.raises(AnswerError):
        check.equal(trick, "LinkedIn", "wrong")
    with pytest.raises(AnswerError):
        check.one_of(trick, ["LinkedIn"], "v")
    with pytest.raises(AnswerError):
        check.equal({"a": trick}, {"a": "LinkedIn"}, "wrong")
    with pytest.raises(AnswerError):
        check.same_items([trick], ["LinkedIn"], "v")


def test_bool_is_not_an_int():
    with pytest.raises(AnswerError):
        check.equal(True, 1, "wrong")


def test_same_items_names_missing_and_extra():
    with pytest.raises(AnswerError, match="missing: 'a'.*should not be there: 'c'"):
        check.same_items(["b", "c"], ["a", "b"], "v")
    with pytest.raises(AnswerError, match="twice"):
        check.same_items(["a", "a", "b"], ["a", "b"], "v")


def test_same_table_ignores_order_but_not_values():
    e = pd.DataFrame({"x": [1, 2]}, index=["a", "b"])
    check.same_table(e.iloc[::-1], e, "t", "msg")
    with pytest.raises(AnswerError, match="msg"):
        check.same_table(e * 2, e, "t", "msg")
    with pytest.raises(AnswerError, match="DataFrame"):
        check.same_table(e["x"], e, "t", "msg")


def test_number_close_accepts_numpy_and_refuses_text():
    import numpy as np

    check.number_close(np.float64(2.0), 2.0, "msg")
    with pytest.raises(AnswerError, match="should be a number"):
        check.number_close("2", 2.0, "msg")
