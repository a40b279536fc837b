"""One notebook on the worker's side: the learner process's lines, in order, and how it ended.

The worker forks the learner process (`learner`), then reads one line per cell. Every line
after `ready` comes from a process that runs learner code, so each is checked against what
that cell should send: the outputs of a cell that is not a test; the values a test reads
(`values_offered`), after which the test runs in a test process (`testproc`). Anything
else is interference. A cell past the time limit is interrupted as nbgrader does, then the
process is ended; a process that ends early is a dead kernel. Either way the learner
process and everything it started is ended before the next notebook.
"""

from __future__ import annotations

import logging
import os
import signal
import time

from . import faults, learner
from .channel import LineReader, parse
from .logs import printable
from .outputs import dead_kernel, interference, not_run, timeout_output

log = logging.getLogger(__name__)
SIGINT_GRACE = 3.0
UNVERIFIED_DETAIL = 2000  # characters of a traceback the learner's process sends: it may be forged


def run(worker, nb: dict, workdir: str, limits: dict, timeout: float, max_bytes: int) -> dict:
    """Run notebook `nb` of a job in a learner process; its outputs per cell and how it ended."""
    cells = nb["cells"]
    limits["cpu_seconds"] = int(timeout * (len(cells) + 1)) + 5
    outputs: dict[int, list] = {}
    cut: list[int] = []
    worker.start_tests(cells, workdir, limits, max_bytes)  # forked before the learner's process
    to_learner_r, to_learner_w = os.pipe()
    from_learner_r, from_learner_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(to_learner_w)
        os.close(from_learner_r)
        learner.run(worker.shell, worker.learner_uid, cells, workdir, limits, max_bytes, to_learner_r, from_learner_w)
    os.close(to_learner_r)
    os.close(from_learner_w)
    reader = LineReader(from_learner_r)
    died = None
    i = 0
    try:
        if not _learner_ready(reader, timeout):
            died = ("kernel_died", 0)
        while died is None and i < len(cells):
            line = reader.readline(time.monotonic() + timeout)
            if line is None:  # the cell ran past the timeout: interrupt it, as nbgrader does
                try:
                    os.kill(pid, signal.SIGINT)
                except OSError:
                    pass
                msg = parse(reader.readline(time.monotonic() + SIGINT_GRACE))
                if msg and msg.get("i") == i and "outputs" in msg and cells[i]["kind"] != "test":
                    outputs[i] = msg["outputs"] + [timeout_output(timeout)]
                    i += 1
                    continue
                outputs[i] = [timeout_output(timeout)]
                died = ("timeout", i)
                break
            msg = parse(line)
            if not msg or msg.get("i") != i:
                died = ("kernel_died" if not line else "interference", i)
                break
            if "crashed" in msg:
                # Unverified: written by the learner's process, after learner code ran there.
                log.warning("the learner process of %s stopped on an error at cell %d, as it says (it may be "
                            "the learner's doing; counted as kernel_died):\n%s", nb.get("name"), i,
                            printable(str(msg["crashed"])[-UNVERIFIED_DETAIL:]))
                died = ("kernel_died", i)
                break
            if cells[i]["kind"] == "test":
                payload = values_offered(msg, cells[i])
                if payload is None:
                    # Outputs offered for a test cell, or values the test does not read:
                    # written by learner code. A test's outputs only ever come from the
                    # test process, and only the values it reads go in.
                    died = ("interference", i)
                    break
                test_outputs, test_cut = worker.run_test(cells, i, payload, workdir, limits, timeout, max_bytes)
                outputs[i] = test_outputs
                if test_cut:
                    cut.append(i)
                os.write(to_learner_w, b"go\n")
            elif "test" in msg or "outputs" not in msg:
                # A test run asked at a cell that is not a test: the test process would run
                # the learner's code. Only learner code writes such a line.
                died = ("interference", i)
                break
            else:
                outputs[i] = msg["outputs"]
                if msg.get("cut"):
                    cut.append(i)
            i += 1
    except OSError:
        died = ("kernel_died", i)
    finally:
        os.close(to_learner_w)
        os.close(from_learner_r)
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        if worker.base is not None:
            worker.base.end_session()
    return _result(cells, outputs, cut, died)


def _result(cells: list[dict], outputs: dict[int, list], cut: list[int], died: tuple[str, int] | None) -> dict:
    """The notebook's outputs, with what the grader adds where it stopped early."""
    if died:
        reason, at = died
        if reason == "interference":
            outputs[at] = outputs.get(at, []) + [interference()]
        if reason == "kernel_died":
            outputs[at] = outputs.get(at, []) + [dead_kernel()]
        for later in range(at + 1, len(cells)):
            if cells[later]["kind"] == "test":
                outputs[later] = [not_run()]
    return {"outputs": {str(k): v for k, v in outputs.items()}, "cut": cut,
            "stopped": {"reason": died[0], "cell": died[1]} if died else None}


def _learner_ready(reader: LineReader, timeout: float) -> bool:
    """The learner process's first line: `ready`, or a grader error in its set-up (raised:
    no learner code has run in it yet, so only grader code can have written it)."""
    line = reader.readline(time.monotonic() + timeout)
    msg = faults.check(parse(line), "learner process's set-up")
    if msg is not None and msg.get("ready") is True:
        return True
    log.warning("a learner process ended before it was ready (%s): counted as kernel_died",
                "timed out" if line is None else "no ready line")
    return False


def values_offered(msg: dict, cell: dict) -> dict | None:
    """The values a test cell's message offers, if they are what the learner process sends:
    a dict of specs for names the test reads (`transfer`); None otherwise."""
    payload = msg.get("test")
    if not isinstance(payload, dict) or not all(isinstance(spec, dict) for spec in payload.values()):
        return None
    if not set(payload) <= set(cell.get("transfer", ())):
        return None
    return payload
