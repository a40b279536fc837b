"""The warm worker: imports once, then forks a process per notebook for the learner's code.

Run as `python -m course.grading.worker SLOT` (inside bubblewrap when installed). It reads
jobs as JSON lines on stdin and answers one JSON line per job on stdout; it never runs
learner code itself, so every fork it makes starts pristine:
- the learner process runs the answer, narrative and locked cells in order, like a kernel;
  at each test cell it sends the values the test reads, pickled, and waits;
- the test process of that notebook is forked from a `Base` that has only run the locked
  setup cells (course code); it rebuilds the values with the restricted unpickler and runs
  the test cell. What the learner's code did to modules, builtins, tracing or `check` stays
  in the learner process; what crosses is data.
Only JSON comes back from either child; the worker enforces sizes and per-cell deadlines,
and after each submission ends every process the learner's code started.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
import types

from . import sandbox, transfer
from .shell import FdCapture, make_shell, run_cell

MAX_MESSAGE = 256 << 20
SIGINT_GRACE = 3.0


def error_output(ename: str, evalue: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def timeout_output(timeout: float) -> dict:
    # The output nbgrader's Execute preprocessor adds when a cell times out.
    return {"output_type": "error", "ename": "CellTimeoutError", "evalue": "",
            "traceback": [f"\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout ({timeout:g} s)"]}


class LineReader:
    """Lines from a pipe, with a deadline and a size limit."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buffer = b""
        self.eof = False

    def readline(self, deadline: float | None) -> bytes | None:
        """A line (without newline); b"" at end of file; None when the deadline passed."""
        while b"\n" not in self.buffer:
            if self.eof:
                return b""
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                return None
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                self.eof = True
                continue
            self.buffer += chunk
            if len(self.buffer) > MAX_MESSAGE:
                self.eof = True
                self.buffer = b""
                return b""
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line


