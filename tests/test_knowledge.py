"""The ungraded knowledge check of each module: the learner's messages (course.learner.knowledge),
read with capsys, on a small question bank written in the test's own folder."""

from __future__ import annotations

import pytest

from course.learner import check, knowledge

ASSIGNMENT = "99-sample"
RIGHT = {1: "b", 2: "c", 3: "a"}
WHY = {1: "Because one.", 2: "Because two.", 3: "Because three."}


def write_bank(folder, assignment=ASSIGNMENT, right=RIGHT):
    lines = [f"# Knowledge check of {assignment}: asked before and after the module; never graded."]
    for n, letter in right.items():
        lines += ["[[question]]", f"number = {n}", f'idea = "idea_{n}"', 'options = ["a", "b", "c"]',
                  f'key = "{check.key(f"knowledge/{assignment}/{n}", letter)}"', f'why = "{WHY[n]}"', ""]
    (folder / f"{assignment}.toml").write_text("\n".join(lines), encoding="utf-8")
    return folder


@pytest.fixture
def bank(tmp_path, monkeypatch):
    monkeypatch.setattr(knowledge, "QUESTIONS_DIR", write_bank(tmp_path))
    return tmp_path


def said(capsys) -> str:
    return capsys.readouterr().out


# --- The bank and is_right -----------------------------------------------------------------

def test_questions_are_read_in_order_with_their_fields(tmp_path):
    (tmp_path / "98-order.toml").write_text(
        '[[question]]\nnumber = 2\nidea = "b_idea"\noptions = ["A", "b"]\nkey = "k2"\nwhy = " Two. "\n'
        '[[question]]\nnumber = 1\nidea = "a_idea"\noptions = ["a", "b", "c"]\nkey = "k1"\nwhy = "One."\n')
    found = knowledge.questions("98-order", folder=tmp_path)
    assert [q.number for q in found] == [1, 2]
    assert found[1] == knowledge.Question(2, "b_idea", ("a", "b"), "k2", "Two.")


@pytest.mark.parametrize("content, words", [
    (None, "does not exist"),
    ("[[question]\n", "not valid TOML"),
    ("title = 'no questions'\n", "no [[question]]"),
    ('[[question]]\nnumber = 1\noptions = ["a"]\nkey = "k"\nwhy = "w"\n', "lacks"),
    ('[[question]]\nnumber = 1\nidea = "i"\noptions = ["a"]\nkey = "k"\nwhy = "w"\n' * 2, "same number"),
])
def test_a_broken_bank_says_what_is_wrong(tmp_path, content, words):
    name = f"97-broken-{abs(hash(words))}"
    if content is not None:
        (tmp_path / f"{name}.toml").write_text(content)
    with pytest.raises(knowledge.BankError, match=words.replace("[", r"\[")):
        knowledge.questions(name, folder=tmp_path)


@pytest.mark.parametrize("answer, expected", [
    ("b", True), ("B", True), (" b ", True), ("a", False), ("c", False),
    (..., None), (None, None), ("", None), ("  ", None), ("d", None), ("bb", None), (2, None), (["b"], None),
])
def test_is_right_reads_a_letter_by_the_courses_one_rule(bank, answer, expected):
    assert knowledge.is_right(ASSIGNMENT, 1, answer) is expected


def test_is_right_checks_the_key_of_each_question(bank):
    assert [knowledge.is_right(ASSIGNMENT, n, letter) for n, letter in RIGHT.items()] == [True, True, True]
    assert [knowledge.is_right(ASSIGNMENT, n, "a") for n in RIGHT] == [False, False, True]
    with pytest.raises(knowledge.BankError, match="no question 4"):
        knowledge.is_right(ASSIGNMENT, 4, "a")


# --- noted: before the module -------------------------------------------------------------

def test_noted_when_every_question_has_a_letter(bank, capsys):
    assert knowledge.noted(ASSIGNMENT, {1: "a", 2: " C", 3: "b"}) is None
    assert said(capsys) == ("Noted. Nothing is graded here: the same questions come back at the end "
                            "of the module.\n")


