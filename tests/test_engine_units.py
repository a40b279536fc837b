"""The grading engine's internals, one at a time, on a tiny notebook (nbgrader's own test
style: a throwaway course, generate_assignment, then the function under test against the
gradebook it wrote). The end-to-end tests (test_grading.py, the hostile suite) show these
parts work together; these say which part broke.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from conftest import ROOT
from nbgrader.api import Gradebook

from course.coursedir import generate_assignments
from course.config import load
from course.grading.prepare import (PreparedNotebook, SourceCells, _repair_flags, content_hash, prepare_notebook,
                                    restore_missing_cells)
from course.grading.record import apply_result
from course.nbgrader_adapter import SharedOverwriteCells

ASSIGNMENT = "tiny"


def _cell(kind: str, source: str, grade_id: str | None = None, **flags):
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if grade_id:
        meta = {"grade": False, "solution": False, "locked": False, "grade_id": grade_id, "schema_version": 3}
        meta.update(flags)
        cell.metadata["nbgrader"] = meta
    return cell


def tiny_source() -> nbformat.NotebookNode:
    """Setup (locked), an answer, its test with a hidden part, a hand-graded reflection."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        _cell("markdown", "# A tiny module"),
        _cell("code", "base = 40", "setup", locked=True),
        _cell("code", "answer = ...\n### BEGIN SOLUTION\nanswer = base + 2\n### END SOLUTION", "answer_a", solution=True),
        _cell("code", "assert answer == 42, 'look again'\n### BEGIN HIDDEN TESTS\nassert answer - base == 2\n"
                      "### END HIDDEN TESTS", "test_a", grade=True, locked=True, points=2),
        _cell("markdown", "Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION", "reflection",
              grade=True, solution=True, points=1),
    ]
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("engine") / "course"
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    shutil.copyfile(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    nbformat.write(tiny_source(), root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    settings = load(root)
    generate_assignments([ASSIGNMENT], root, root, db_url=settings.db_url)
    return settings


@pytest.fixture
def gb(course):
    with Gradebook(course.db_url) as gradebook:
        yield gradebook


def released(course) -> nbformat.NotebookNode:
    return nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def solved(course) -> nbformat.NotebookNode:
    return nbformat.read(course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def ids(nb) -> list:
    return [grade_id(c) for c in nb.cells]


# content_hash: what decides that a resubmission is unchanged and need not be graded again.

def test_content_hash_changes_with_every_input_and_only_then(course, tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "tiny.ipynb").write_text("{}", encoding="utf-8")
    source = course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    first = content_hash(folder, "2026-11-30 10:00:00", source, "config")
    assert first == content_hash(folder, "2026-11-30 10:00:00", source, "config")
    assert first != content_hash(folder, "2026-11-30 10:00:01", source, "config")    # handed in again
    assert first != content_hash(folder, "2026-11-30 10:00:00", source, "config 2")  # nbgrader_config.py
    (folder / "tiny.ipynb").write_text("{ }", encoding="utf-8")
    assert first != content_hash(folder, "2026-11-30 10:00:00", source, "config")    # the notebook
    (folder / "tiny.ipynb").write_text("{}", encoding="utf-8")
    (folder / "notes.txt").write_text("", encoding="utf-8")
    assert first != content_hash(folder, "2026-11-30 10:00:00", source, "config")    # a new file


# _repair_flags: a learner cannot turn a test into an ordinary cell by editing metadata.

def test_repair_flags_puts_back_what_the_gradebook_says(course, gb):
    nb = released(course)
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_a")
    test.metadata.nbgrader.update(grade=False, points=100, locked=False)
    assert _repair_flags(gb, nb, ASSIGNMENT, ASSIGNMENT) == ["test_a"]
    assert {k: test.metadata.nbgrader[k] for k in ("grade", "points", "locked", "solution")} == \
        {"grade": True, "points": 2, "locked": True, "solution": False}


def test_repair_flags_drops_metadata_the_assignment_never_had(course, gb):
    nb = released(course)
    nb.cells.append(_cell("code", "answer = 42", "made_up", grade=True, points=50))
    assert _repair_flags(gb, nb, ASSIGNMENT, ASSIGNMENT) == ["made_up"]
    assert "nbgrader" not in nb.cells[-1].metadata


def test_repair_flags_leaves_an_honest_notebook_alone(course, gb):
    nb = released(course)
    assert _repair_flags(gb, nb, ASSIGNMENT, ASSIGNMENT) == []


# restore_missing_cells: deleted tests and setup come back where they were; answers do not.

def test_deleted_test_and_setup_cells_come_back_in_place(course, gb):
    nb = released(course)
    nb.cells = [c for c in nb.cells if grade_id(c) not in ("setup", "test_a", "answer_a")]
    overwrite = SharedOverwriteCells(config=course.config)
    overwrite.lookup = SourceCells(gb, ASSIGNMENT, ASSIGNMENT)
    order = SourceCells(gb, ASSIGNMENT, ASSIGNMENT).source_order(course, ASSIGNMENT, ASSIGNMENT)
    restored = restore_missing_cells(gb, nb, ASSIGNMENT, ASSIGNMENT, order, overwrite)
    assert sorted(restored) == ["setup", "test_a"]
    # In the source's order (the intro, which no grade_id names, cannot anchor), no answer invented.
    assert [i for i in ids(nb) if i] == ["setup", "test_a", "reflection"]
    test = nb.cells[ids(nb).index("test_a")]
    assert "BEGIN HIDDEN TESTS" in test.source, "the restored test is the gradebook's, hidden part included"
    assert test.metadata.nbgrader["points"] == 2


# apply_result: the worker's outputs become the notebook nbgrader scores.

def _prepared(course, gb, tmp_path) -> PreparedNotebook:
    path = tmp_path / f"{ASSIGNMENT}.ipynb"
    nbformat.write(solved(course), path)
    p = prepare_notebook(gb, course, ASSIGNMENT, "learner", ASSIGNMENT, path)
    assert p.problem is None
    return p


def test_outputs_land_in_their_cells_with_counts(course, gb, tmp_path):
    p = _prepared(course, gb, tmp_path)
    code = [p.nb.cells[i] for i in p.code_cells]
    result = {"outputs": {"0": [{"output_type": "stream", "name": "stdout", "text": "hi\n"}],
                          "1": [{"output_type": "execute_result", "data": {"text/plain": "42"}, "metadata": {}}],
                          "2": [{"output_type": "made_up"}, "not even a dict"]}}
    assert apply_result(p, result) == []
    assert code[0].outputs[0].text == "hi\n"
    assert [c.execution_count for c in code] == [1, 2, 3]
    assert code[1].outputs[0].execution_count == 2
    assert code[2].outputs == []  # what is not a Jupyter output is dropped


def test_a_test_cell_error_keeps_the_message_not_the_hidden_code(course, gb, tmp_path):
    p = _prepared(course, gb, tmp_path)
    test_position = next(k for k, i in enumerate(p.code_cells) if grade_id(p.nb.cells[i]) == "test_a")
    error = {"output_type": "error", "ename": "AssertionError", "evalue": "look again",
             "traceback": ["assert answer - base == 2  # hidden", "AssertionError: look again"]}
    apply_result(p, {"outputs": {str(test_position): [error]}})
    out = p.nb.cells[p.code_cells[test_position]].outputs[0]
    assert out.traceback == ["AssertionError: look again"]


@pytest.mark.parametrize("result, code", [
    ({"outputs": {"1": [{"output_type": "error", "ename": "CellTimeoutError", "evalue": "", "traceback": []}]}},
     "timeout"),
    ({"outputs": {"1": [{"output_type": "error", "ename": "MemoryError", "evalue": "", "traceback": []}]}}, "memory"),
    ({"outputs": {}, "cut": True}, "output_limit"),
    ({"outputs": {}, "stopped": {"cell": 1, "reason": "interference"}}, "grader_interference"),
    ({"outputs": {}, "stopped": {"cell": 1, "reason": "timeout"}}, "timeout_unresponsive"),
    ({"outputs": {}, "stopped": {"cell": 1, "reason": "died"}}, "kernel_died"),
])
def test_each_way_a_run_can_end_has_its_reason(course, gb, tmp_path, result, code):
    p = _prepared(course, gb, tmp_path)
    assert [n.code for n in apply_result(p, result)] == [code]


# course.cells: one place decides what a cell is and where graded cells stand.

def test_cell_kinds_and_order(course):
    from course import cells

    nb = solved(course)
    kinds = {grade_id(c): (cells.is_test(c), cells.is_answer(c), cells.is_setup(c), cells.is_plain(c))
             for c in nb.cells}
    assert kinds == {None: (False, False, False, True), "setup": (False, False, True, True),
                     "answer_a": (False, True, False, False), "test_a": (True, False, False, False),
                     "reflection": (False, True, False, False)}
    assert cells.in_notebook_order(nb, ["reflection", "gone", "setup"]) == ["setup", "reflection", "gone"]


@pytest.mark.parametrize("source, free", [
    # A test cell may normalise the learner's answer in place: it reads it first.
    ("going_private = check.normalise(going_private)\ncheck.one_of(going_private, ['b'])", {"check", "going_private"}),
    ("for _a, _b in route_posts.items():\n    check.equal(_a, _b, m)", {"check", "m", "route_posts"}),
    ("x = [y for y in items if y > lim]\nprint(x)", {"items", "lim", "print"}),
    ("_posts = load('p')\nz = _posts[_posts['a'] == 1]\nn += 1", {"load", "n"}),
    ("def g(a, b=c):\n    return a + d\ng(1)", {"c", "d"}),
    ("f = lambda q: q + w", {"w"}),
    ("not python (", set()),
])
def test_free_names_are_read_before_they_are_bound(source, free):
    from course.grading.transfer import free_names

    assert free_names(source) == frozenset(free)


def _without_ids(nb):
    return [{k: v for k, v in cell.items() if k != "id"} for cell in nb.cells], nb.metadata, nb.nbformat_minor


@pytest.mark.parametrize("path", sorted(ROOT.glob("source/*/*.ipynb")), ids=lambda p: p.parent.name)
def test_a_notebook_reads_as_nbformat_reads_it(path):
    """prepare reads submissions without nbformat's schema pass (it only logs): the same
    notebook as nbformat.reads, for every module."""
    from course.grading.prepare import reads_without_schema

    text = path.read_text(encoding="utf-8")
    assert reads_without_schema(text) == nbformat.reads(text, as_version=4)


@pytest.mark.parametrize("change", ["ids removed", "ids repeated", "version 3"])
def test_what_the_schema_pass_repairs_is_repaired_the_same(change):
    """Missing or repeated cell ids are given new ones (random, as nbformat does); an old
    notebook is converted: the same notebook but for those new ids."""
    import json
    import warnings

    from course.grading.prepare import reads_without_schema

    nb = nbformat.read(ROOT / "source/02-who-can-see-this-post/02-who-can-see-this-post.ipynb", as_version=4)
    if change == "version 3":
        nb = nbformat.convert(nb, 3)
    else:
        for i, cell in enumerate(nb.cells):
            if change == "ids removed":
                del cell["id"]
            else:
                cell["id"] = "same" if i % 2 else cell["id"]
    text = json.dumps(nb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = reads_without_schema(text), nbformat.reads(text, as_version=4)
    assert _without_ids(ours) == _without_ids(theirs)
    ids = [cell.get("id") for cell in ours.cells]
    assert all(ids) and len(set(ids)) == len(ids)
