"""`course grade` leaves no temporary folder behind: in process or served by the grading
service, with or without bubblewrap, finished or interrupted with Ctrl-C (SIGINT), and
when the process that owned a pool was killed (the next pool removes its folder).

Each command runs with TMPDIR set to an empty folder of the test; once the command has
ended and the service it used is gone (waited for, never slept for), that folder holds
nothing but the service's own folder (its socket's lock and log, meant to stay)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT

from course.coursedir import assignments
from course.grading import pool, sandbox, service
from support.processes import WAIT, alive, environ_of, learner_process_running, wait_for
from support.sample_course import make_course

NAME = assignments(ROOT)[0]
SERVICE_FOLDER = "svc"  # inside TMPDIR: the one thing meant to stay


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cleanup") / "course"
    make_course(ROOT, folder, 3, names=[NAME])
    return folder


@pytest.fixture(scope="module")
def bigger_sample(tmp_path_factory):
    """Ten learners: a Ctrl-C sent once the first notebook runs finds nine still to grade."""
    folder = tmp_path_factory.mktemp("cleanup-bigger") / "course"
    make_course(ROOT, folder, 10, names=[NAME])
    return folder


class Run:
    """A copy of the sample course and an empty TMPDIR (short: the service's socket is in it)."""

    def __init__(self, sample: Path, dest: Path, served: bool, sandboxed: bool):
        self.course = Path(shutil.copytree(sample, dest))
        self.tmp = Path(tempfile.mkdtemp(prefix="cgc-"))
        self.args = [] if sandboxed else ["--no-sandbox"]
        self.env = dict(os.environ, COURSE_DIR=str(self.course), TMPDIR=str(self.tmp),
                        COURSE_GRADE_SERVICE="on" if served else "off",
                        COURSE_GRADE_SERVICE_DIR=str(self.tmp / SERVICE_FOLDER))

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "course", "grade", *args]

    def service_pids(self) -> set[int]:
        log = self.course / "autograded" / "course-grade.log"
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        return {int(p) for p in re.findall(service.SERVED + r" \(pid (\d+)", text)}

    def stop_service(self) -> None:
        subprocess.run(self.command("--stop-service"), env=self.env, capture_output=True, timeout=120, check=True)
        for pid in self.service_pids():
            wait_for(lambda: not alive(pid), f"the grading service {pid} to stop", timeout=120)

    def leftovers(self) -> list[str]:
        return sorted(str(p.relative_to(self.tmp)) for p in self.tmp.iterdir() if p.name != SERVICE_FOLDER)

    def close(self) -> None:
        for pid in self.service_pids():  # a failed test still stops its service
            # ...and only its service: a pid from the log may be another process's by now.
            if alive(pid) and self.tmp.name.encode() in environ_of(pid):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.fixture
def run_factory(request, tmp_path):
    runs = []

    def make(served: bool, sandboxed: bool, sample: str = "sample") -> Run:
        runs.append(Run(request.getfixturevalue(sample), tmp_path / f"course{len(runs)}", served, sandboxed))
        return runs[-1]

    yield make
    for run in runs:
        run.close()


def _needs_bwrap(sandboxed: bool) -> None:
    if sandboxed and not sandbox.bwrap_path():
        from conftest import missing_tool

        missing_tool("bubblewrap is not installed: apt-get install bubblewrap.")


@pytest.mark.slow
@pytest.mark.parametrize("served", [False, True], ids=["in-process", "served"])
@pytest.mark.parametrize("sandboxed", [True, False], ids=["bwrap", "no-sandbox"])
def test_grading_leaves_no_temporary_folder(run_factory, served, sandboxed):
    _needs_bwrap(sandboxed)
    run = run_factory(served, sandboxed)
    proc = subprocess.run(run.command(NAME, "--quiet", *run.args), env=run.env, capture_output=True, text=True,
                          timeout=WAIT)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    assert "Details:" in proc.stdout, proc.stdout[-2000:]
    assert bool(run.service_pids()) == served, "the service was (not) used as the test asked"
    run.stop_service()
    assert run.leftovers() == []


