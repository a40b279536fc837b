"""After each submission the worker ends what the learner's code left running; it forks a
killer only when a process of the learner's user id is still alive."""

import os

from course.grading import sandbox

LEARNER = sandbox.LEARNER_UID_BASE + 123


def test_processes_sees_this_process_with_its_user_id():
    table = {pid: (ppid, uids) for pid, ppid, uids in sandbox.processes()}
    assert table[os.getpid()] == (os.getppid(), {os.getuid(), os.geteuid()})


def test_no_killer_is_forked_when_nothing_of_the_learner_is_left(monkeypatch):
    killed = []
    monkeypatch.setattr(sandbox, "kill_uid", killed.append)
    monkeypatch.setattr(sandbox, "processes", lambda: [(os.getpid(), 1, {0})])
    sandbox.reap_everything([LEARNER])
    assert killed == []


def test_a_process_of_the_learner_left_anywhere_is_killed(monkeypatch):
    # Not a child of the worker (it escaped with a new session): found by its user id.
    scans = [[(os.getpid(), 1, {0}), (4_000_000, 1, {LEARNER})], [(os.getpid(), 1, {0})]]
    killed = []
    monkeypatch.setattr(sandbox, "kill_uid", killed.append)
    monkeypatch.setattr(sandbox, "processes", lambda: scans.pop(0))
    sandbox.reap_everything([LEARNER])
    assert killed == [LEARNER]
    assert scans == []  # looked again until nothing was left
