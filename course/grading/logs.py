"""Logging of `course grade`: a logger per module, and the workers' records relayed home.

- The trainer's process: `setup()` (course grade --verbose / --log-file) sends warnings and
  errors to stderr (debug lines too with --verbose) and every line to the log file
  (default: autograded/course-grade.log, rotated at 5 MB).
- A worker is another process, inside bubblewrap: `worker_logging()` makes the records of
  course.grading.* JSON lines on its stderr, from the level the trainer's process passes
  in COURSE_GRADE_LOG_LEVEL (`worker_level()`). Only the worker process itself writes: a
  forked child's stderr may be the learner's output. `pool` reads the worker's stderr and
  `relay()`s the records into the trainer's loggers, with their own times.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import sys
from pathlib import Path

from .channel import write_all

LEVEL_ENV = "COURSE_GRADE_LOG_LEVEL"
MAX_LINE = 16000
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_INSTALLED: list[logging.Handler] = []


class _Stderr(logging.StreamHandler):
    """sys.stderr as it is at each record: the progress bar replaces it while it runs."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def setup(verbose: bool, log_file: Path | None, default: bool = True) -> Path | None:
    """Logging of the `course grade` command; the log file's path, or None if it cannot be
    written (said on stderr). `default`: log_file is the default one (rotated)."""
    logger = logging.getLogger("course")
    for installed in _INSTALLED:  # a second call replaces what the first installed
        logger.removeHandler(installed)
        installed.close()
    _INSTALLED.clear()
    logger.setLevel(logging.DEBUG)
    console = _Stderr()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("course grade: %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(console)
    _INSTALLED.append(console)
    if log_file is None:
        return None
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        if default:
            handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=5 << 20, backupCount=1, encoding="utf-8")
        else:
            handler = logging.FileHandler(log_file, encoding="utf-8")
    except OSError as exc:
        logger.warning("no log file: %s cannot be written (%s)", log_file, exc)
        return None
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    _INSTALLED.append(handler)
    logger.info("course %s (pid %d)", " ".join(sys.argv[1:]), os.getpid())
    return log_file


def printable(text: str) -> str:
    """Text that may hold what a learner wrote, safe to show in a terminal (no escape sequences)."""
    return "".join(ch if ch.isprintable() or ch in "\n\t" else "?" for ch in text)


def worker_level() -> int:
    """The level a worker logs from: what the trainer's process would show or write."""
    return logging.getLogger("course.grading.worker").getEffectiveLevel()


class WorkerHandler(logging.Handler):
    """In a worker: each record as one JSON line on fd 2, from the worker process only."""

    def __init__(self, fd: int = 2):
        super().__init__()
        self.fd = fd
        self.pid = os.getpid()

    def emit(self, record: logging.LogRecord) -> None:
        if os.getpid() != self.pid:
            return  # a forked child: its fd 2 may be the learner's captured output
        try:
            line = json.dumps({"log": record.levelno, "name": record.name, "msg": self.format(record),
                               "created": record.created})
            write_all(self.fd, line.encode() + b"\n")
        except Exception:
            pass


def worker_logging() -> None:
    try:
        level = int(os.environ.get(LEVEL_ENV) or logging.WARNING)
    except ValueError:
        level = logging.WARNING
    logger = logging.getLogger("course.grading")
    logger.setLevel(level)
    logger.addHandler(WorkerHandler())
    logger.propagate = False


def records(data: bytes, worker: int) -> list[dict]:
    """The records in lines a worker wrote on its stderr; other lines (stray prints, warnings
    of libraries) become debug records of the worker."""
    found = []
    for raw in data.splitlines():
        text = raw[:MAX_LINE].decode("utf-8", "replace")
        try:
            entry = json.loads(text)
        except ValueError:
            entry = None
        if isinstance(entry, dict) and isinstance(entry.get("log"), int) and isinstance(entry.get("msg"), str):
            name = str(entry.get("name", ""))
            found.append({"log": entry["log"], "name": name if name.startswith("course.") else "course.grading.worker",
                          "msg": f"[worker {worker}] {entry['msg']}", "created": entry.get("created")})
        elif text.strip():
            found.append({"log": logging.DEBUG, "name": "course.grading.worker", "msg": f"[worker {worker}] {text}"})
    return found


def relay(entries: list[dict]) -> None:
    """Log records that came from a worker, in the trainer's process."""
    for entry in entries:
        logger = logging.getLogger(entry["name"])
        if not logger.isEnabledFor(entry["log"]):
            continue
        record = logger.makeRecord(entry["name"], entry["log"], "(worker)", 0, entry["msg"], None, None)
        if isinstance(entry.get("created"), (int, float)):
            record.created = entry["created"]
            record.msecs = (record.created - int(record.created)) * 1000
        logger.handle(record)
