"""Every check teaches: what the grade rejects, the visible check rejects first, in plain words.

For each module, in one real Jupyter kernel (as the learner's JupyterLab runs it):
- solved, every visible check says "✓ Right" (in a French edition, its French);
- every committed wrong answer (course/trainer/wrong_answers/) fails its visible check
  with one plain message, and fails the whole test cell (what nbgrader grades) too;
- the model answer, changed in content but not in type (tests/support/perturb.py), gets
  the same verdict from the visible check as from the whole test cell, both ways;
- Run All on the untouched release reaches the last cell, each check saying what to do.
The nbgrader-graded proof (scores) is tests/test_assignments.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from conftest import ASSIGNMENTS, ROOT
from nbclient import NotebookClient
from support.kernels import ipc_kernels
from support.formative import first_tries, is_plain, kernel_session, module_cells, run_solved, without_colours
from support.perturb import __file__ as PERTURB_FILE

from course.coursedir import language_of
from course.learner.language import messages as messages_of
from course.trainer.synthetic import wrong_answers

pytestmark = [pytest.mark.slow]
MIN_WRONG_ANSWERS = 3


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def module(request):
    assignment = request.param
    _, exercises = module_cells(assignment)
    with kernel_session(ROOT / "release" / assignment) as session:
        solved_runs = run_solved(session, assignment)
        session.run(Path(PERTURB_FILE).read_text(encoding="utf-8"))
        yield assignment, session, exercises, solved_runs


def test_solved_module_passes_every_visible_check(module):
    assignment, _, exercises, runs = module
    for ex in exercises:
        run = runs[ex.test_id]
        assert not run.failed, f"{assignment}/{ex.test_id}: the model answer fails its visible check: {run.shown_error}"
        right = "✓ " + messages_of(language_of(assignment)).get("Right.", "Right.")
        assert right in run.text, f"{assignment}/{ex.test_id}: a passing check should say {right}; it printed {run.text!r}"


def test_each_exercise_has_several_wrong_answers(module):
    assignment, _, exercises, _ = module
    wrong = wrong_answers(assignment)
    few = {ex.test_id: len(wrong.get(ex.test_id, [])) for ex in exercises
           if len(wrong.get(ex.test_id, [])) < MIN_WRONG_ANSWERS}
    assert not few, (f"{assignment}: add plausible wrong answers (at least {MIN_WRONG_ANSWERS} an exercise) "
                     f"to course/trainer/wrong_answers/{assignment}.toml for {few}")


def test_every_wrong_answer_fails_its_visible_check_plainly(module):
    assignment, session, exercises, _ = module
    wrong = wrong_answers(assignment)
    problems = []
    for ex in exercises:
        for w in wrong.get(ex.test_id, []):
            what = f"{ex.test_id} with {w['code'].strip()[:80]!r} ({w.get('why', '')})"
            # The solved module with this one answer cell as received, then answered wrongly.
            session.run(ex.released[w["answer_cell"]])
            answered = session.run(w["code"])
            if answered.failed and not is_plain(answered.shown_error):
                problems.append(f"{what}: the answer cell's error is not plain:\n{answered.shown_error}")
            visible = session.run(ex.visible)
            whole = session.run(ex.test_source)
            if not visible.failed:
                problems.append(f"{what}: the visible check accepts it ({visible.text.strip()!r})")
            elif visible.error["ename"] != "AnswerError" or not is_plain(visible.shown_error):
                problems.append(f"{what}: the visible check fails with a {visible.error['ename']} "
                                f"instead of a plain message:\n{visible.shown_error}")
            if not whole.failed:
                problems.append(f"{what}: the whole test cell (what is graded) accepts it")
            session.run(ex.solved[w["answer_cell"]])     # back to the model answer
    assert not problems, f"{assignment}:\n" + "\n".join(problems)


def test_visible_and_graded_verdicts_agree_on_perturbed_answers(module):
    assignment, session, exercises, _ = module
    disagreements, tried = [], 0
    for ex in exercises:
        for name in ex.answer_names():
            listed = session.run(f"_saved = {name}\n_variants = _perturbations(_saved)\nprint(len(_variants))")
            assert not listed.failed, listed.shown_error
            for i in range(int(listed.text.strip() or 0)):
                label = session.run(f"{name} = _variants[{i}][1]\nprint(_variants[{i}][0])").text.strip()
                visible, whole = session.run(ex.visible), session.run(ex.test_source)
                tried += 1
                if visible.failed != whole.failed:
                    side = "accepts" if not visible.failed else "rejects"
                    disagreements.append(f"{ex.test_id}: `{name}` {label}: the visible check {side} it, the grade does not")
                elif visible.failed and visible.error["ename"] != "AnswerError":
                    disagreements.append(f"{ex.test_id}: `{name}` {label}: the visible check fails with "
                                         f"{visible.error['ename']} instead of a plain message: {visible.shown_error}")
            session.run(f"{name} = _saved")
    assert tried > 0
    assert not disagreements, f"{assignment} ({tried} variants tried):\n" + "\n".join(disagreements)


FIRST_TRIES = ROOT / "docs" / "first-tries"


def test_first_tries_page_is_current(module):
    # otter-grader's golden files: what learners read for every wrong answer, committed, so
    # a change of wording is seen in review. `make golden` rewrites them.
    assignment, session, exercises, _ = module
    text = first_tries(session, assignment, exercises, wrong_answers(assignment))
    path = FIRST_TRIES / f"{assignment}.md"
    if os.environ.get("COURSE_REFRESH_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists() and path.read_text(encoding="utf-8") == text, (
        f"{path.relative_to(ROOT)} is not what learners now see: run `make golden` and review the diff")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_run_all_reaches_the_end_with_every_exercise_unanswered(assignment):
    # nbclient, like JupyterLab's Run All, goes past a failing cell only if it is tagged
    # raises-exception: without the tag this raises CellExecutionError.
    path = next((ROOT / "release" / assignment).glob("*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", config=ipc_kernels(), allow_errors=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[-1].execution_count is not None
    for cell in code:
        for out in cell.outputs:
            if out.output_type == "error":
                shown = "\n".join(out.traceback)
                assert is_plain(without_colours(shown)), f"{assignment}: an unanswered cell shows a traceback:\n{shown}"
