"""The grader's own failures are the grader's, and `course grade` says what it does.

- `channel`: JSON-line framing with deadlines and size limits;
- a bug in grader code inside a forked child (injected into a worker this test starts, never
  through anything a submission can reach) is reported as `grader_error` with its
  traceback in the log, the learner is not blamed, and the next run grades the submission;
- `course grade --verbose` shows the debug lines; the log file is written.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT

from course.coursedir import assignments
from course.grading import logs, pool
from course.grading.channel import LineReader, parse, send
from course.grading.command import grade
from support.sample_course import copy_course, make_course
from course.grading.notebook import values_offered

NAME = assignments(ROOT)[0]


# -- channel --------------------------------------------------------------------------------
@pytest.fixture
def pipe():
    r, w = os.pipe()
    yield r, w
    for fd in (r, w):
        try:
            os.close(fd)
        except OSError:
            pass


def test_lines_split_across_writes_come_out_whole(pipe):
    r, w = pipe
    reader = LineReader(r)
    os.write(w, b'{"a": 1}\n{"b"')
    assert reader.readline(None) == b'{"a": 1}'
    assert reader.readline(time.monotonic()) is None  # half a line: nothing yet
    os.write(w, b': 2}\n')
    assert parse(reader.readline(None)) == {"b": 2}
    os.close(w)
    assert reader.readline(None) == b""  # end of file


def test_deadline_passed_returns_none(pipe):
    r, _ = pipe
    assert LineReader(r).readline(time.monotonic() - 1) is None


def test_oversize_message_ends_the_stream(pipe):
    r, w = pipe
    reader = LineReader(r, max_bytes=64)
    os.write(w, b"x" * 100)
    assert reader.readline(None) == b""
    os.write(w, b'{"after": true}\n')
    assert reader.readline(None) == b""  # nothing more is read from a writer that broke the limit


def test_send_and_parse(pipe):
    r, w = pipe
    send(w, {"outputs": ["é"], "cut": False})
    assert parse(LineReader(r).readline(None)) == {"outputs": ["é"], "cut": False}
    assert parse(b"not json") is None and parse(b"[1, 2]") is None and parse(b"\xff") is None and parse(b"") is None


def test_a_test_is_offered_only_the_values_it_reads():
    cell = {"kind": "test", "transfer": ["answer"]}
    assert values_offered({"i": 3, "test": {"answer": {"pickle": "gAU="}}}, cell) == {"answer": {"pickle": "gAU="}}
    assert values_offered({"i": 3, "test": {}}, cell) == {}
    assert values_offered({"i": 3, "test": {"check": {"module": "os"}}}, cell) is None  # not a name it reads
    assert values_offered({"i": 3, "test": ["answer"]}, cell) is None
    assert values_offered({"i": 3, "test": {"answer": "x"}}, cell) is None
    assert values_offered({"i": 3, "outputs": []}, cell) is None


def test_worker_log_lines_are_relayed_with_their_level(caplog):
    line = json.dumps({"log": logging.ERROR, "name": "course.grading.testproc", "msg": "it broke", "created": 1.5})
    entries = logs.records(f"{line}\nstray print\n".encode(), 3)
    assert entries[0] == {"log": logging.ERROR, "name": "course.grading.testproc", "msg": "[worker 3] it broke",
                          "created": 1.5}
    assert entries[1]["log"] == logging.DEBUG and entries[1]["msg"] == "[worker 3] stray print"
    with caplog.at_level(logging.DEBUG, logger="course"):
        logs.relay(entries)
    assert [(r.name, r.levelno, r.getMessage(), r.created) for r in caplog.records][0] == \
        ("course.grading.testproc", logging.ERROR, "[worker 3] it broke", 1.5)


# -- grader errors in forked children --------------------------------------------------------
BOOM = "def boom(*args, **kwargs):\n    raise RuntimeError('injected grader bug')\n"
# Grader code replaced in the worker process this test starts, before it serves.
INJECTED = {
    "test process": "import course.grading.testproc as m\nm.run_test_cell = boom",
    "learner process's set-up": ("import types\nimport course.grading.learner as m\nfrom course.grading import sandbox\n"
                       "m.sandbox = types.SimpleNamespace(close_fds_except=sandbox.close_fds_except, confine=boom)"),
    "test base process": "import course.grading.testproc as m\nm.address_space_mb = boom",
}


@pytest.fixture(scope="module")
def one_learner(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults") / "course"
    learners = make_course(ROOT, folder, 1, names=[NAME])
    return folder, learners[0].id


def _inject(monkeypatch, code: str) -> None:
    def command(self):
        program = BOOM + code + "\nfrom course.grading.worker import main\nmain()\n"
        return [sys.executable, "-c", program, str(pool.sandbox.worker_slot(self.index))]

    monkeypatch.setattr(pool.WorkerProcess, "command", command)


@pytest.mark.slow
@pytest.mark.parametrize("where", sorted(INJECTED))
def test_a_grader_bug_in_a_child_is_a_grader_error_not_the_learners(one_learner, tmp_path, monkeypatch, caplog,
                                                                     where):
    course, learner = one_learner
    course = copy_course(course, tmp_path / "course")
    _inject(monkeypatch, INJECTED[where])
    [outcome] = grade(course, NAME, workers=1, progress=False)
    assert outcome.status == "failed"
    assert [r["code"] for r in outcome.reasons] == ["grader_error"], outcome.reasons
    assert where in outcome.reasons[0]["message"] and "not the learner's notebook" in outcome.reasons[0]["message"]
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("Traceback" in m and "RuntimeError: injected grader bug" in m and learner in m for m in errors), errors
    assert not (course / "autograded" / learner / NAME).exists(), "the gradebook side must keep what it had"
    if where == "test process":
        monkeypatch.undo()  # the bug is fixed: the next run grades the submission, it does not skip it
        [again] = grade(course, NAME, workers=1, progress=False)
        assert again.status == "graded" and again.score == again.max_score > 0


@pytest.mark.slow
def test_after_learner_code_ran_a_crash_is_the_learners_with_the_traceback_logged(one_learner, tmp_path,
                                                                                  monkeypatch, caplog):
    # Past its `ready` line the learner process is the learner's: nothing it says can be
    # checked, so it cannot claim a grader error; the trainer still sees the traceback.
    course, learner = one_learner
    course = copy_course(course, tmp_path / "course")
    _inject(monkeypatch, "import course.grading.learner as m\nm.run_cell = boom")
    caplog.set_level(logging.WARNING, logger="course")
    [outcome] = grade(course, NAME, workers=1, progress=False)
    assert "kernel_died" in [r["code"] for r in outcome.reasons]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("RuntimeError: injected grader bug" in m and "kernel_died" in m for m in warnings), warnings


# -- the command's log ----------------------------------------------------------------------
def _grade_cli(course, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, COURSE_DIR=str(course))
    return subprocess.run([sys.executable, "-m", "course", "grade", NAME, "--quiet", "--workers", "1", *args], env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_verbose_shows_debug_lines_and_the_log_file_is_written(one_learner, tmp_path):
    course, learner = one_learner
    course = copy_course(course, tmp_path / "course")
    proc = _grade_cli(course, "-v")
    assert proc.returncode == 0, proc.stderr[-3000:]
    for expected in ("DEBUG course.grading.worker: [worker 0] worker slot", "DEBUG course.grading.pool: worker 0 started",
                     f"job {learner}/{NAME}: sent to worker 0", f"job {learner}/{NAME}: answered in",
                     f"{learner} {NAME}: graded in"):
        assert expected in proc.stderr, expected
    default_log = (course / "autograded" / "course-grade.log").read_text(encoding="utf-8")
    assert f"{learner} {NAME}: graded in" in default_log and "[worker 0] worker slot" in default_log

    elsewhere = tmp_path / "logs" / "grading.log"
    quiet = _grade_cli(course, "--force", "--log-file", str(elsewhere))
    assert quiet.returncode == 0, quiet.stderr[-3000:]
    assert "DEBUG" not in quiet.stderr  # without --verbose: warnings and errors only
    assert f"job {learner}/{NAME}: answered in" in elsewhere.read_text(encoding="utf-8")
    assert (course / "autograded" / "course-grade.log").read_text(encoding="utf-8") == default_log


# A worker that never says it is ready, and whose child keeps the pipe open: only the end
# of its process group tells a reader that it is gone.
NEVER_READY = "import subprocess, sys; subprocess.Popen(['sleep', '600']); sys.stdin.read()"


class NeverReadyWorker(pool.WorkerProcess):
    def command(self) -> list[str]:
        return [sys.executable, "-c", NEVER_READY]


def test_a_worker_stopped_while_it_starts_ends_its_starter_cleanly(tmp_path):
    """The pool closes (a damaged gradebook, Ctrl-C) while its thread waits for a worker to be
    ready: the thread ends with WorkerUnavailable, reads no closed or reused pipe, prints no
    traceback, and nothing of the worker is left running."""
    import gc
    import threading

    from support.processes import alive, wait_for

    folder = pool.RunFolder()
    starter_error: list[BaseException] = []
    uncaught: list = []
    previous_hook = threading.excepthook
    threading.excepthook = uncaught.append
    worker = NeverReadyWorker(0, use_bwrap=False, folder=folder)

    def start():
        try:
            worker.start()
        except BaseException as exc:
            starter_error.append(exc)

    thread = threading.Thread(target=start)
    try:
        thread.start()
        proc = wait_for(lambda: worker.proc, "the worker process to be started")
        wait_for(lambda: [p for p in _children(proc.pid)], "the worker's own child to be started")
        group = proc.pid
        del proc
        worker.stop(kill=True)
        gc.collect()  # the Popen object stop() let go: its pipe must not close under the reader
        thread.join(timeout=60)
        assert not thread.is_alive(), "the starting thread still waits for a worker that was stopped"
    finally:
        threading.excepthook = previous_hook
        try:
            os.killpg(group, 9)
        except (OSError, NameError):
            pass
        folder.remove()
    assert uncaught == []
    assert [type(e) for e in starter_error] == [pool.WorkerUnavailable], starter_error
    assert "stopped while it started" in str(starter_error[0])
    wait_for(lambda: not any(alive(pid) for pid in _group_members(group)), "the worker's group to end", timeout=60)


def _children(pid: int) -> list[int]:
    from course.grading import sandbox

    return [child for child, parent, _ in sandbox.processes() if parent == pid]


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                members.append(int(entry))
    return members
