"""The notebook cleaner and validator, and the committed state of source/."""

from __future__ import annotations

import copy

import nbformat
import pytest
from conftest import ROOT

from course.trainer import notebooks

SOURCES = sorted((ROOT / "source").glob("*/*.ipynb"))


def graded_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    answer = nbformat.v4.new_code_cell("x = ...\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION")
    answer.metadata["nbgrader"] = {"grade": False, "grade_id": "answer_x", "locked": False,
                                   "schema_version": 3, "solution": True}
    test = nbformat.v4.new_code_cell("assert x == 1")
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "test_x", "locked": True, "points": 1,
                                 "schema_version": 3, "solution": False}
    test.metadata["collapsed"] = True
    test.metadata["execution"] = {"iopub.status.busy": "2026-11-22T03:00:00"}
    test.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
    test.execution_count = 7
    nb.cells = [answer, test]
    return nb


def test_cleaner_strips_outputs_and_front_end_metadata():
    nb = notebooks.clean_notebook(graded_notebook())
    test = nb.cells[1]
    assert test.outputs == [] and test.execution_count is None
    assert "collapsed" not in test.metadata and "execution" not in test.metadata
    assert nb.metadata["language_info"] == {"name": "python"}


def test_cleaner_keeps_nbgrader_metadata():
    before = graded_notebook()
    after = notebooks.clean_notebook(copy.deepcopy(before))
    assert [c.metadata["nbgrader"] for c in after.cells] == [c.metadata["nbgrader"] for c in before.cells]
    assert [c.source for c in after.cells] == [c.source for c in before.cells]


def test_clean_file_reports_and_fixes(tmp_path):
    path = tmp_path / "n.ipynb"
    nbformat.write(graded_notebook(), str(path))
    assert notebooks.clean_file(path, check_only=True) is False
    assert notebooks.clean_file(path, check_only=True) is False, "--check must not change the file"
    assert notebooks.clean_file(path) is False
    assert notebooks.clean_file(path) is True


def test_validator_accepts_a_good_notebook():
    assert notebooks.validate_notebook(notebooks.clean_notebook(graded_notebook()), "n") == []


@pytest.mark.parametrize("breakage, expected", [
    (lambda nb: nb.cells[1].metadata["nbgrader"].update(locked=False), "must be locked"),
    (lambda nb: nb.cells[1].metadata["nbgrader"].update(grade_id="answer_x"), "used twice"),
    (lambda nb: nb.cells[1].metadata["nbgrader"].update(points=0), "points > 0"),
    (lambda nb: setattr(nb.cells[0], "source", "x = 1"), "BEGIN SOLUTION"),
    (lambda nb: setattr(nb.cells[1], "source", "assert x == 1\n1.0"), "partial credit"),
    (lambda nb: setattr(nb.cells[1], "source", "### BEGIN HIDDEN TESTS\nassert x"), "without closing"),
    (lambda nb: nb.cells[1].metadata.pop("nbgrader"), "no graded cell"),
])
def test_validator_names_each_problem(breakage, expected):
    nb = notebooks.clean_notebook(graded_notebook())
    breakage(nb)
    problems = notebooks.validate_notebook(nb, "n")
    assert any(expected in p for p in problems), problems


def test_broken_json_gives_a_clear_error(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(notebooks.NotebookProblem, match="not a valid notebook"):
        notebooks.read(path)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_committed_sources_are_clean_and_keep_metadata(path):
    nb = notebooks.read(path)
    assert notebooks.is_clean(nb), f"{path.name} has outputs: run `course clean`"
    assert any("nbgrader" in c.metadata for c in nb.cells)
    assert notebooks.validate_notebook(nb, path.name) == []