class Worker:
    def __init__(self, index: int):
        self.index = index
        self.protocol_out = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)  # stray prints of the worker never corrupt the protocol
        self.shell = make_shell()
        import matplotlib.pyplot  # noqa: F401  (warm: what notebooks import)
        import numpy  # noqa: F401
        import pandas  # noqa: F401

        warm_imports()
        # Warm up what the first cell of every notebook would otherwise load: the traceback
        # formatter, resource readers, the display formatters.
        import importlib.readers  # noqa: F401
        run_cell(self.shell, "1 / 0", 1 << 16)
        run_cell(self.shell, "import pandas as pd\npd.DataFrame({'a': [1]})", 1 << 16)
        self.shell.reset(new_session=False)
        self.shell.execution_count = 1
        sandbox.set_subreaper()
        # As root, learner code runs under a user id of its own (inside bwrap the folders it
        # needs are world-readable; outside, only if they already are).
        root = os.geteuid() == 0 and (os.environ.get("COURSE_GRADE_SANDBOX") == "bwrap" or sandbox.world_readable())
        base = sandbox.LEARNER_UID_BASE + 2 * index  # index: a slot unique on this machine
        # The test process runs as the learner's user id too (it may have to read files the
        # learner's code wrote), but it is not dumpable, so learner processes cannot trace it.
        self.learner_uid = base if root else None
        with open("/proc/self/status") as f:
            vm_kb = next(int(line.split()[1]) for line in f if line.startswith("VmSize:"))
        self.base_mb = vm_kb // 1024
        self.base: Base | None = None
        self.course_files: dict[str, str] = {}
        gc.collect()
        gc.freeze()  # forked children then leave the shared pages alone

    def send(self, obj: dict) -> None:
        self.protocol_out.write(json.dumps(obj).encode() + b"\n")
        self.protocol_out.flush()

    def serve(self) -> None:
        self.send({"ready": True, "uid_drop": self.learner_uid is not None, "font_cache_used": font_cache_used(),
                   "bwrap": os.environ.get("COURSE_GRADE_SANDBOX") == "bwrap"})
        for line in sys.stdin.buffer:
            job = json.loads(line)
            del line  # the raw job holds hidden tests: no reference may reach a learner process
            try:
                result = self.grade(job)
            except Exception as exc:  # a bug here must not stop the batch
                import traceback
                result = {"id": job.get("id"), "internal_error": f"{type(exc).__name__}: {exc}",
                          "detail": traceback.format_exc()[-2000:]}
            self.send(result)

    # -- one submission -------------------------------------------------------------
    def grade(self, job: dict) -> dict:
        limits = dict(job["limits"])
        limits["address_space_mb"] = self.base_mb + limits["memory_mb"]
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
            notebooks = [self.run_notebook(nb, workdir, limits, job["timeout"], job["max_output_bytes"])
                         for nb in job["notebooks"]]
            return {"id": job["id"], "notebooks": notebooks}
        finally:
            self.cleanup()
            shutil.rmtree(workdir, ignore_errors=True)

    def cleanup(self) -> None:
        sandbox.reap_everything([self.learner_uid] if self.learner_uid is not None else [],
                                keep=[self.base.pid] if self.base is not None else [])

    def run_notebook(self, nb: dict, workdir: str, limits: dict, timeout: float, max_bytes: int) -> dict:
        cells = nb["cells"]
        limits["cpu_seconds"] = int(timeout * (len(cells) + 1)) + 5
        outputs: dict[int, list] = {}
        cut: list[int] = []
        to_learner_r, to_learner_w = os.pipe()
        from_learner_r, from_learner_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(to_learner_w)
            os.close(from_learner_r)
            self._learner_process(cells, workdir, limits, max_bytes, to_learner_r, from_learner_w)
        os.close(to_learner_r)
        os.close(from_learner_w)
        reader = LineReader(from_learner_r)
        died = None
        i = 0
        try:
            while i < len(cells):
                line = reader.readline(time.monotonic() + timeout)
                if line is None:  # the cell ran past the timeout: interrupt it, as nbgrader does
                    try:
                        os.kill(pid, signal.SIGINT)
                    except OSError:
                        pass
                    line = reader.readline(time.monotonic() + SIGINT_GRACE)
                    if line:
                        msg = self._parse(line)
                        if msg and msg.get("i") == i and "outputs" in msg:
                            outputs[i] = msg["outputs"] + [timeout_output(timeout)]
                            i += 1
                            continue
                    outputs[i] = [timeout_output(timeout)]
                    died = ("timeout", i)
                    break
                msg = self._parse(line) if line else None
                if not msg or msg.get("i") != i:
                    died = ("kernel_died" if not line else "interference", i)
                    break
                if ("test" in msg) != (cells[i]["kind"] == "test"):
                    # Outputs offered for a test cell were written by learner code: a test's
                    # outputs only ever come from the test process.
                    died = ("interference", i)
                    break
                if "outputs" in msg:
                    outputs[i] = msg["outputs"]
                    if msg.get("cut"):
                        cut.append(i)
                else:
                    test_outputs, test_cut = self._run_test(cells, i, msg.get("test") or {}, workdir, limits,
                                                            timeout, max_bytes)
                    outputs[i] = test_outputs
                    if test_cut:
                        cut.append(i)
                    os.write(to_learner_w, b"go\n")
                i += 1
        except OSError:
            died = ("kernel_died", i)
        finally:
            if self.base is not None:
                self.base.end_session()
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
        if died:
            reason, at = died
            if reason == "interference":
                outputs[at] = outputs.get(at, []) + [error_output(
                    "GradingInterference", "The notebook's code wrote to the grader's channel.")]
            if reason == "kernel_died":
                outputs[at] = outputs.get(at, []) + [error_output(
                    "DeadKernelError", "The notebook stopped while running this cell (the kernel died: "
                    "os._exit, a crash, or memory exhausted).")]
            for later in range(at + 1, len(cells)):
                if cells[later]["kind"] == "test":
                    outputs[later] = [error_output("NotRun", "Not run: the notebook stopped at an earlier cell.")]
        return {"outputs": {str(k): v for k, v in outputs.items()}, "cut": cut,
                "stopped": {"reason": died[0], "cell": died[1]} if died else None}

    @staticmethod
    def _parse(line: bytes) -> dict | None:
        try:
            msg = json.loads(line)
        except ValueError:
            return None
        return msg if isinstance(msg, dict) else None

    def _learner_process(self, cells, workdir, limits, max_bytes, cmd_fd, out_fd) -> None:
        try:
            # Test cells never run here; their sources (hidden tests) are wiped from this
            # process's copy of the job before any learner code runs.
            for cell in cells:
                if cell["kind"] == "test":
                    cell["source"] = ""
            close_fds_except(cmd_fd, out_fd)
            sandbox.confine(self.learner_uid, limits, workdir)
            os.environ["NBGRADER_EXECUTION"] = "autograde"
            fds = FdCapture(workdir, ".learner", max_bytes)
            # Bound now: learner code may replace builtins or module functions later on.
            dumps, encode, write, pickle_value = json.dumps, base64.b64encode, os.write, transfer.dumps
            is_instance, module_type, type_of = isinstance, types.ModuleType, type
            commands = os.fdopen(cmd_fd, "rb")
            shell = self.shell
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
        except BaseException:
            pass
        finally:
            os._exit(0)

    def _run_test(self, cells, i, payload, workdir, limits, timeout, max_bytes) -> tuple[list, bool]:
        base = self._base_for(cells, i, workdir, limits, max_bytes)
        if base is not None:
            return base.run_test(cells[i]["source"], payload, workdir, limits, timeout, max_bytes)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            self._test_process(cells, i, payload, workdir, limits, max_bytes, w)
        os.close(w)
        reader = LineReader(r)
        try:
            line = reader.readline(time.monotonic() + timeout)
        finally:
            os.close(r)
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            os.waitpid(pid, 0)
        return test_result(line, timeout)

    def _base_for(self, cells, i, workdir, limits, max_bytes) -> "Base | None":
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
            self.base = Base(self, key, locked, workdir, limits, max_bytes)
        return self.base

    def _test_process(self, cells, i, payload, workdir, limits, max_bytes, out_fd) -> None:
        try:
            close_fds_except(out_fd)
            sandbox.confine(self.learner_uid, limits, workdir)
            os.environ["NBGRADER_EXECUTION"] = "autograde"
            fds = FdCapture(workdir, ".test", max_bytes)
            for cell in cells[:i]:
                if cell["kind"] == "locked":
                    run_cell(self.shell, cell["source"], max_bytes, fds)
            outs, was_cut = run_test_cell(self.shell, cells[i]["source"], payload, workdir, max_bytes, fds)
            write_all(out_fd, json.dumps({"outputs": outs, "cut": was_cut}).encode() + b"\n")
        except BaseException:
            pass
        finally:
            os._exit(0)


