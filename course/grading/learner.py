"""The learner process: a fork of the worker that runs one notebook's learner code, like a kernel.

It runs the answer, narrative and locked cells in order and sends each cell's outputs to
the worker as one JSON line. At a test cell it sends the values the test reads, pickled
(or refused), and waits for "go": the test itself runs in the test process (`testproc`),
which never runs learner code. Test cell sources (hidden tests) are wiped from this
process's copy of the job before any learner code runs.

Two phases, two owners:
- set-up (grader code only): close every other descriptor, confine (limits, user id),
  capture fds 1 and 2. An exception here is the grader's: it is reported as
  {"grader_error": ...} (`faults`), the only line the worker reads as one. Then {"ready": true}.
- cells: from here on the process is the learner's. Whatever it writes or however it
  ends, it is judged as the learner's notebook (outputs, `interference`, `kernel_died`).
"""

from __future__ import annotations

import base64
import json
import os
import traceback
import types

from . import faults, sandbox, transfer
from .channel import send
from .shell import FdCapture, run_cell


def run(shell, uid: int | None, cells: list[dict], workdir: str, limits: dict, max_bytes: int,
        cmd_fd: int, out_fd: int) -> None:
    """The body of the forked learner process; never returns."""
    try:
        try:
            for cell in cells:
                if cell["kind"] == "test":
                    cell["source"] = ""
            sandbox.close_fds_except(cmd_fd, out_fd)
            sandbox.confine(uid, limits, workdir)
            os.environ["NBGRADER_EXECUTION"] = "autograde"
            fds = FdCapture(".learner", max_bytes)
            commands = os.fdopen(cmd_fd, "rb")
            send(out_fd, {"ready": True})
        except BaseException as exc:
            faults.report(out_fd, exc)
            return
        _run_cells(shell, cells, max_bytes, fds, commands, out_fd)
    except BaseException:
        pass  # the learner's process: how it ends is judged by the worker, as the learner's
    finally:
        os._exit(0)


def _run_cells(shell, cells, max_bytes, fds, commands, out_fd) -> None:
    # Bound now: learner code may replace builtins or module functions later on.
    dumps, encode, write, pickle_value = json.dumps, base64.b64encode, os.write, transfer.dumps
    is_instance, module_type, type_of, format_exc = isinstance, types.ModuleType, type, traceback.format_exc
    i = 0
    try:
        for i, cell in enumerate(cells):
            if cell["kind"] == "test":
                payload = {}
                for name in cell["transfer"]:
                    try:
                        if name not in shell.user_ns:
                            continue
                        value = shell.user_ns[name]
                        if is_instance(value, module_type):
                            payload[name] = {"module": str(value.__name__)}
                        else:
                            payload[name] = {"pickle": encode(pickle_value(value)).decode()}
                    except BaseException:
                        payload[name] = {"refused": str(type_of(value).__name__)}
                message = {"i": i, "test": payload}
            else:
                outs, was_cut = run_cell(shell, cell["source"], max_bytes, fds)
                message = {"i": i, "outputs": outs, "cut": was_cut}
            data = dumps(message).encode() + b"\n"
            view = memoryview(data)
            while view:
                view = view[write(out_fd, view):]
            if cell["kind"] == "test":
                commands.readline()
    except Exception:
        # Grader code failed in the learner's process after learner code ran there: that may
        # be the learner's doing, and nothing this process says can be checked. The worker
        # logs the traceback as unverified and judges the notebook as ended (kernel_died).
        try:
            write(out_fd, dumps({"i": i, "crashed": format_exc()[-faults.MAX_DETAIL:]}).encode() + b"\n")
        except BaseException:
            pass
