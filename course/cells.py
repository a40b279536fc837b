"""What an nbgrader cell is, decided in one place (grading, feedback, reports and the
notebook checks all ask here).

nbgrader marks a cell with three flags: `grade` (it earns points), `solution` (the learner
writes it) and `locked` (the learner cannot change it). From them:
- a test: a graded code cell that is not a solution (nbgrader runs it to score the answer);
- an answer: a solution cell (code the tests read; a graded markdown solution is a
  reflection the trainer grades by hand);
- setup: a locked cell that is neither graded nor a solution (course code that runs first);
- anything else is narrative (text, or code the learner runs and reads); setup and
  narrative together are the plain cells (neither graded nor an answer).
"""

from __future__ import annotations


def nbgrader_meta(cell) -> dict:
    """The cell's nbgrader metadata ({} for an ordinary cell, or metadata that is not a dict)."""
    meta = cell.metadata.get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def grade_id(cell) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def is_graded(cell) -> bool:
    return bool(nbgrader_meta(cell).get("grade"))


def is_answer(cell) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_test(cell) -> bool:
    return cell.cell_type == "code" and is_graded(cell) and not is_answer(cell)


def is_setup(cell) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("locked")) and not meta.get("grade") and not meta.get("solution")


def is_plain(cell) -> bool:
    """Neither graded nor an answer: narrative text, setup, code the learner runs and reads."""
    return not is_graded(cell) and not is_answer(cell)


def in_notebook_order(nb, names) -> list[str]:
    """The grade_ids `names` in the order of their cells in `nb` (the gradebook keeps no
    order); names with no cell in `nb` come last, in the order given."""
    names = list(names)
    wanted = set(names)
    order = [g for g in (grade_id(c) for c in nb.cells) if g in wanted]
    return order + [n for n in names if n not in set(order)]