def warm_imports() -> None:
    """Import what notebooks import, once, so that no learner process pays for it: every
    module of the course package (course code, never learner code) and the widget library."""
    import importlib
    import pkgutil

    import course

    skip = ("course.grading", "course.cli", "course.__main__", "course.demo", "course.trainer", "course.release",
            "course.cohort", "course.gradebook", "course.notebooks", "course.authoring")
    # Also what the notebooks import lazily (found by comparing sys.modules after running each).
    lazy = ["ipywidgets", "PIL.Image", "PIL.ImageOps", "PIL.TiffImagePlugin", "pandas.core.methods.to_dict"]
    names = lazy + [m.name for m in pkgutil.walk_packages(course.__path__, "course.") if not m.name.startswith(skip)]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass  # a module that does not import on this machine is not needed to start
    # Every data set parsed once here: learner, base and test processes then copy it.
    try:
        from course.data import available, load

        for name in available():
            load(name)
    except Exception:
        pass
    # No warm-up figure: charts are not drawn while grading (course.charts), and a figure
    # drawn here would make every fork copy a bigger process.


def close_fds_except(*keep: int) -> None:
    """A child keeps only stdin/stdout/stderr and its own pipes: no way to reach the
    worker's protocol or another process's pipes."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 65536)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def test_result(line: bytes | None, timeout: float) -> tuple[list, bool]:
    if line is None:
        return [timeout_output(timeout)], False
    try:
        msg = json.loads(line) if line else None
    except ValueError:
        msg = None
    if not isinstance(msg, dict) or "outputs" not in msg:
        return [error_output("DeadKernelError", "The test stopped before it finished.")], False
    return msg["outputs"], bool(msg.get("cut"))


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


class Base:
    """A process forked from the worker that has run the notebook's locked setup cells once
    (course code only, never learner code) and forks the test process of each notebook. It
    is kept from one submission to the next while the setup cells and course files are the same."""

    def __init__(self, worker: "Worker", key, locked: list[str], workdir: str, limits: dict, max_bytes: int):
        self.key = key
        self.session: int | None = None  # pid of the current notebook's test process
        self.folder = tempfile.mkdtemp(prefix="base-")
        os.chmod(self.folder, 0o755)
        for rel in worker.course_files:
            target = os.path.join(self.folder, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(workdir, rel), target)
        req_r, self.req_w = os.pipe()
        self.ctl_r, ctl_w = os.pipe()
        self.res_r, res_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            self._serve(worker, locked, max_bytes, req_r, ctl_w, res_w)
        os.close(req_r)
        os.close(ctl_w)
        os.close(res_w)
        self.ctl = LineReader(self.ctl_r)
        self.results = LineReader(self.res_r)
        ready = self.ctl.readline(time.monotonic() + 120)
        if not ready:
            self.stop()
            raise RuntimeError("the test base process did not start")

    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def stop(self) -> None:
        self.session = None
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

    def run_test(self, source, payload, workdir, limits, timeout, max_bytes) -> tuple[list, bool]:
        """Run one test cell in this notebook's test process (started on the first test)."""
        try:
            if self.session is None:
                request = {"workdir": workdir, "limits": limits, "max_bytes": max_bytes}
                write_all(self.req_w, json.dumps(request).encode() + b"\n")
                self.session = int(json.loads(self.ctl.readline(time.monotonic() + 30))["pid"])
            write_all(self.req_w, json.dumps({"source": source, "payload": payload}).encode() + b"\n")
            line = self.results.readline(time.monotonic() + timeout)
        except Exception:
            line = b""
        if not line:
            # Timed out or died: start afresh (a killed test may have left half a line).
            self.stop()
            self.key = None
        return test_result(line, timeout)

    def end_session(self) -> None:
        if self.session is None:
            return
        try:
            write_all(self.req_w, b'{"end": true}\n')
            if not self.ctl.readline(time.monotonic() + 10):
                raise RuntimeError
        except Exception:
            self.stop()
            self.key = None
        self.session = None

    def _serve(self, worker, locked, max_bytes, req_r, ctl_w, res_w) -> None:
        try:
            close_fds_except(req_r, ctl_w, res_w)
            os.chdir(self.folder)
            os.environ["NBGRADER_EXECUTION"] = "autograde"
            fds = FdCapture(self.folder, ".base", max_bytes)
            for source in locked:
                run_cell(worker.shell, source, max_bytes, fds)
            # A test's traceback is replaced by its message anyway (it would show hidden
            # tests): skip IPython's costly context formatting.
            worker.shell.InteractiveTB.set_mode(mode="Minimal")
            with open("/proc/self/status") as f:
                base_mb = next(int(line.split()[1]) for line in f if line.startswith("VmSize:")) // 1024
            gc.collect()
            gc.freeze()  # forked test processes then leave the shared pages alone
            write_all(ctl_w, b'{"ready": true}\n')
            requests = LineReader(req_r)
            while True:
                line = requests.readline(None)
                if not line:
                    break
                session = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    self._session(worker, session, base_mb, requests, res_w)
                write_all(ctl_w, json.dumps({"pid": pid}).encode() + b"\n")
                os.waitpid(pid, 0)
                write_all(ctl_w, b'{"done": true}\n')
        except BaseException:
            pass
        finally:
            os._exit(0)

    @staticmethod
    def _session(worker, session, base_mb, requests, res_w) -> None:
        """The test process of one notebook: its test cells, one after the other, each with
        the learner's answers of that moment, rebuilt from data. The tests share this process
        as they share a kernel under nbgrader; learner code never runs here."""
        try:
            limits = dict(session["limits"], address_space_mb=base_mb + session["limits"]["memory_mb"])
            sandbox.confine(worker.learner_uid, limits, session["workdir"])
            fds = FdCapture(session["workdir"], ".test", session["max_bytes"])
            while True:
                line = requests.readline(None)
                if not line:
                    break
                request = json.loads(line)
                if request.get("end"):
                    break
                outs, was_cut = run_test_cell(worker.shell, request["source"], request["payload"],
                                              session["workdir"], session["max_bytes"], fds)
                write_all(res_w, json.dumps({"outputs": outs, "cut": was_cut}).encode() + b"\n")
        finally:
            os._exit(0)


def copy_font_cache() -> None:
    """Before matplotlib loads: its font list, from the folder `course grade` keeps it in."""
    folder, target = os.environ.get("COURSE_GRADE_FONT_CACHE"), os.environ.get("MPLCONFIGDIR")
    if not folder or not target:
        return
    try:
        os.makedirs(target, exist_ok=True)
        for name in os.listdir(folder):
            if name.startswith("fontlist-") and name.endswith(".json"):
                shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))
    except OSError:
        pass


def font_cache_used() -> bool:
    """Did matplotlib find its font list in the copy (rather than scan the fonts)?"""
    try:
        from matplotlib import font_manager

        name = f"fontlist-v{font_manager.FontManager.__version__}.json"
        folder = os.environ.get("COURSE_GRADE_FONT_CACHE")
        return bool(folder) and os.path.exists(os.path.join(folder, name))
    except Exception:
        return True  # no matplotlib: nothing to cache


def main() -> None:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    copy_font_cache()
    Worker(int(sys.argv[1]) if len(sys.argv) > 1 else 0).serve()


if __name__ == "__main__":
    main()
