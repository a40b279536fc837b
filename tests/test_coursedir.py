"""Running nbgrader on a course folder: generate_assignments (nbgrader's Python API, in
this process) does what the `nbgrader generate_assignment` command does."""

from __future__ import annotations


import pytest
from conftest import ROOT
from nbgrader.api import Gradebook

from course.coursedir import CourseError, assignments, copy_sources, generate_assignments, run_nbgrader


def _gradebook_rows(db_url: str, name: str) -> dict:
    """What generate_assignment records about an assignment: its notebooks and their cells."""
    with Gradebook(db_url) as gb:
        assignment = gb.find_assignment(name)
        return {nb.name: {"grade": sorted((c.name, c.max_score, c.cell_type) for c in nb.grade_cells),
                          "solution": sorted(c.name for c in nb.solution_cells),
                          "source": sorted((c.name, c.cell_type, c.locked, c.checksum, c.source)
                                           for c in nb.source_cells),
                          "task": sorted((c.name, c.max_score) for c in nb.task_cells)}
                for nb in assignment.notebooks}


def _files(folder) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_generate_assignments_matches_the_nbgrader_command(tmp_path):
    name = assignments(ROOT)[0]
    by_command, in_process = tmp_path / "command", tmp_path / "in-process"
    for course in (by_command, in_process):
        copy_sources(ROOT, [name], course)
    run_nbgrader(["generate_assignment", name, "--force"], by_command, ROOT,
                 db_url=f"sqlite:///{by_command / 'gradebook.db'}")
    generate_assignments([name], in_process, ROOT, db_url=f"sqlite:///{in_process / 'gradebook.db'}")

    released = _files(in_process / "release" / name)
    assert released, "nothing was released"
    assert released == _files(by_command / "release" / name)
    rows = _gradebook_rows(f"sqlite:///{in_process / 'gradebook.db'}", name)
    assert any(nb["grade"] for nb in rows.values()), "no graded cell was recorded"
    assert rows == _gradebook_rows(f"sqlite:///{by_command / 'gradebook.db'}", name)


@pytest.mark.slow
def test_generate_assignments_says_what_nbgrader_found_wrong(tmp_path):
    (tmp_path / "source").mkdir()
    with pytest.raises(CourseError) as failed:
        generate_assignments(["no-such-module"], tmp_path, ROOT, db_url=f"sqlite:///{tmp_path / 'gradebook.db'}")
    message = str(failed.value)
    assert message.startswith("`nbgrader generate_assignment no-such-module` failed:")
    assert "No notebooks were matched" in message
    assert "Traceback" not in message


def test_a_failed_tool_s_error_keeps_the_error_lines_cut_off_before_its_end():
    from course.coursedir import failure_output

    kernel = "zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:40123')"
    output = "\n".join(["[Autograde] starting", kernel] + [f"  File 'x.py', line {i}" for i in range(400)]
                       + ["RuntimeError: Kernel died before replying to kernel_info"])
    shown = failure_output(output, limit=500)
    assert kernel in shown and shown.endswith("RuntimeError: Kernel died before replying to kernel_info")
    assert "line 10'" not in shown  # the middle is left out
    assert failure_output("short", limit=500) == "short"