def test_noted_never_tells_what_is_right(bank, capsys):
    knowledge.noted(ASSIGNMENT, dict(RIGHT))
    all_right = said(capsys)
    knowledge.noted(ASSIGNMENT, {1: "a", 2: "a", 3: "c"})
    assert said(capsys) == all_right
    assert not any(why in all_right for why in WHY.values())


def test_noted_names_the_questions_not_answered_yet(bank, capsys):
    knowledge.noted(ASSIGNMENT, {1: ..., 2: "b", 3: ...})
    out = said(capsys)
    assert out.startswith("Not answered yet: questions 1 and 3. Replace each ... with one letter in quotes")
    assert "Noted" not in out


def test_noted_says_how_to_write_an_answer_that_is_not_a_letter(bank, capsys):
    knowledge.noted(ASSIGNMENT, {1: "d", 2: 2, 3: "a"})
    assert said(capsys) == ('Question 1: write one letter in quotes: "a", "b" or "c".\n'
                            'Question 2: write one letter in quotes: "a", "b" or "c".\n')


def test_noted_accepts_numbers_written_as_text_and_names_extra_lines(bank, capsys):
    knowledge.noted(ASSIGNMENT, {"1": "a", 2: "b", 3: "c", 4: "a"})
    assert said(capsys) == "There is no question 4 here: remove that line.\n"


@pytest.mark.parametrize("answers", [None, ..., ["a", "b", "c"], "abc"])
def test_noted_when_the_dict_was_replaced(bank, capsys, answers):
    knowledge.noted(ASSIGNMENT, answers)
    assert said(capsys).startswith("`knowledge_before` should stay the list of answers in curly brackets")


def test_noted_and_compare_never_raise(bank, capsys, monkeypatch):
    class Hostile(dict):
        def items(self):
            raise RuntimeError("boom")

    knowledge.noted(ASSIGNMENT, {1: "a", 2: "b", 3: "c"} | {object(): 1})
    assert "There is no question" in said(capsys)
    monkeypatch.setattr(knowledge, "_problems", lambda *a: 1 / 0)
    knowledge.noted(ASSIGNMENT, Hostile())
    assert said(capsys) == "Your answers could not be read here; nothing is graded, so carry on with the module.\n"
    knowledge.compare(ASSIGNMENT, {}, Hostile())
    assert said(capsys).startswith("Your answers could not be compared here")


def test_a_missing_bank_is_not_the_learners_mistake(tmp_path, capsys):
    knowledge.noted("96-nothing", {1: "a"}, folder=tmp_path)
    knowledge.compare("96-nothing", {1: "a"}, {1: "a"}, folder=tmp_path)
    out = said(capsys)
    assert out.count("could not be read, so nothing was noted. This is not your mistake") == 2


# --- compare: after the module ------------------------------------------------------------

def test_compare_says_right_before_and_now_with_why_and_a_closing_line(bank, capsys):
    knowledge.compare(ASSIGNMENT, {1: "b", 2: "a", 3: ...}, {1: "B", 2: "c", 3: "b"})
    assert said(capsys) == (
        "Question 1: at the start right; now right. Because one.\n"
        "Question 2: at the start not right; now right. Because two.\n"
        "Question 3: at the start not answered; now not right. Because three.\n"
        "1 of 3 right at the start, 2 of 3 now.\n")


def test_compare_keeps_why_until_the_question_is_answered_now(bank, capsys):
    knowledge.compare(ASSIGNMENT, dict(RIGHT), {1: ..., 2: "z", 3: "a"})
    out = said(capsys)
    assert "Because one." not in out and "Because two." not in out and "Because three." in out
    assert out.splitlines()[:2] == ["Question 1: at the start right; now not answered yet.",
                                    "Question 2: at the start right; now not answered yet."]
    assert "3 of 3 right at the start, 1 of 3 now." in out
    assert out.rstrip().endswith('Question 2: write one letter in quotes: "a", "b" or "c".')
    assert "Not answered yet: question 1." in out


def test_compare_when_the_before_cell_was_broken(bank, capsys):
    knowledge.compare(ASSIGNMENT, "not a dict", dict(RIGHT))
    assert said(capsys).endswith("0 of 3 right at the start, 3 of 3 now.\n")
