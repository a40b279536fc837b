"""`course grade`: the same scores as `nbgrader autograde`, safe to kill, skips what is done.

Cohorts come from course/trainer/synthetic.py (solved, partly solved, wrong and empty notebooks, a
late one, a corrupt one, a hostile one) for every assignment in source/.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from nbgrader.api import Gradebook

from course.coursedir import assignments, run_nbgrader
from course.grading import sandbox
from course.grading.command import grade
from support.processes import learner_process_running
from support.sample_course import copy_course, db_url_of, make_course, nbgrader_autograde, scores

NAMES = assignments(ROOT)


def gradebook_state(course: Path) -> dict:
    """Everything a grading run writes to the gradebook, as plain values."""
    state = {}
    with Gradebook(db_url_of(course)) as gb:
        subs = [sub for a in gb.assignments for sub in a.submissions]
        for sub in subs:
            key = f"{sub.student.id}/{sub.assignment.name}"
            state[key] = {
                "timestamp": str(sub.timestamp), "late_seconds": sub.total_seconds_late,
                "grades": {f"{nb.name}/{g.name}": (g.auto_score, g.needs_manual_grade)
                           for nb in sub.notebooks for g in nb.grades},
                "comments": {f"{nb.name}/{c.name}": c.auto_comment for nb in sub.notebooks for c in nb.comments},
                "penalty": [nb.late_submission_penalty for nb in sub.notebooks],
            }
        state["_counts"] = {"students": len(gb.students), "submissions": len(subs)}
    return state


@pytest.fixture(scope="module")
def cohort_course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cohort") / "course"
    learners = make_course(ROOT, folder, 10)
    return folder, learners


@pytest.mark.assignment
def test_same_scores_as_nbgrader_autograde(cohort_course, tmp_path):
    course, learners = cohort_course
    answers = {a for ln in learners for a in ln.answers.values()}
    assert {"right", "wrong", "blank"} <= answers, "the cohort should hold right, wrong and blank answers"
    ours = copy_course(course, tmp_path / "ours")
    theirs = copy_course(course, tmp_path / "nbgrader")
    nbgrader_autograde(theirs, NAMES)
    outcomes = grade(ours, NAMES, workers=2, progress=False)

    ids = [ln.id for ln in learners if ln.kind != "corrupt"]
    for name in NAMES:
        expected, got = scores(theirs, name, ids), scores(ours, name, ids)
        assert got == expected, f"{name}: course grade and nbgrader autograde disagree"
        assert any(v for s in expected.values() for v in s.values()), f"{name}: nobody scored: not a real comparison"
    # Late submissions are penalised the same way (nbgrader's plugin, same timestamps).
    mine, reference = gradebook_state(ours), gradebook_state(theirs)
    for key, entry in reference.items():
        if key.startswith("_") or key.split("/")[0] not in ids:
            continue
        assert mine[key]["timestamp"] == entry["timestamp"]
        assert mine[key]["late_seconds"] == entry["late_seconds"]
        assert mine[key]["penalty"] == entry["penalty"]
    # The corrupt notebook is a reported failure with zero points, not a crash of the batch.
    corrupt = [o for o in outcomes if o.student == next(ln.id for ln in learners if ln.kind == "corrupt")]
    assert {o.status for o in corrupt} == {"failed"}
    assert all(r["code"] == "corrupt_notebook" for o in corrupt for r in o.reasons)
    # nbgrader's own tools work on the result: feedback is generated from autograded/.
    run_nbgrader(["generate_feedback", NAMES[0], "--force"], ours, ours, db_url=db_url_of(ours))
    assert list((ours / "feedback").glob(f"*/{NAMES[0]}/*.html"))


@pytest.mark.slow
def test_hidden_tests_do_not_appear_in_outputs(cohort_course, tmp_path):
    course, learners = cohort_course
    ours = copy_course(course, tmp_path / "ours")
    grade(ours, NAMES[0], workers=1, progress=False)
    source = nbformat.read(ROOT / "source" / NAMES[0] / f"{NAMES[0]}.ipynb", as_version=4)
    hidden = [line.strip() for c in source.cells for line in
              c.source.split("### BEGIN HIDDEN TESTS")[-1].split("### END HIDDEN TESTS")[0].splitlines()
              if "### BEGIN HIDDEN TESTS" in c.source and len(line.strip()) > 20]
    assert hidden
    for path in (ours / "autograded").glob(f"*/{NAMES[0]}/*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        text = json.dumps([c.get("outputs", []) for c in nb.cells])
        leaked = [h for h in hidden if h in text]
        assert not leaked, f"{path}: hidden test code in the outputs: {leaked[:1]}"


def _grade_cli(course: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, COURSE_DIR=str(course))
    return subprocess.Popen([sys.executable, "-m", "course", "grade", *args, "--quiet"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _log_lines(course: Path) -> int:
    return sum(len(p.read_text().splitlines()) for p in (course / "autograded").glob("*.grading-log.jsonl")) \
        if (course / "autograded").is_dir() else 0


@pytest.mark.slow
@pytest.mark.parametrize("kill_after_records", [0, 3])
def test_killed_run_then_rerun_gives_the_same_gradebook(cohort_course, tmp_path, kill_after_records):
    """Killed while a submission is in flight (before any is recorded, or after three),
    a rerun gives the same gradebook and folders as a run that was never killed."""
    course, _ = cohort_course
    names = NAMES[:2]
    straight = copy_course(course, tmp_path / "straight")
    grade(straight, names, workers=2, progress=False)
    total = _log_lines(straight)

    killed = copy_course(course, tmp_path / "killed")
    proc = _grade_cli(killed, *names)

    def started() -> bool:  # a condition, never a guess of how long start-up takes
        if kill_after_records == 0:
            return learner_process_running(sandbox.descendants(proc.pid, sandbox.processes()))
        return _log_lines(killed) >= kill_after_records

    while not started():
        assert proc.poll() is None, "course grade ended before the moment the test kills it: " + \
            proc.communicate()[1][-2000:]
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    recorded = _log_lines(killed)
    assert recorded < total, "the whole batch was recorded before the kill: nothing was interrupted"
    if kill_after_records:
        assert recorded >= kill_after_records
    rerun = _grade_cli(killed, *names)
    rerun.communicate(timeout=600)
    assert gradebook_state(killed) == gradebook_state(straight)
    for name in names:
        got = sorted(p.parent.parent.name for p in (killed / "autograded").glob(f"*/{name}/*.ipynb"))
        want = sorted(p.parent.parent.name for p in (straight / "autograded").glob(f"*/{name}/*.ipynb"))
        assert got == want
        assert not list((killed / "autograded").glob(f"*/.{name}.*")), "half-written folders left behind"


@pytest.mark.slow
def test_unchanged_resubmissions_are_skipped(cohort_course, tmp_path):
    course, learners = cohort_course
    name = NAMES[0]
    ours = copy_course(course, tmp_path / "ours")
    first = grade(ours, name, workers=2, progress=False)
    assert {o.status for o in first} <= {"graded", "failed"}
    before = gradebook_state(ours)

    again = grade(ours, name, workers=2, progress=False)
    assert {o.status for o in again} == {"skipped"}
    assert gradebook_state(ours) == before

    # One learner resubmits a changed notebook: only that one is graded again.
    solved = next(ln.id for ln in learners if ln.kind == "solved")
    path = ours / "submitted" / solved / name / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print('one more try')"))
    nbformat.write(nb, path)
    third = {o.student: o.status for o in grade(ours, name, workers=2, progress=False)}
    assert third.pop(solved) == "graded"
    assert set(third.values()) == {"skipped"}

    forced = grade(ours, name, workers=2, progress=False, force=True)
    assert "skipped" not in {o.status for o in forced}
    assert gradebook_state(ours) == before


@pytest.mark.slow
def test_exit_status_and_summary(cohort_course, tmp_path):
    course, learners = cohort_course
    ours = copy_course(course, tmp_path / "ours")
    proc = _grade_cli(ours, NAMES[0])
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err  # the corrupt notebook failed
    assert "corrupt_notebook" in out and "graded" in out
    log = (ours / "autograded" / f"{NAMES[0]}.grading-log.jsonl").read_text().splitlines()
    assert len(log) == len(learners)
    assert {json.loads(line)["student"] for line in log} == {ln.id for ln in learners}


@pytest.mark.slow
def test_without_bubblewrap_it_warns_and_grades_the_same(cohort_course, tmp_path):
    import io

    course, learners = cohort_course
    sandboxed, bare = copy_course(course, tmp_path / "sandboxed"), copy_course(course, tmp_path / "bare")
    grade(sandboxed, NAMES[0], workers=1, progress=False, students=["learner001", "learner002"])
    said = io.StringIO()
    grade(bare, NAMES[0], workers=1, progress=False, students=["learner001", "learner002"], use_bwrap=False, out=said)
    assert "WARNING" in said.getvalue() and "resource limits only" in said.getvalue()
    ids = ["learner001", "learner002"]
    assert scores(bare, NAMES[0], ids) == scores(sandboxed, NAMES[0], ids)


def test_autograded_notebooks_are_written_as_nbformat_writes_them():
    from course.grading.record import notebook_json

    nb = nbformat.read(ROOT / "source" / NAMES[1] / f"{NAMES[1]}.ipynb", as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBOR\nw0", "text/plain": "é\nfigure"}),
                    nbformat.v4.new_output("stream", text="line 1\nline 2\n")]
    nb.metadata["widgets"] = {"state": {}}  # transient keys are dropped by both
    expected = nbformat.writes(nb)
    assert notebook_json(nb) == expected
