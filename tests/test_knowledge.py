"""The ungraded knowledge check of each module: the learner's messages (course.learner.knowledge),
read with capsys, on a small question bank written in the test's own folder."""

from __future__ import annotations

from datetime import datetime

import nbformat
import pytest
from support.knowledge_notebooks import ASSIGNMENT, RIGHT, WHY, a_cohort, a_notebook, write_bank

from course.learner import knowledge
from course.trainer import knowledge as trainer_knowledge
from course.trainer import synthetic


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
    assert out.count("could not be read. This is not your mistake: carry on with the module") == 2


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


# --- The trainer's side: answers read from notebooks, never run -----------------------------



def test_answers_are_read_from_the_tagged_cells():
    nb = a_notebook(('"b"', '" C "', "..."), ('"B"', '"a"', '"c"'))
    assert trainer_knowledge.answers_in_notebook(nb) == {"before": {1: "b", 2: "c", 3: None},
                                                        "after": {1: "b", 2: "a", 3: "c"}}


@pytest.mark.parametrize("written, read", [
    ("b", None),                # 1: b without quotes is a name, not an answer
    ('""', None), ("None", None), ("2", None), ('["b"]', None), ('"b" + ""', None),
    ('"d"', "d"),               # kept as written; not one of the options, so never right
    ("__import__('os').system('touch /tmp/K1-pwned')", None),
])
def test_what_is_not_a_text_in_quotes_is_unanswered(written, read):
    nb = a_notebook((written, '"a"', '"a"'))
    assert trainer_knowledge.answers_in_notebook(nb)["before"] == {1: read, 2: "a", 3: "a"}


def test_a_payload_in_the_cell_is_never_run(tmp_path):
    marker = tmp_path / "ran"
    payload = f"__import__('pathlib').Path({str(marker)!r}).write_text('x')"
    nb = a_notebook((payload, '"a"', '"a"'))
    nb.cells[1].source += f"\n{payload}\nknowledge_before = {{1: {payload}, 2: 'a'}}"
    found = trainer_knowledge.answers_in_notebook(nb, [1, 2, 3])
    assert found["before"] == {1: None, 2: "a", 3: None}  # the last assignment counts
    assert not marker.exists()


@pytest.mark.parametrize("change", [
    lambda nb: nb.cells.pop(1),                                                    # cell deleted
    lambda nb: setattr(nb.cells[1], "source", "knowledge_before = answers()"),     # not a literal
    lambda nb: setattr(nb.cells[1], "source", "knowledge_before = {1: 'a',"),      # a typo Python cannot read
    lambda nb: setattr(nb.cells[1], "source", "print('hello')"),                   # rewritten
    lambda nb: nb.cells[1].metadata.update(tags=[]),                               # tag removed
    lambda nb: nb.cells[1].metadata.update(tags="knowledge-before"),              # tags not a list
    lambda nb: setattr(nb.cells[1], "cell_type", "markdown"),                      # turned into text
])
def test_a_cell_deleted_or_rewritten_leaves_its_answers_unanswered(change):
    nb = a_notebook(('"a"', '"b"', '"c"'), ('"c"', '"b"', '"a"'))
    change(nb)
    found = trainer_knowledge.answers_in_notebook(nb, [1, 2, 3])
    assert found == {"before": {1: None, 2: None, 3: None}, "after": {1: "c", 2: "b", 3: "a"}}


def test_mixed_keys_and_odd_notebooks():
    nb = a_notebook()
    nb.cells[1].source = 'knowledge_before = {"2": "A", 1: "b", **other, x: "c"}'
    assert trainer_knowledge.answers_in_notebook(nb)["before"] == {2: "a", 1: "b"}
    assert trainer_knowledge.answers_in_notebook({"cells": "nope"}, [1]) == {"before": {1: None},
                                                                            "after": {1: None}}
    assert trainer_knowledge.answers_in_notebook(None) == {"before": {}, "after": {}}


