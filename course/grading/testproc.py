"""Test processes: where a notebook's test cells run, on the learner's answers as data.

A test process never runs learner code. It is forked from a `Base` that has only run the
notebook's locked setup cells (course code), or straight from the worker when locked cells
follow the first test. It rebuilds the values the test reads with the restricted unpickler
(`transfer`), runs the test cell and sends its outputs as one JSON line. It runs under the
learner's user id (it may read files the learner's code wrote) but is not dumpable, so
learner processes cannot trace it or open its descriptors; its pipes are closed in the
learner process before any learner code runs. An exception in its grader code is therefore
the grader's, and it reports it as {"grader_error": ...} (`faults`).
"""

from __future__ import annotations

import base64
import gc
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import time

from . import faults, sandbox, transfer
from .channel import LineReader, parse, send, write_all
from .outputs import error_output, test_stopped, timeout_output
from .shell import FdCapture, run_cell
from .warmup import address_space_mb

log = logging.getLogger(__name__)


def run_test_cell(shell, source: str, payload: dict, workdir: str, max_bytes: int, fds) -> tuple[list, bool]:
    """In a test process: rebuild the learner's answers from data, then run the test cell."""
    # Modules are imported afresh, never from the learner's folder.
    sys.path[:] = [p for p in sys.path if p not in ("", ".", workdir) and not p.startswith(workdir + os.sep)]
    values = {}
    for name, spec in payload.items():
        try:
            if "module" in spec:
                import importlib
                values[name] = importlib.import_module(spec["module"])
            elif "pickle" in spec:
                values[name] = transfer.loads(base64.b64decode(spec["pickle"]))
            else:
                raise transfer.NotPlainData(spec.get("refused", "?"))
        except Exception as exc:
            what = str(exc) if isinstance(exc, transfer.NotPlainData) else type(exc).__name__
            return [error_output("AnswerNotPlainData", transfer.describe(what, name))], False
    shell.user_ns.update(values)
    # A test's traceback is replaced by its message anyway (it would show hidden tests):
    # skip IPython's costly context formatting.
    shell.InteractiveTB.set_mode(mode="Minimal")
    return run_cell(shell, source, max_bytes, fds)


def test_result(line: bytes | None, timeout: float) -> tuple[list, bool]:
    """The outputs of a test from its line; GraderError if the test process reported one."""
    if line is None:
        return [timeout_output(timeout)], False
    msg = faults.check(parse(line), "test process")
    if msg is None or "outputs" not in msg:
        return [test_stopped()], False
    return msg["outputs"], bool(msg.get("cut"))


