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


# --- Answer keys and the one normalisation rule -------------------------------------------

@pytest.mark.parametrize("typed, model", [
    ("  linkedin ", "LinkedIn"), ("LINKEDIN", "LinkedIn"), ("Only  me", "only me"),
    (6.0, 6), (np.int64(6), 6), ({" Name ": "Alex Martin"}, {"name": "alex martin"}),
    ((1, 2), [1, 2]), ({"b", "a"}, ["a", "b"]),
])
def test_normalise_is_one_rule_for_case_spaces_and_whole_numbers(typed, model):
    assert check.normalise(typed) == check.normalise(model)
    assert check.key("x", typed) == check.key("x", model)


def test_normalise_tables_ignore_row_order_and_index():
    table = pd.DataFrame({"group": ["family", "colleague"], "n": [2, 3]})
    shuffled = table.iloc[::-1].reset_index(drop=True)
    assert check.normalise(table) == check.normalise(shuffled)
    assert check.normalise(table.set_index("group")["n"]) == {"family": 2, "colleague": 3}


def test_keys_are_salted_by_name_and_do_not_show_the_answer():
    assert check.key("work_network", "LinkedIn") != check.key("other", "LinkedIn")
    assert "linkedin" not in check.key("work_network", "LinkedIn").lower()


def test_answer_accepts_every_listed_key_and_says_the_hint_otherwise():
    keys = [check.key("n", 5), check.key("n", 6)]
    assert check.answer(6.0, "n", (int, float), keys, "Count again.") is None
    assert check.answer(5, "n", (int, float), keys, "Count again.") is None
    with pytest.raises(AnswerError, match="Count again"):
        check.answer(7, "n", (int, float), keys, "Count again.")
    with pytest.raises(AnswerError, match="That is every contact"):
        check.answer(58, "n", int, keys, "Count again.", hints={check.key("n", 58): "That is every contact."})
    with pytest.raises(AnswerError, match="should be a whole number"):
        check.answer("6", "n", int, keys, "Count again.")
    with pytest.raises(AnswerError, match="not answered yet"):
        check.answer(..., "n", int, keys, "Count again.")


def test_answer_items_names_wrong_items_and_counts_missing_ones():
    keys = [check.key("nets[]", n) for n in ("Facebook", "Instagram", "WhatsApp")]
    assert check.answer_items([" whatsapp", "Facebook", "INSTAGRAM"], "nets", keys, "networks") is None
    with pytest.raises(AnswerError) as info:
        check.answer_items(["Facebook", "LinkedIn"], "nets", keys, "networks")
    assert "'LinkedIn' should not be in `nets`" in str(info.value)
    assert "still missing: 2 of the networks" in str(info.value)
    assert "Instagram" not in str(info.value)  # the missing ones are not given away
    with pytest.raises(AnswerError, match="twice"):
        check.answer_items(["Facebook", "facebook", "Instagram"], "nets", keys, "networks")


def test_answer_each_names_the_entries_that_are_not_right():
    keys = {"P1": check.key("acts[P1]", "delete"), "P2": [check.key("acts[P2]", "keep"), check.key("acts[P2]", "move")]}
    assert check.answer_each({"p1": "Delete", "P2": "move"}, "acts", keys) is None
    with pytest.raises(AnswerError, match="'P2'"):
        check.answer_each({"P1": "delete", "P2": "restrict"}, "acts", keys, "Re-read the post.")
    with pytest.raises(AnswerError, match="missing the key"):
        check.answer_each({"P1": "delete"}, "acts", keys)
    with pytest.raises(AnswerError, match="should be a dictionary"):
        check.answer_each(["delete", "keep"], "acts", keys)


def test_answer_checks_refuse_tricky_objects_before_comparing():
    with pytest.raises(AnswerError):
        check.answer(AlwaysEqual(), "n", None, check.key("n", 6), "no")
    with pytest.raises(AnswerError):
        check.answer(SneakyStr("x"), "s", str, check.key("s", "x"), "no")
    with pytest.raises(AnswerError):
        check.answer_items([AlwaysEqual()], "l", [check.key("l[]", "a")], "items")