def test_cohort_knowledge_reads_each_graded_notebook(bank, tmp_path):
    cohort = a_cohort(tmp_path / "course", {
        "l1": a_notebook(('"b"', '"a"', "..."), ('"b"', '"c"', '"d"')),
        "l2": "{ not a notebook",
        "l3": None,
    })
    found = trainer_knowledge.cohort_knowledge(cohort)
    assert {a.learner_id for a in found} == {"l1"}
    table = {(a.phase, a.number): (a.answer, a.right) for a in found}
    assert table == {("before", 1): ("b", True), ("before", 2): ("a", False), ("before", 3): (None, None),
                     ("after", 1): ("b", True), ("after", 2): ("c", True), ("after", 3): ("d", None)}
    assert {a.timestamp for a in found} == {datetime(2026, 3, 1, 9, 0)}
    assert trainer_knowledge.scores(found) == {("l1", ASSIGNMENT): {"before": {"right": 1, "asked": 3},
                                                                   "after": {"right": 2, "asked": 3}}}


def test_a_module_without_a_question_bank_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(knowledge, "QUESTIONS_DIR", tmp_path / "no-bank")
    cohort = a_cohort(tmp_path / "course", {"l1": a_notebook(('"b"', '"a"', '"c"'))})
    assert trainer_knowledge.cohort_knowledge(cohort) == []


def test_a_notebook_without_knowledge_cells_reads_as_unanswered(bank, tmp_path):
    nb = a_notebook()
    nb.cells = nb.cells[:1]
    cohort = a_cohort(tmp_path / "course", {"l1": nb})
    found = trainer_knowledge.cohort_knowledge(cohort)
    assert len(found) == 6 and all(a.answer is None and a.right is None for a in found)
    assert trainer_knowledge.scores(found) == {("l1", ASSIGNMENT): {"before": None, "after": None}}


# --- The demo's synthetic cohort answers the knowledge checks ----------------------------------



def a_source(root, nb) -> None:
    folder = root / "source" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "sample.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")


def test_synthetic_learners_answer_before_and_after_seeded(bank, tmp_path):
    a_source(tmp_path, a_notebook())
    learners = synthetic.make_learners(60, seed=3)
    read = {}
    for ln in learners:
        text = synthetic.learner_notebook(tmp_path, ASSIGNMENT, ln, seed=3)
        if ln.kind != "corrupt":
            read[ln.id] = trainer_knowledge.answers_in_notebook(nbformat.reads(text, as_version=4), [1, 2, 3])
    # What each learner wrote is what the notebook holds, read back by the trainer's parser.
    assert all(read[ln.id] == ln.knowledge[ASSIGNMENT] for ln in learners if ln.kind not in ("corrupt", "empty"))
    empty = next(ln for ln in learners if ln.kind == "empty")
    assert read[empty.id] == {"before": {1: None, 2: None, 3: None}, "after": {1: None, 2: None, 3: None}}
    share = {}
    for phase in ("before", "after"):
        given = [(n, a) for r in read.values() for n, a in r[phase].items() if a is not None]
        share[phase] = sum(knowledge.is_right(ASSIGNMENT, n, a) for n, a in given) / len(given)
    assert 0.35 < share["before"] < 0.55 < 0.7 < share["after"] < 0.9, share
    again = synthetic.make_learners(60, seed=3)
    synthetic.learner_notebook(tmp_path, ASSIGNMENT, again[0], seed=3)
    assert again[0].knowledge == learners[0].knowledge  # seeded: the same cohort on every run


def test_a_module_without_knowledge_cells_or_bank_is_handed_in_as_before(tmp_path, monkeypatch):
    plain = a_notebook()
    plain.cells = [plain.cells[0], plain.cells[2]]
    a_source(tmp_path, plain)
    learner = synthetic.make_learners(6)[0]
    for questions_dir in (write_bank(tmp_path / "bank"), tmp_path / "no-bank"):
        monkeypatch.setattr(knowledge, "QUESTIONS_DIR", questions_dir)
        text = synthetic.learner_notebook(tmp_path, ASSIGNMENT, learner)
        assert [c.source for c in nbformat.reads(text, as_version=4).cells] == [c.source for c in plain.cells]
