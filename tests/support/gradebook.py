"""Reading scores out of an nbgrader gradebook, as plain dicts.

Used by the tests, the demo and the reports, so that every part of the course reads
scores the same way nbgrader's formgrader does.
"""

from __future__ import annotations

from dataclasses import dataclass

from nbgrader.api import Gradebook, MissingEntry


@dataclass(frozen=True)
class CellScore:
    grade_id: str
    auto_score: float | None   # None: waits for a trainer (manually graded cell)
    manual_score: float | None
    max_score: float
    auto_graded: bool          # a test cell graded by running it

    @property
    def score(self) -> float | None:
        return self.manual_score if self.manual_score is not None else self.auto_score


def cell_scores(db_url: str, assignment: str, notebook: str, student: str) -> dict[str, CellScore]:
    """Every graded cell of one learner's notebook, by grade_id."""
    with Gradebook(db_url) as gb:
        try:
            snb = gb.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return {}
        out = {}
        for grade in snb.grades:
            out[grade.name] = CellScore(
                grade_id=grade.name,
                auto_score=grade.auto_score,
                manual_score=grade.manual_score,
                max_score=grade.max_score,
                auto_graded=grade.cell.cell_type == "code" and not _is_solution(gb, grade, notebook, assignment),
            )
        return out


def _is_solution(gb: Gradebook, grade, notebook: str, assignment: str) -> bool:
    try:
        gb.find_solution_cell(grade.name, notebook, assignment)
        return True
    except MissingEntry:
        return False


def students(db_url: str) -> list[str]:
    with Gradebook(db_url) as gb:
        return sorted(s.id for s in gb.students)
