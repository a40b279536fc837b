"""Grade variants of an assignment with nbgrader itself, in a throwaway course folder.

The way nbgrader's own tests work: copy the source, `nbgrader generate_assignment`,
put notebooks in submitted/<learner>/<assignment>/, `nbgrader autograde`, then read the
gradebook. Variants graded in one autograde run (one "learner" each):
- `solved`: the source notebook, answers filled in;
- `untouched`: the release notebook as a learner first receives it;
- `wrong-<test grade_id>`: the solved notebook with one answer cell replaced by the
  plausible wrong answer of course/trainer/wrong_answers/<assignment>.toml;
- `french-words`: the solved notebook answered with the French words learners type
  (support/french_words.py), for the modules that have some.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.coursedir import copy_sources, generate_assignments, module_of, run_nbgrader, source_notebook
from course.grading.command import grade
from course.trainer.synthetic import WRONG_ANSWERS
from course.trainer.synthetic import wrong_answers as load_wrong_answers
from support.french_words import FRENCH_ANSWERS, with_french
from support.gradebook import CellScore, cell_scores

ROOT = Path(__file__).resolve().parents[1]
WRONG_DIR = WRONG_ANSWERS
FRENCH_WORDS = "french-words"


@dataclass
class WrongAnswer:
    test_cell: str    # grade_id of the test cell that must lose points
    answer_cell: str  # grade_id of the answer cell to replace
    code: str
    why: str
    kind: str = ""    # e.g. "right type, wrong content", "missing quotes"


def wrong_answers(assignment: str) -> dict[str, list[WrongAnswer]]:
    return {test_id: [WrongAnswer(test_id, w["answer_cell"], w["code"], w.get("why", ""), w.get("kind", ""))
                      for w in entries]
            for test_id, entries in load_wrong_answers(assignment).items()}


def with_answer(nb: nbformat.NotebookNode, answer_cell: str, code: str) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == answer_cell:
            cell.source = code.strip("\n")
            return nb
    raise KeyError(f"no answer cell with grade_id {answer_cell!r}")


def wrong_learner(test_id: str, index: int) -> str:
    return f"wrong-{test_id}-{index}"


@dataclass
class GradedVariants:
    assignment: str
    scores: dict[str, dict[str, CellScore]]  # learner -> grade_id -> score
    wrong: dict[str, list[WrongAnswer]]  # test grade_id -> its wrong answers
    course_scores: dict[str, dict[str, CellScore]]  # the same learners graded by `course grade`

    def test_cells(self) -> list[str]:
        return [g for g, s in self.scores["solved"].items() if s.auto_graded]


def grade_variants(assignment: str, workdir: Path) -> GradedVariants:
    course = workdir / "course"
    copy_sources(ROOT, [assignment], course)
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    generate_assignments([assignment], course, ROOT, db_url=db_url)

    src_path = source_notebook(ROOT, assignment)
    solved = nbformat.read(src_path, as_version=4)
    released = nbformat.read(course / "release" / assignment / src_path.name, as_version=4)
    wrong = wrong_answers(assignment)
    variants = {"solved": solved, "untouched": released}
    for gid, entries in wrong.items():
        for i, w in enumerate(entries):
            variants[wrong_learner(gid, i)] = with_answer(solved, w.answer_cell, w.code)
    if module_of(assignment) in FRENCH_ANSWERS:
        variants[FRENCH_WORDS] = with_french(solved, module_of(assignment))

    for learner, nb in variants.items():
        folder = course / "submitted" / learner / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / src_path.name))
    # The same submissions graded by `course grade`, in a copy with its own gradebook.
    ours = workdir / "course-grade"
    shutil.copytree(course, ours, ignore=shutil.ignore_patterns("gradebook.db*", "autograded"))
    shutil.copy(ROOT / "nbgrader_config.py", ours / "nbgrader_config.py")
    run_nbgrader(["autograde", assignment, "--force"], course, ROOT, db_url=db_url)
    scores = {learner: cell_scores(db_url, assignment, src_path.stem, learner) for learner in variants}
    grade(ours, [assignment], workers=2, progress=False)
    ours_url = f"sqlite:///{ours / 'gradebook.db'}"
    course_scores = {learner: cell_scores(ours_url, assignment, src_path.stem, learner) for learner in variants}
    return GradedVariants(assignment, scores, wrong, course_scores)
