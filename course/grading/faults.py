"""Errors in the grader's own code inside a forked child: the grader's fault, not the learner's.

A forked child that hits an exception in grader code (framing, serialising outputs,
confine(), a test process's set-up...) writes its traceback as one line,
{"grader_error": "..."}, on its pipe to the worker, then exits. The worker stops grading
that submission and answers `grader_error` with the traceback: the submission is reported
failed, the gradebook keeps what it had, the trainer's log gets the traceback and the next
`course grade` grades it again. Nothing is blamed on the learner's notebook.

A learner must not be able to claim a grader error to escape a zero, so the worker believes
the line only where learner code cannot have written it:
- the learner process: only before its `ready` line, which it writes before it runs any
  learner code. The pipe is that process's alone (the worker keeps the reading end, and
  every process of the learner's user id has been ended before it is forked); after
  `ready` the process is the learner's, and any line but the expected cell message,
  {"grader_error": ...} included, is `interference`.
- a test process and the base: on their own pipes, which no learner process holds (they
  are closed in the learner process before it runs anything, and the test process is not
  dumpable, so its /proc/<pid>/fd cannot be opened either).
Not every exception in grader code is the grader's: learner processes run under the test
process's user id, so they can interrupt it (SIGINT, a KeyboardInterrupt), and the answers
it rebuilds are the learner's data (a MemoryError under the learner's memory limit). Those
end the child silently, as a crash does: the learner's verdict, as before.
"""

from __future__ import annotations

import traceback

from .channel import send

MAX_DETAIL = 8000  # characters of traceback kept: the end, where the error is


class GraderError(Exception):
    """A forked child's grader code failed: `detail` holds its traceback."""

    def __init__(self, where: str, detail: str):
        super().__init__(f"grader error in the {where}")
        self.where = where
        self.detail = detail


def learners_doing(exc: BaseException) -> bool:
    """An exception a learner process can cause in grader code from outside: a signal or the
    learner's memory limit. It is not reported as a grader error."""
    return not isinstance(exc, Exception) or isinstance(exc, MemoryError)


def report(fd: int, exc: BaseException) -> None:
    """In a forked child: tell the worker about an exception in grader code (never raises)."""
    if learners_doing(exc):
        return
    try:
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-MAX_DETAIL:]
        send(fd, {"grader_error": detail})
    except BaseException:
        pass


def check(msg: dict | None, where: str) -> dict | None:
    """On the worker side, for a message from a channel no learner code can write:
    raise GraderError if the child reported one."""
    if msg is not None and "grader_error" in msg:
        raise GraderError(where, str(msg["grader_error"])[-MAX_DETAIL:])
    return msg
