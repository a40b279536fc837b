"""Each module's knowledge check (course/learner/questions/NN-slug.toml and the notebook's cells
tagged knowledge-before / knowledge-after) agree with each other and with the module.

The bank is the contract between the learner's notebook, course.learner.knowledge and the
trainer's report: 3 to 5 questions, each on the idea of one graded exercise of the module
(`idea` is its grade_id), with options a, b, c and an answer key that matches exactly one of
them. The notebook asks exactly the bank's questions, once before and once after, with the
same words both times, and leaves them unanswered in the source (ungraded; the solved source
gets full marks without them).
"""

from __future__ import annotations

import ast
import re
import tomllib

import nbformat
import pytest
from conftest import ROOT

from course import cells as cell_kinds
from course.coursedir import modules
from course.learner import check, knowledge

# Banks are per module; a French edition is generated from its English notebook (tests/test_editions.py).
ASSIGNMENTS = modules(ROOT)
BANKS = ROOT / "course" / "learner" / "questions"
FIELDS = {"number", "idea", "options", "key", "why", "why_fr"}
PHASES = ("before", "after")
_QUESTION = re.compile(r"^\*\*(\d+)\.\*\*", re.M)


def source_notebook(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)


def knowledge_cells(nb: nbformat.NotebookNode, phase: str) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if f"knowledge-{phase}" in c.metadata.get("tags", [])]


def asked(cell) -> tuple[dict, ast.Call]:
    """The answers dict and the knowledge call of a knowledge cell (parsed, never run)."""
    tree = ast.parse(cell.source)
    assign, call = tree.body
    assert isinstance(assign, ast.Assign) and isinstance(assign.value, ast.Dict), cell.source
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call), cell.source
    return {ast.literal_eval(k): v for k, v in zip(assign.value.keys, assign.value.values)}, call.value


def questions_text(markdown: str) -> str:
    """The questions of a knowledge-check markdown cell: everything from question 1 on."""
    first = _QUESTION.search(markdown)
    assert first, f"no question (**1.** ...) in:\n{markdown}"
    return markdown[first.start():].strip()


def graded_ids(nb: nbformat.NotebookNode) -> set[str]:
    return {cell_kinds.nbgrader_meta(c).get("grade_id") for c in nb.cells if cell_kinds.is_graded(c)}


def right_letter(assignment: str, question: knowledge.Question) -> list[str]:
    return [o for o in question.options if check.key(f"knowledge/{assignment}/{question.number}", o) == question.key]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_module_has_a_bank_of_three_to_five_well_formed_questions(assignment):
    raw = tomllib.loads((BANKS / f"{assignment}.toml").read_text(encoding="utf-8"))["question"]
    assert all(set(q) == FIELDS for q in raw), f"{assignment}: each question has exactly the fields {sorted(FIELDS)}"
    bank = knowledge.questions(assignment)
    assert 3 <= len(bank) <= 5, f"{assignment}: {len(bank)} questions; the contract asks for 3 to 5"
    assert [q.number for q in bank] == list(range(1, len(bank) + 1)), f"{assignment}: number the questions 1, 2, 3..."
    for q in bank:
        assert q.options == ("a", "b", "c"), f"{assignment}/{q.number}: options should be a, b, c"
        assert q.why.strip(), f"{assignment}/{q.number}: say why the right option is right"
        assert len(right_letter(assignment, q)) == 1, (
            f"{assignment}/{q.number}: its key should match exactly one option; "
            f"it matches {len(right_letter(assignment, q))}: recompute it with check.key")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_question_asks_again_the_idea_of_a_graded_exercise(assignment):
    ids = graded_ids(source_notebook(assignment))
    strangers = {q.number: q.idea for q in knowledge.questions(assignment) if q.idea not in ids}
    assert not strangers, f"{assignment}: `idea` must be the grade_id of a graded cell of the module: {strangers}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_notebook_asks_the_bank_before_and_after_unanswered(assignment):
    nb = source_notebook(assignment)
    numbers = {q.number for q in knowledge.questions(assignment)}
    where = {}
    for phase in PHASES:
        found = knowledge_cells(nb, phase)
        assert len(found) == 1, f"{assignment}: {len(found)} cells tagged knowledge-{phase}; there should be one"
        cell = nb.cells[found[0]]
        assert cell.cell_type == "code" and not cell_kinds.nbgrader_meta(cell), (
            f"{assignment}: the knowledge-{phase} cell is a plain code cell, not an nbgrader cell (never graded)")
        answers, call = asked(cell)
        assert set(answers) == numbers, f"{assignment}: knowledge-{phase} asks {sorted(answers)}, the bank has {sorted(numbers)}"
        assert all(isinstance(v, ast.Constant) and v.value is Ellipsis for v in answers.values()), (
            f"{assignment}: leave the knowledge-{phase} answers as ... in the source (ungraded, unanswered)")
        function = "noted" if phase == "before" else "compare"
        assert ast.unparse(call.func) == f"knowledge.{function}", f"{assignment}: knowledge-{phase} should call knowledge.{function}"
        assert ast.literal_eval(call.args[0]) == assignment, f"{assignment}: knowledge-{phase} names another module"
        where[phase] = found[0]
    assert where["before"] < where["after"], f"{assignment}: the before-check must come before the after-check"
    setup = next(i for i, c in enumerate(nb.cells) if cell_kinds.nbgrader_meta(c).get("grade_id", "").startswith("setup"))
    assert setup < where["before"] and re.search(r"^from course\.learner import .*\bknowledge\b", nb.cells[setup].source, re.M), (
        f"{assignment}: the setup cell, before the knowledge check, should import knowledge")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_after_check_repeats_the_questions_of_the_before_check(assignment):
    nb = source_notebook(assignment)
    text = {}
    for phase in PHASES:
        at = knowledge_cells(nb, phase)[0]
        assert nb.cells[at - 1].cell_type == "markdown", f"{assignment}: the questions go just above knowledge-{phase}"
        text[phase] = questions_text(nb.cells[at - 1].source)
    assert text["after"] == text["before"], f"{assignment}: ask the same questions, in the same words, at the end"
    bank = knowledge.questions(assignment)
    assert [int(n) for n in _QUESTION.findall(text["before"])] == [q.number for q in bank], (
        f"{assignment}: the markdown should show the bank's questions, in order")
    for q in bank:
        block = text["before"].split(f"**{q.number}.**")[1].split("\n\n")[0]
        assert re.findall(r"^- ([a-z])\) ", block, re.M) == list(q.options), (
            f"{assignment}/{q.number}: show the options {', '.join(q.options)} as '- a) ...' lines")
    assert "not graded" in nb.cells[knowledge_cells(nb, "before")[0] - 1].source, (
        f"{assignment}: say that the check is not graded")


def test_the_right_letters_are_spread_over_the_course():
    letters = [right_letter(a, q)[0] for a in ASSIGNMENTS for q in knowledge.questions(a)]
    counts = {o: letters.count(o) for o in "abc"}
    assert min(counts.values()) >= len(letters) // 6, f"the right letters lean on one option: {counts}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_french_learner_reads_why_in_french(assignment, capsys):
    from course.learner.language import language, use_language

    bank = knowledge.questions(assignment)
    answers = {q.number: q.options[0] for q in bank}
    previous = language()
    try:
        use_language("fr")
        knowledge.compare(assignment, answers, answers)
    finally:
        use_language(previous)
    shown = capsys.readouterr().out
    for q in bank:
        assert q.why_fr and q.why_fr in shown, f"{assignment} question {q.number}: its French why is not shown"
        assert q.why not in shown, f"{assignment} question {q.number}: the English why reached a French learner"
