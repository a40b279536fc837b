"""The warm worker: imports once, then forks a process per notebook for the learner's code.

Run as `python -m course.grading.worker SLOT` (inside bubblewrap when installed). It reads
jobs as JSON lines on stdin and answers one JSON line per job on stdout; it never runs
learner code itself, so every fork it makes starts pristine. One idea per module:
- `warmup`: what the worker imports and loads once, before it forks anything;
- `learner`: the learner process of a notebook, which runs its cells like a kernel;
- `testproc`: the test processes (and the `Base` they are forked from), where test cells
  run on the learner's answers rebuilt as data (`transfer`); what the learner's code did
  to modules, builtins, tracing or `check` stays in the learner process;
- `channel`: the JSON lines between them, with deadlines and size limits;
- `faults`: an exception in grader code inside a forked child is the grader's error,
  never the learner's, and learner code cannot claim one;
- `sandbox`: limits, user ids, and ending every process learner code started.
This module is the worker itself: the job loop, and one notebook's cells in order.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import traceback

from . import faults, logs, notebook, sandbox, testproc, warmup
from .channel import send
from .shell import make_shell, run_cell
from .warmup import copy_font_cache  # noqa: F401  (the worker's start-up, tested)

log = logging.getLogger("course.grading.worker")  # not __name__: run as __main__


class Worker:
    def __init__(self, index: int):
        self.index = index
        self.protocol_out = os.dup(1)
        os.dup2(2, 1)  # stray prints of the worker never corrupt the protocol
        self.shell = make_shell()
        warmup.warm_first(self.shell)
        sandbox.set_subreaper()
        # As root, learner code runs under a user id of its own (inside bwrap the folders it
        # needs are world-readable; outside, only if they already are).
        root = os.geteuid() == 0 and (os.environ.get("COURSE_GRADE_SANDBOX") == "bwrap" or sandbox.world_readable())
        base = sandbox.LEARNER_UID_BASE + 2 * index  # index: a slot unique on this machine
        # The test process runs as the learner's user id too (it may have to read files the
        # learner's code wrote), but it is not dumpable, so learner processes cannot trace it.
        self.learner_uid = base if root else None
        self.base_mb = warmup.address_space_mb()
        self.base: testproc.Base | None = None
        self.course_files: dict[str, str] = {}
        self.warm = False  # warmup.warm_rest is still to come, after the first answer
        # Frozen without a collection first (as Python's gc docs advise before forking: the
        # collector was off, a collection over everything would cost 0.05 s for a few hundred
        # objects): forked children then leave the shared pages alone.
        gc.freeze()
        gc.enable()  # off since main(): learner code runs with the collector, as in a kernel

    def finish_warmup(self) -> None:
        """After the first answer, before the next job is read: the rest of the warm-up
        (0.13 s), then the memory base is measured and the objects frozen again."""
        started = time.perf_counter()
        gc.disable()  # imports: no garbage worth a collection
        warmup.warm_rest(self.shell, run_cell)
        self.base_mb = warmup.address_space_mb()
        self.warm = True
        gc.freeze()
        gc.enable()
        log.debug("worker slot %d: rest of the warm-up in %.2f s", self.index, time.perf_counter() - started)

    def serve(self) -> None:
        send(self.protocol_out, {"ready": True, "uid_drop": self.learner_uid is not None,
                                 "bwrap": os.environ.get("COURSE_GRADE_SANDBOX") == "bwrap"})
        for line in sys.stdin.buffer:
            job = json.loads(line)
            del line  # the raw job holds hidden tests: no reference may reach a learner process
            started = time.perf_counter()
            try:
                result = self.grade(job)
            except faults.GraderError as exc:
                log.debug("job %s: %s", job.get("id"), exc)
                result = {"id": job.get("id"), "grader_error": str(exc), "detail": exc.detail}
            except Exception as exc:  # a bug here must not stop the batch
                log.debug("job %s: internal error %s: %s", job.get("id"), type(exc).__name__, exc)
                result = {"id": job.get("id"), "internal_error": f"{type(exc).__name__}: {exc}",
                          "detail": traceback.format_exc()[-faults.MAX_DETAIL:]}
            log.debug("job %s: answered in %.3f s", job.get("id"), time.perf_counter() - started)
            send(self.protocol_out, result)
            if not self.warm:
                self.finish_warmup()

    # -- one submission -------------------------------------------------------------
    def grade(self, job: dict) -> dict:
        limits = dict(job["limits"])
        limits["address_space_mb"] = self.base_mb + limits["memory_mb"]
        # In TMPDIR: the sandbox's tmpfs, or without bwrap the worker's folder of its pool,
        # which removes it if this worker is killed before the `finally` below (pool.RunFolder).
        workdir = tempfile.mkdtemp(prefix="submission-")
        try:
            os.chmod(workdir, 0o1777)  # sticky: learner code cannot replace the course's files
            self.course_files = {}
            for rel, spec in job["files"].items():
                path = os.path.normpath(os.path.join(workdir, rel))
                if not path.startswith(workdir + os.sep):
                    continue
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(base64.b64decode(spec["data"]))
                if spec["owner"] == "course":
                    os.chmod(path, 0o444)
                    self.course_files[os.path.relpath(path, workdir)] = hashlib.sha256(spec["data"].encode()).hexdigest()
                elif self.learner_uid is not None:
                    os.chown(path, self.learner_uid, self.learner_uid)
            notebooks = []
            for k, nb in enumerate(job["notebooks"]):
                if k:
                    # Nothing the previous notebook's code started is left when this one's starts.
                    self.cleanup()
                started = time.perf_counter()
                notebooks.append(notebook.run(self, nb, workdir, limits, job["timeout"], job["max_output_bytes"]))
                stopped = notebooks[-1]["stopped"]
                log.debug("job %s: notebook %s: %d cells in %.3f s%s", job["id"], nb.get("name", k), len(nb["cells"]),
                          time.perf_counter() - started,
                          f", stopped at cell {stopped['cell']}: {stopped['reason']}" if stopped else "")
            return {"id": job["id"], "notebooks": notebooks}
        finally:
            self.cleanup()
            shutil.rmtree(workdir, ignore_errors=True)

    def cleanup(self) -> None:
        sandbox.reap_everything([self.learner_uid] if self.learner_uid is not None else [],
                                keep=[self.base.pid] if self.base is not None else [])

    def run_test(self, cells, i, payload, workdir, limits, timeout, max_bytes) -> tuple[list, bool]:
        """Run test cell `i` in a test process, on the learner's values (`payload`)."""
        base = self._base_for(cells, workdir, max_bytes)
        if base is not None:
            return base.run_test(cells[i]["source"], payload, workdir, limits, timeout, max_bytes)
        return testproc.run_one_off(self.shell, self.learner_uid, cells, i, payload, workdir, limits, timeout,
                                    max_bytes)

    def start_tests(self, cells, workdir, limits, max_bytes) -> None:
        """Before the learner's process is forked: start the base if a new one is needed and
        ask for the notebook's test process, so that both get ready on the other core while
        the learner's answers run (on a cold start, when nothing else is graded yet, that is
        most of the first notebook's setup), instead of when the first test cell comes. Best
        effort: what cannot start now is started, or its failure reported, at the first test."""
        if not any(c["kind"] == "test" for c in cells):
            return
        try:
            base = self._base_for(cells, workdir, max_bytes)
            if base is not None:
                base.start_session(workdir, limits, max_bytes)
        except Exception:
            if self.base is not None:
                self.base.stop()
            self.base = None

    def _base_for(self, cells, workdir, max_bytes) -> testproc.Base | None:
        """The warm base for this notebook's tests, when every locked cell comes before the
        first test (the usual shape: a setup cell on top); None otherwise."""
        kinds = [c["kind"] for c in cells]
        first_test = kinds.index("test")
        if "locked" in kinds[first_test:]:
            return None
        locked = [c["source"] for c in cells[:first_test] if c["kind"] == "locked"]
        key = (tuple(locked), tuple(sorted(self.course_files.items())))
        if self.base is not None and (self.base.key != key or not self.base.alive()):
            self.base.stop()
            self.base = None
        if self.base is None:
            self.base = testproc.Base(self.shell, self.learner_uid, self.course_files, key, locked, workdir, max_bytes)
        return self.base


def main() -> None:
    # The warm-up is imports (IPython, numpy, pandas): the cyclic collector would walk their
    # objects again and again for garbage they hardly make, 15 % of the boot's CPU. On again
    # once the worker has frozen them (Worker.__init__).
    gc.disable()
    started = time.perf_counter()
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    logs.worker_logging()
    copy_font_cache()
    worker = Worker(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    log.debug("worker slot %d ready in %.2f s, CPU %.2f s (pid %d, learner user id %s, %s)", worker.index,
              time.perf_counter() - started, time.process_time(), os.getpid(), worker.learner_uid,
              "inside bwrap" if os.environ.get("COURSE_GRADE_SANDBOX") == "bwrap" else "no bwrap")
    worker.serve()


if __name__ == "__main__":
    main()
