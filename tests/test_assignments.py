"""Every assignment in source/, graded by nbgrader itself (see harness.py).

- the solved source scores full marks on every auto-graded cell;
- the untouched release scores zero on them;
- answered with the French words learners type, it scores full marks too, in either edition;
- every auto-graded test cell has a plausible wrong answer, and that answer loses points
  on that cell (proof that the test can fail) without breaking the other exercises;
- release/ is exactly what source/ gives (no drift);
- the source notebook runs top to bottom on a fresh kernel, leaving nothing in the temporary
  folder and, beside itself, only what NOT_MODULE_FILES lists (module 6's my_files/, module 7's charter).
"""

from __future__ import annotations

import os
import time

import nbformat
import pytest
from conftest import ASSIGNMENTS, ROOT
from harness import FRENCH_WORDS, grade_variants, wrong_learner
from nbclient import NotebookClient
from support.kernels import ipc_kernels
from support.french_words import FRENCH_ANSWERS

from course.coursedir import NOT_MODULE_FILES, copy_sources, module_of, source_notebook
from course.trainer.release import release

pytestmark = pytest.mark.assignment

_graded: dict = {}


@pytest.fixture
def graded(assignment, tmp_path_factory):
    if assignment not in _graded:
        _graded[assignment] = grade_variants(assignment, tmp_path_factory.mktemp(assignment))
    return _graded[assignment]


@pytest.fixture(params=ASSIGNMENTS)
def assignment(request):
    return request.param


def test_there_are_exercises(graded):
    assert len(graded.test_cells()) >= 3, f"{graded.assignment} has fewer than 3 auto-graded exercises"


def test_solved_scores_full_marks(graded):
    lost = {g: (s.auto_score, s.max_score) for g, s in graded.scores["solved"].items()
            if s.auto_graded and s.auto_score != s.max_score}
    assert not lost, f"the solved notebook loses points on {lost}"


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if module_of(a) in FRENCH_ANSWERS])
def test_french_words_score_full_marks(graded):
    # Hidden tests included: what the visible check accepts in French, the grade accepts.
    lost = {g: (s.auto_score, s.max_score) for g, s in graded.scores[FRENCH_WORDS].items()
            if s.auto_graded and s.auto_score != s.max_score}
    assert not lost, (f"answered in French words (tests/support/french_words.py), the notebook loses "
                      f"points on {lost}")


def test_untouched_release_scores_zero(graded):
    scored = {g: s.auto_score for g, s in graded.scores["untouched"].items()
              if s.auto_graded and s.auto_score}
    assert not scored, f"the untouched release already scores on {scored}"


def test_every_exercise_has_a_wrong_answer(graded):
    missing = sorted(set(graded.test_cells()) - set(graded.wrong))
    unknown = sorted(set(graded.wrong) - set(graded.test_cells()))
    assert not missing, f"add wrong answers for {missing} to course/trainer/wrong_answers/{graded.assignment}.toml"
    assert not unknown, f"course/trainer/wrong_answers/{graded.assignment}.toml names unknown test cells {unknown}"


def test_each_wrong_answer_loses_points_on_its_exercise(graded):
    for gid, entries in graded.wrong.items():
        for i, wrong in enumerate(entries):
            score = graded.scores[wrong_learner(gid, i)][gid]
            assert score.auto_score < score.max_score, (
                f"{gid}: the wrong answer ({wrong.why or wrong.code.strip()}) still scores "
                f"{score.auto_score}/{score.max_score}: the test cannot fail")


def test_wrong_answers_do_not_break_unrelated_exercises(graded):
    # Each wrong answer must be caught by its own test, not by a crash that zeroes the
    # whole notebook: at least one other exercise keeps full marks.
    for gid, entries in graded.wrong.items():
        for i, _ in enumerate(entries):
            learner = wrong_learner(gid, i)
            others = [s for g, s in graded.scores[learner].items() if s.auto_graded and g != gid]
            assert any(s.auto_score == s.max_score for s in others), f"{learner} zeroes every exercise"


def test_course_grade_gives_nbgrader_scores(graded):
    # Solved, untouched and every wrong answer: `course grade` scores each cell as
    # `nbgrader autograde` does.
    differ = {learner: {g: (s.auto_score, graded.course_scores[learner].get(g)) for g, s in cells.items()
                        if graded.course_scores[learner].get(g) is None
                        or graded.course_scores[learner][g].auto_score != s.auto_score}
              for learner, cells in graded.scores.items()}
    differ = {k: v for k, v in differ.items() if v}
    assert not differ, f"course grade and nbgrader autograde disagree: {differ}"


def test_release_has_no_drift(assignment):
    changed = release(ROOT, [assignment], check_only=True)
    assert changed == [], f"release/{assignment} differs from what source/ gives: run `course release`"


# The files a module's notebook makes for the learner, beside the notebook (all in NOT_MODULE_FILES).
MADE_BESIDE = {"06-oversharing": ["my_files/garden.jpg"], "07-rights-and-charter": ["my_charter.html", "my_charter.md"]}


def test_source_runs_top_to_bottom(assignment, tmp_path):
    # In a copy of the module's folder, as a learner's JupyterLab runs it, with the kernel's
    # temporary folder (TMPDIR) empty: a run leaves nothing in /tmp, and beside the notebook
    # only what NOT_MODULE_FILES lists.
    src = source_notebook(ROOT, assignment)
    folder = copy_sources(ROOT, [assignment], tmp_path / "course") / "source" / assignment
    kernel_tmp = tmp_path / "kernel-tmp"
    kernel_tmp.mkdir()
    nb = nbformat.read(src, as_version=4)
    started = time.perf_counter()
    kernel_env = {**os.environ, "TMPDIR": str(kernel_tmp)}
    NotebookClient(nb, timeout=120, kernel_name="python3", config=ipc_kernels(),
                   resources={"metadata": {"path": str(folder)}}).execute(env=kernel_env)
    elapsed = time.perf_counter() - started
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert sorted(p.name for p in kernel_tmp.iterdir()) == [], f"{assignment} leaves files in the temporary folder"
    left = {p.name for p in folder.iterdir()} - {src.name}
    assert left <= set(NOT_MODULE_FILES), f"{assignment} leaves {sorted(left - set(NOT_MODULE_FILES))} beside itself"
    for made in MADE_BESIDE.get(module_of(assignment), []):
        assert (folder / made).is_file(), f"{assignment} should save {made} beside the notebook"
    print(f"{assignment} ran top to bottom in {elapsed:.1f} s")
