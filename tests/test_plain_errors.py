"""Plain words for beginners' Python mistakes (course/learner/plain_errors.py)."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from course.learner import plain_errors
from course.learner.check import AnswerError
from course.learner.personal_data import DetectorError
from course.learner.visibility.model import SettingsError


def caught(code: str, namespace: dict):
    import linecache

    # IPython keeps each cell's text in linecache, as this does.
    linecache.cache["<ipython-input-1-test>"] = (len(code), None, code.splitlines(True), "<ipython-input-1-test>")
    try:
        exec(compile(code, "<ipython-input-1-test>", "exec"), namespace)
    except Exception as exc:  # noqa: BLE001 - the point is to look at it
        return exc, sys.exc_info()[2]
    raise AssertionError("the code should fail")


def test_missing_quotes_says_put_it_in_quotes():
    error, tb = caught("work_network = LinkedIn", {})
    message = plain_errors.explain(error, tb, [])
    assert "`LinkedIn`" in message and '"LinkedIn"' in message and "quotes" in message


def test_misspelt_name_suggests_the_known_one():
    error, tb = caught("x = contcts", {})
    assert "Did you mean `contacts`" in plain_errors.explain(error, tb, ["contacts", "load"])


def test_missing_column_lists_the_real_columns():
    table = pd.DataFrame({"group": ["family"], "linkedin": [1]})
    error, tb = caught('table["Group"]', {"table": table})
    message = plain_errors.explain(error, tb, [])
    assert "no column 'Group'" in message and "Did you mean 'group'" in message and "'linkedin'" in message


def test_missing_column_of_a_grouped_table_lists_the_real_columns():
    table = pd.DataFrame({"week": [1, 2], "outside_hours": [True, False]})
    error, tb = caught('table.groupby("week")["outside_hour"].mean()', {"table": table})
    message = plain_errors.explain(error, tb, [])
    assert "no column 'outside_hour'" in message and "Did you mean 'outside_hours'" in message


def test_missing_dict_key_lists_the_keys():
    error, tb = caught('settings["Audience"]', {"settings": {"network": "x", "audience": "friends"}})
    message = plain_errors.explain(error, tb, [])
    assert "`settings` has no key 'Audience'" in message and "'audience'" in message


def test_number_in_quotes_is_explained():
    table = pd.DataFrame({"days": [10, 200]})
    error, tb = caught('table[table["days"] > "90"]', {"table": table})
    assert "number in quotes" in plain_errors.explain(error, tb, [])


def test_list_where_a_dict_is_expected():
    error, tb = caught('answer = ["a", "b"]\nanswer["a"]', {})
    assert "curly brackets" in plain_errors.explain(error, tb, [])


@pytest.mark.parametrize("code, words", [
    ('x = "LinkedIn', "closing quote"),
    ('x = {"a": "b",\n "c": "d"', "never closed"),
    ('x = ["a" "b"] ]', "closing bracket"),
])
def test_syntax_errors_in_plain_words(code, words):
    with pytest.raises(SyntaxError) as info:
        compile(code, "<cell>", "exec")
    assert words in plain_errors.explain_syntax(info.value)


def test_other_errors_keep_pythons_message():
    assert plain_errors.explain(RuntimeError("boom")) is None


@pytest.mark.parametrize("error", [AnswerError("Pick the network for work."),
                                   DetectorError("The pattern is broken."),
                                   SettingsError("Unknown audience.")])
def test_course_errors_render_one_plain_line(error):
    lines = error._render_traceback_()
    text = " ".join(lines)
    assert str(error) in text and "Traceback" not in text and text.startswith(plain_errors.RED)


def test_long_messages_are_wrapped_for_validate():
    lines = AnswerError("word " * 60)._render_traceback_()
    assert len(lines) > 1 and all(len(line) <= 96 + len(plain_errors.RED + plain_errors.RESET) for line in lines)


def test_not_installed_outside_a_jupyter_kernel():
    class NotAKernelShell:
        def set_custom_exc(self, *args):
            raise AssertionError("must not be called")

    assert plain_errors.install(NotAKernelShell()) is False
