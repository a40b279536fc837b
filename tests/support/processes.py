"""Waiting on processes in grading tests: a condition with a deadline (never a fixed sleep),
whether a process is alive, and whether a grading worker has forked a learner's process."""

from __future__ import annotations

import time
from pathlib import Path

from course.grading import sandbox

WAIT = 300.0  # generous: only ends a test that would wait forever


def wait_for(condition, what: str, timeout: float = WAIT):
    """Poll `condition` until it is true; its value. AssertionError after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b""


def learner_process_running(among=None) -> bool:
    """A grading worker has forked (its child has the worker's command line): a learner's
    notebook is being run. `among`: the process ids to look at (default: all), or a function
    that says whether a pid counts."""
    table = sandbox.processes()
    parent = {pid: ppid for pid, ppid, _ in table}
    worker = b"course.grading.worker"
    pids = [pid for pid, _, _ in table]
    if callable(among):
        pids = [pid for pid in pids if among(pid)]
    elif among is not None:
        pids = list(among)
    return any(worker in _read(f"/proc/{pid}/cmdline") and worker in _read(f"/proc/{parent.get(pid, 0)}/cmdline")
               for pid in pids)


def environ_of(pid: int) -> bytes:
    return _read(f"/proc/{pid}/environ")