def run_one_off(shell, uid, cells, i, payload, workdir, limits, timeout, max_bytes) -> tuple[list, bool]:
    """The test cell `i` in a process of its own, forked from the worker: it runs the locked
    cells before it first (course code only)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            sandbox.close_fds_except(w)
            sandbox.confine(uid, limits, workdir)
            os.environ["NBGRADER_EXECUTION"] = "autograde"
            fds = FdCapture(".test", max_bytes)
            for cell in cells[:i]:
                if cell["kind"] == "locked":
                    run_cell(shell, cell["source"], max_bytes, fds)
            outs, was_cut = run_test_cell(shell, cells[i]["source"], payload, workdir, max_bytes, fds)
            send(w, {"outputs": outs, "cut": was_cut})
        except BaseException as exc:
            faults.report(w, exc)
        finally:
            os._exit(0)
    os.close(w)
    try:
        line = LineReader(r).readline(time.monotonic() + timeout)
    finally:
        os.close(r)
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        os.waitpid(pid, 0)
    return test_result(line, timeout)


class Base:
    """A process forked from the worker that has run the notebook's locked setup cells once
    (course code only, never learner code) and forks the test process of each notebook. It
    is kept from one submission to the next while the setup cells and course files are the same."""

    def __init__(self, shell, uid, course_files, key, locked: list[str], workdir: str, max_bytes: int):
        self.key = key
        self.session: int | None = None  # pid of the current notebook's test process
        self.session_asked = False  # its start was asked for, its pid not read yet
        self.folder = tempfile.mkdtemp(prefix="base-")  # in the worker's TMPDIR, as its submissions
        os.chmod(self.folder, 0o755)
        for rel in course_files:
            target = os.path.join(self.folder, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(workdir, rel), target)
        req_r, self.req_w = os.pipe()
        self.ctl_r, ctl_w = os.pipe()
        self.res_r, res_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            self._serve(shell, uid, locked, max_bytes, req_r, ctl_w, res_w)
        os.close(req_r)
        os.close(ctl_w)
        os.close(res_w)
        self.ctl = LineReader(self.ctl_r)
        self.results = LineReader(self.res_r)
        self.setup_cells, self.ready = len(locked), False

    def wait_ready(self) -> None:
        """Wait until the base has run the setup cells (it was started with the notebook, so
        it runs them while the learner's process runs the answers)."""
        if self.ready:
            return
        if not self._control(120):
            self.stop()
            self.key = None
            raise RuntimeError("the test base process did not start")
        self.ready = True
        log.debug("test base process %d ready (%d setup cell(s))", self.pid, self.setup_cells)

    def _control(self, seconds: float) -> dict | None:
        """The base's next control message; GraderError (the base stopped) if it reported one."""
        msg = parse(self.ctl.readline(time.monotonic() + seconds))
        if msg is not None and "grader_error" in msg:
            self.stop()
            self.key = None
            faults.check(msg, "test base process")
        return msg

    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def stop(self) -> None:
        self.session, self.session_asked = None, False
        for fd in (self.req_w, self.ctl_r, self.res_r):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def start_session(self, workdir, limits, max_bytes) -> None:
        """Ask for this notebook's test process now (the base forks it once its setup cells
        have run), so that it is ready when the first test cell comes; not waited for."""
        if self.session is None and not self.session_asked:
            send(self.req_w, {"workdir": workdir, "limits": limits, "max_bytes": max_bytes})
            self.session_asked = True

    def _session_pid(self) -> int:
        """The test process asked for by start_session: its pid, once the base says it."""
        self.wait_ready()
        if self.session is None:
            self.session = int(self._control(30)["pid"])
            self.session_asked = False
        return self.session

    def run_test(self, source, payload, workdir, limits, timeout, max_bytes) -> tuple[list, bool]:
        """Run one test cell in this notebook's test process (asked for when the notebook
        started, or now)."""
        self.wait_ready()
        try:
            self.start_session(workdir, limits, max_bytes)
            self._session_pid()
            send(self.req_w, {"source": source, "payload": payload})
            line = self.results.readline(time.monotonic() + timeout)
        except faults.GraderError:
            raise
        except Exception:
            line = b""
        if not line:
            # Timed out or died: start afresh (a killed test may have left half a line).
            self.stop()
            self.key = None
        try:
            return test_result(line, timeout)
        except faults.GraderError:
            self.stop()
            self.key = None
            raise

    def end_session(self) -> None:
        if self.session is None and not self.session_asked:
            return
        try:
            self._session_pid()  # asked for, never used (the notebook stopped before its tests)
            write_all(self.req_w, b'{"end": true}\n')
            if not self._control(10):
                raise RuntimeError
        except faults.GraderError:
            raise
        except Exception:
            self.stop()
            self.key = None
        self.session = None

    def _serve(self, shell, uid, locked, max_bytes, req_r, ctl_w, res_w) -> None:
        try:
            sandbox.close_fds_except(req_r, ctl_w, res_w)
            os.chdir(self.folder)
            os.environ["NBGRADER_EXECUTION"] = "autograde"
            fds = FdCapture(".base", max_bytes)
            for source in locked:
                run_cell(shell, source, max_bytes, fds)
            # A test's traceback is replaced by its message anyway (it would show hidden
            # tests): skip IPython's costly context formatting.
            shell.InteractiveTB.set_mode(mode="Minimal")
            base_mb = address_space_mb()
            gc.freeze()  # forked test processes then leave the shared pages alone (no collection: see worker)
            write_all(ctl_w, b'{"ready": true}\n')
            requests = LineReader(req_r)
            while True:
                line = requests.readline(None)
                if not line:
                    break
                session = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    self._session(shell, uid, session, base_mb, requests, res_w)
                send(ctl_w, {"pid": pid})
                os.waitpid(pid, 0)
                write_all(ctl_w, b'{"done": true}\n')
        except BaseException as exc:
            faults.report(ctl_w, exc)
        finally:
            os._exit(0)

    @staticmethod
    def _session(shell, uid, session, base_mb, requests, res_w) -> None:
        """The test process of one notebook: its test cells, one after the other, each with
        the learner's answers of that moment, rebuilt from data. The tests share this process
        as they share a kernel under nbgrader; learner code never runs here."""
        try:
            limits = dict(session["limits"], address_space_mb=base_mb + session["limits"]["memory_mb"])
            sandbox.confine(uid, limits, session["workdir"])
            fds = FdCapture(".test", session["max_bytes"])
            while True:
                line = requests.readline(None)
                if not line:
                    break
                request = json.loads(line)
                if request.get("end"):
                    break
                outs, was_cut = run_test_cell(shell, request["source"], request["payload"],
                                              session["workdir"], session["max_bytes"], fds)
                send(res_w, {"outputs": outs, "cut": was_cut})
        except BaseException as exc:
            faults.report(res_w, exc)
        finally:
            os._exit(0)