@pytest.mark.slow
def test_a_service_stopped_with_sigterm_leaves_no_temporary_folder(run_factory):
    run = run_factory(served=True, sandboxed=False)
    proc = subprocess.run(run.command(NAME, "--quiet", "--no-sandbox"), env=run.env, capture_output=True, text=True,
                          timeout=WAIT)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    [pid] = run.service_pids()
    assert list(run.tmp.glob(pool.RunFolder.PREFIX + "*")), "the service's workers have no folder: nothing tested"
    os.kill(pid, signal.SIGTERM)  # `kill PID`, as one stops a background process
    wait_for(lambda: not alive(pid), f"the grading service {pid} to stop", timeout=120)
    assert run.leftovers() == []


def _grading_under_way(run: Run) -> bool:
    """A learner's notebook of this run is being graded (a worker whose environment names
    the run's TMPDIR has forked)."""
    return learner_process_running(lambda pid: run.tmp.name.encode() in environ_of(pid))


@pytest.mark.slow
@pytest.mark.parametrize("served", [False, True], ids=["in-process", "served"])
def test_ctrl_c_while_grading_leaves_no_temporary_folder(run_factory, served):
    run = run_factory(served, sandboxed=False, sample="bigger_sample")  # without bwrap: folders on disk
    proc = subprocess.Popen(run.command(NAME, "--quiet", "--no-sandbox", "--force"), env=run.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: _grading_under_way(run) or proc.poll() is not None, "a notebook to be graded")
        assert proc.poll() is None, "course grade ended before it was interrupted: " + proc.communicate()[1][-2000:]
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err[-2000:]
    run.stop_service()
    assert run.leftovers() == []


def test_a_killed_pool_s_folder_is_removed_by_the_next_pool(tmp_path, monkeypatch):
    """The process that owns a pool can be SIGKILLed: its folder, no longer locked, is
    removed when the next pool starts; a pool still running keeps its own."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    killed_parent = os.fork()
    if killed_parent == 0:  # pragma: no cover - the child
        pool.RunFolder()
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(killed_parent, 0)
    [stale] = list(tmp_path.glob(pool.RunFolder.PREFIX + "*"))
    running = pool.RunFolder()
    try:
        assert not stale.exists(), "the killed pool's folder was left behind"
        assert running.path.is_dir()
        pool.RunFolder.sweep()
        assert running.path.is_dir(), "a running pool's folder was removed"
    finally:
        running.remove()
    assert list(tmp_path.iterdir()) == []


# The worker makes its submission's folder, as Worker.grade does, and is killed there.
DIES_WHILE_GRADING = """
import os, signal, tempfile
import course.grading.worker as m
def grade(self, job):
    tempfile.mkdtemp(prefix="submission-")
    os.kill(os.getpid(), signal.SIGKILL)
m.Worker.grade = grade
from course.grading.worker import main
main()
"""


@pytest.mark.slow
def test_a_killed_worker_s_folders_are_removed_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(pool.WorkerProcess, "command",
                        lambda self: [sys.executable, "-c", DIES_WHILE_GRADING, str(sandbox.worker_slot(self.index))])
    local = pool.LocalPool(1, use_bwrap=False)
    try:
        local.start()
        job = {"id": "x", "timeout": 30, "max_output_bytes": 10000, "limits": {}, "files": {},
               "notebooks": [{"name": "x", "cells": [{"kind": "answer", "source": "1"}]}]}
        local.submit("x", job)
        _, result = local.next_result()
        assert "worker_lost" in result, result
        left = [str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.name != ".lock"]
        assert left == [local.folder.path.name], "the killed worker's folders are still there"
    finally:
        local.close()
    assert list(tmp_path.iterdir()) == []
