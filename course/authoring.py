"""Building nbgrader cells in code, for course authors.

Notebooks are edited in JupyterLab like any other; these builders help when a notebook
is drafted from a script, and guarantee the metadata conventions of docs/authoring.md:
answer cells keep a `name = ...` template outside the solution region, test cells are
locked, reflections are manually graded markdown cells.
"""

from __future__ import annotations

from textwrap import dedent

import nbformat

SCHEMA = 3


def _clean(text: str) -> str:
    return dedent(text).strip("\n")


def markdown(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(_clean(text))


def code(text: str) -> nbformat.NotebookNode:
    """A plain code cell (narrative, a demo, a plot): not graded, editable."""
    return nbformat.v4.new_code_cell(_clean(text))


def answer(grade_id: str, template: str, solution: str) -> nbformat.NotebookNode:
    """An answer cell: `template` is what the learner sees (e.g. `work_network = ...`,
    with comments), `solution` the reference answer, removed from the release."""
    source = f"{_clean(template)}\n### BEGIN SOLUTION\n{_clean(solution)}\n### END SOLUTION"
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": grade_id, "locked": False,
                                 "schema_version": SCHEMA, "solution": True}
    return cell


def test(grade_id: str, points: float, visible: str, hidden: str = "") -> nbformat.NotebookNode:
    """A locked, graded test cell: `visible` checks run for the learner, `hidden` ones
    are removed from the release and put back when grading."""
    source = _clean(visible)
    if hidden.strip():
        source += f"\n### BEGIN HIDDEN TESTS\n{_clean(hidden)}\n### END HIDDEN TESTS"
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True,
                                 "points": points, "schema_version": SCHEMA, "solution": False}
    return cell


def reflection(grade_id: str, points: float, model_answer: str) -> nbformat.NotebookNode:
    """A manually graded written answer (markdown). The model answer, for trainers, is
    replaced in the release by ClearSolutions.text_stub."""
    cell = nbformat.v4.new_markdown_cell(
        f"### BEGIN SOLUTION\n{_clean(model_answer)}\n### END SOLUTION")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": False,
                                 "points": points, "schema_version": SCHEMA, "solution": True}
    return cell


def locked(text: str, grade_id: str) -> nbformat.NotebookNode:
    """A read-only cell the learner must not change (e.g. the setup cell)."""
    cell = nbformat.v4.new_code_cell(_clean(text))
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": grade_id, "locked": True,
                                 "schema_version": SCHEMA, "solution": False}
    return cell


def notebook(cells: list[nbformat.NotebookNode], title: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["title"] = title
    nb.cells = cells
    # Stable cell ids: reviewable diffs when a notebook is regenerated from its draft.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{grade_id_of(cell) or 'cell'}-{i:02d}".replace("_", "-")
    return nb


def grade_id_of(cell: nbformat.NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")
