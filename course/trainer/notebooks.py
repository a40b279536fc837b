"""Source notebooks: strip them for commit, and check their nbgrader metadata.

`clean_notebook` removes what running a notebook adds (outputs, execution counts,
timing metadata) and keeps what grading needs (the `nbgrader` cell metadata, tags,
editable/deletable flags). `validate_notebook` lists what would make nbgrader grade a
notebook wrongly, in words a trainer can act on.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat

from .. import cells as cell_kinds

# Cell metadata worth keeping; everything else (collapsed, scrolled, execution, ...)
# is added by the front end and only makes diffs noisy.
KEPT_CELL_METADATA = ("nbgrader", "tags", "editable", "deletable", "slideshow")
KEPT_NOTEBOOK_METADATA = ("kernelspec", "nbgrader", "title", "course")  # course: a generated edition's origin

_SOLUTION = re.compile(r"^\s*### BEGIN SOLUTION\s*$", re.M)
_END_SOLUTION = re.compile(r"^\s*### END SOLUTION\s*$", re.M)
_HIDDEN = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$", re.M)
_END_HIDDEN = re.compile(r"^\s*### END HIDDEN TESTS\s*$", re.M)
_GRADE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# JupyterLab's Run All (and nbclient) goes on past a failing cell with this tag: a learner
# who runs a module with exercises unanswered sees every check's message, down to the end.
# nbgrader keeps tags, and scores do not change: a test cell's error output still fails it.
RUN_ALL_TAG = "raises-exception"


def may_fail(cell) -> bool:
    """Answer and test code cells: they fail while the exercise is unanswered or wrong."""
    return cell.cell_type == "code" and (cell_kinds.is_answer(cell) or cell_kinds.is_test(cell))


class NotebookProblem(ValueError):
    """A source notebook nbgrader would grade wrongly; the message says how to fix it."""


def read(path: Path) -> nbformat.NotebookNode:
    try:
        return nbformat.read(str(path), as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as exc:
        raise NotebookProblem(f"{path} is not a valid notebook (broken JSON: {exc}). "
                              "Restore it from git or re-save it in JupyterLab.") from None


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    # nbformat writes sorted keys and one-space indent: stable, reviewable diffs.
    Path(path).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return `nb` without outputs, execution counts and front-end metadata."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k in KEPT_CELL_METADATA}
        )
        if "attachments" in cell and not cell.attachments:
            del cell["attachments"]
        if may_fail(cell) and RUN_ALL_TAG not in cell.metadata.get("tags", []):
            cell.metadata["tags"] = list(cell.metadata.get("tags", [])) + [RUN_ALL_TAG]
    nb.metadata = nbformat.from_dict(
        {k: v for k, v in nb.metadata.items() if k in KEPT_NOTEBOOK_METADATA}
    )
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def is_clean(nb: nbformat.NotebookNode) -> bool:
    before = nbformat.writes(nb)
    return nbformat.writes(clean_notebook(nbformat.reads(before, as_version=4))) == before


def clean_file(path: Path, check_only: bool = False) -> bool:
    """Clean one notebook in place. Returns True if it was already clean."""
    nb = read(path)
    if is_clean(nb):
        return True
    if not check_only:
        write(clean_notebook(nb), path)
    return False


def grade_cells(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The nbgrader metadata of every graded cell, in notebook order."""
    return [dict(c.metadata["nbgrader"], cell_type=c.cell_type) for c in nb.cells if cell_kinds.is_graded(c)]


def validate_notebook(nb: nbformat.NotebookNode, where: str) -> list[str]:
    """Problems that would make nbgrader grade `nb` wrongly, one sentence each."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    graded = 0
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append(f"{where}: the notebook's kernel is not python3 (set it in JupyterLab: Kernel > Change Kernel).")
    for i, cell in enumerate(nb.cells, start=1):
        meta = cell.metadata.get("nbgrader")
        src = cell.source
        label = f"{where}, cell {i}"
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count):
            problems.append(f"{label}: has outputs; run `course clean` before committing.")
        if not meta:
            if _SOLUTION.search(src) or _HIDDEN.search(src):
                problems.append(f"{label}: has solution or hidden-test markers but no nbgrader metadata, "
                                "so the answer would be shipped to learners.")
            continue
        gid = meta.get("grade_id")
        if not gid or not _GRADE_ID.match(gid):
            problems.append(f"{label}: grade_id {gid!r} should be lower_case_with_underscores.")
        elif gid in seen:
            problems.append(f"{label}: grade_id {gid!r} is used twice (also cell {seen[gid]}).")
        else:
            seen[gid] = i
        if meta.get("grade"):
            graded += 1
            points = meta.get("points")
            if not isinstance(points, (int, float)) or points <= 0:
                problems.append(f"{label}: graded cell {gid!r} needs points > 0.")
        if meta.get("solution") and cell.cell_type == "code":
            if not (_SOLUTION.search(src) and _END_SOLUTION.search(src)):
                problems.append(f"{label}: answer cell {gid!r} needs ### BEGIN SOLUTION / ### END SOLUTION.")
        if cell_kinds.is_test(cell):
            if not meta.get("locked"):
                problems.append(f"{label}: test cell {gid!r} must be locked (read-only).")
            if bool(_HIDDEN.search(src)) != bool(_END_HIDDEN.search(src)):
                problems.append(f"{label}: test cell {gid!r} opens hidden tests without closing them (or the reverse).")
            last = [ln for ln in src.strip().splitlines() if ln.strip() and not ln.strip().startswith("#")]
            if last and re.match(r"^\s*[-+]?\d", last[-1]):
                problems.append(f"{label}: test cell {gid!r} ends with a number, which nbgrader reads as partial credit.")
        if may_fail(cell) and RUN_ALL_TAG not in cell.metadata.get("tags", []):
            problems.append(f"{label}: cell {gid!r} lacks the tag {RUN_ALL_TAG!r}, so Run All would stop there "
                            "while it is unanswered; `course clean` adds it.")
        if cell_kinds.is_plain(cell) and _HIDDEN.search(src):
            problems.append(f"{label}: hidden tests in cell {gid!r}, which is not a graded test cell.")
    if graded == 0:
        problems.append(f"{where}: no graded cell at all.")
    return problems
