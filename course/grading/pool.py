"""Warm worker processes, on this machine or on the workers of a Dask cluster.

A `WorkerProcess` starts `python -m course.grading.worker` (inside bubblewrap when it is
installed), waits until it has imported everything, then hands it one job at a time.
If it dies or stops answering, the job is reported as `worker_lost` and a new worker is
started: one bad submission never stops the batch. `LocalPool` runs N of them on threads;
`DaskPool` sends jobs to `run_job` on a Dask cluster, where each Dask worker process keeps
its own warm worker. Either way only plain data travels, and results come back to the
process that writes the gradebook.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import logs, sandbox

log = logging.getLogger(__name__)
READY_TIMEOUT = 120.0
SECOND_WORKER_WAIT = 5.0  # at most, for the first notebook's record (a slow first notebook)


class WorkerUnavailable(RuntimeError):
    pass


class RunFolder:
    """The temporary folder of one pool, in the system's temporary folder ($TMPDIR): each
    worker without bubblewrap gets `worker-N/` in it, its HOME (`home/`) and its TMPDIR
    (`tmp/`, where it makes each submission's folder and its test bases). The pool removes
    it when it closes, and a worker's part whenever that worker stops or is killed. The
    process that owns the pool can be killed too (SIGKILL): it holds a lock on the folder
    while it lives, so the next pool that starts removes the folders nobody holds (`sweep`).

    Inside bubblewrap a worker needs none of it: its /tmp (and HOME) is a tmpfs in the
    sandbox's own mount namespace (`sandbox.bwrap_command`), gone with the sandbox's last
    process, so nothing a worker or a learner's code writes there can outlive it."""

    PREFIX = "course-grade-run-"
    NEW = "course-grade-new-"  # locked before it is renamed: a sweep never sees it unlocked

    def __init__(self):
        self.sweep()
        made = tempfile.mkdtemp(prefix=self.NEW)
        # Learner processes run as another user id: they must enter their worker's tmp/.
        os.chmod(made, 0o711)
        self._fd = os.open(made, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        self.path = Path(made).with_name(self.PREFIX + Path(made).name[len(self.NEW):])
        os.rename(made, self.path)

    @classmethod
    def sweep(cls) -> None:
        """Remove this user's pool folders whose owner is gone (no lock held on them)."""
        base = Path(tempfile.gettempdir())
        try:
            candidates = list(base.glob(cls.PREFIX + "*"))
        except OSError:
            return
        for folder in candidates:
            try:
                fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                if os.fstat(fd).st_uid != os.getuid():
                    continue
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # its pool is running
            else:
                shutil.rmtree(folder, ignore_errors=True)
            finally:
                os.close(fd)

    def worker_folder(self, index: int) -> tuple[str, str]:
        """(home, tmp) of worker `index`, made afresh if need be."""
        folder = self.path / f"worker-{index}"
        home, tmp = folder / "home", folder / "tmp"
        for path, mode in ((folder, 0o711), (home, 0o700), (tmp, 0o1777)):  # tmp/: sticky, as /tmp
            path.mkdir(exist_ok=True)
            os.chmod(path, mode)
        return str(home), str(tmp)

    def clear_worker(self, index: int) -> None:
        """A worker stopped (or was killed): what it left goes now, not at the pool's end."""
        shutil.rmtree(self.path / f"worker-{index}", ignore_errors=True)

    def remove(self) -> None:
        if self._fd is None:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._fd)
        self._fd = None


def worker_env(use_bwrap: bool, log_level: int = logging.WARNING, folders: tuple[str, str] | None = None) -> dict:
    """`folders`: the worker's (home, tmp) from its pool's RunFolder, when it runs without bwrap."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TZ")}
    env.update({"PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0",
                "COURSE_GRADE_SANDBOX": "bwrap" if use_bwrap else "none", logs.LEVEL_ENV: str(log_level)})
    # The workers import the very course package this process imported (the one bubblewrap
    # shows them), even when another copy is installed in the venv (a git worktree).
    import course

    env["PYTHONPATH"] = str(Path(course.__file__).resolve().parent.parent)
    if not use_bwrap:
        env["HOME"] = env["MPLCONFIGDIR"] = folders[0]
        env["TMPDIR"] = folders[1]
    return env


def _font_cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "course-grade" / "matplotlib"


def _matplotlib_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("matplotlib")
    except PackageNotFoundError:
        return "none"


def font_cache() -> str | None:
    """The folder holding matplotlib's list of this machine's fonts, built by a trusted
    process for the installed matplotlib (the first run starts that in the background).
    Workers start with a copy of it: a notebook that imports matplotlib does not scan every
    font of the system (0.35 s of CPU). None while there is none for this matplotlib."""
    folder = _font_cache_folder()
    try:
        built_for = (folder / "matplotlib-version").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return str(folder) if built_for == _matplotlib_version() and any(folder.glob("fontlist-*.json")) else None


_FONT_BUILD = threading.Lock()


def build_font_cache() -> None:
    """Have matplotlib write its font list into the cache folder, in the background (once)."""
    if not _FONT_BUILD.acquire(blocking=False):
        return
    folder = _font_cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("fontlist-*.json"):
            old.unlink()  # another matplotlib version's: it would never be used
        # The version is written once the list is: a half-built cache is never used.
        (folder / "matplotlib-version").unlink(missing_ok=True)
        script = ("import pathlib, matplotlib.font_manager\n"
                  f"pathlib.Path({str(folder / 'matplotlib-version')!r}).write_text({_matplotlib_version()!r})\n")
        subprocess.Popen([sys.executable, "-c", script],
                         env=dict(os.environ, MPLCONFIGDIR=str(folder)), stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        pass  # no writable home: workers scan the fonts, as before


def compile_course_package() -> None:
    """Write the course package's bytecode where it is missing or stale. Every worker imports
    the whole package when it starts and runs with PYTHONDONTWRITEBYTECODE: without bytecode
    on disk each of them compiles it again, about 0.35 s of CPU at every start."""
    import compileall

    import course

    try:
        compileall.compile_dir(os.path.dirname(course.__file__), quiet=2, workers=1)
    except OSError:
        pass  # a read-only installation: workers compile in memory, as before


class WorkerProcess:
    """One warm worker process. Its stderr goes to a temporary file: the log records it writes
    there (`logs`) are passed to `sink` after each answer (by default, logged here)."""

    def __init__(self, index: int, use_bwrap: bool | None = None, log_level: int | None = None, sink=logs.relay,
                 folder: RunFolder | None = None):
        self.index = index
        self.folder = folder  # made at the first start without bwrap when no pool gave one
        self.use_bwrap = bool(sandbox.bwrap_path()) if use_bwrap is None else use_bwrap
        self.log_level = logs.worker_level() if log_level is None else log_level
        self.sink = sink
        self.proc: subprocess.Popen | None = None
        self.info: dict = {}
        self.log = tempfile.TemporaryFile(prefix="course-grade-worker-")
        self.log_seen = 0

    def command(self) -> list[str]:
        return [sys.executable, "-m", "course.grading.worker", str(sandbox.worker_slot(self.index))]

    def start(self) -> None:
        started = time.perf_counter()
        argv = self.command()
        fonts = font_cache()
        cmd = sandbox.bwrap_command(argv, read_only=[fonts] if fonts else []) if self.use_bwrap else argv
        folders = None
        if not self.use_bwrap:
            if self.folder is None:  # a worker of its own (a Dask worker's): its folder goes at exit
                self.folder = RunFolder()
                atexit.register(self.folder.remove)
            folders = self.folder.worker_folder(self.index)
        env = worker_env(self.use_bwrap, self.log_level, folders)
        if fonts:
            env["COURSE_GRADE_FONT_CACHE"] = fonts
        else:
            build_font_cache()  # for the next start
        # `proc` stays referenced here while we read: stop() from another thread (the pool
        # closing) must not let the Popen, and so the pipe we read, be closed under us.
        proc = self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                            env=env, start_new_session=True, close_fds=True)
        self._buffer = b""
        line = self._readline(proc, time.monotonic() + READY_TIMEOUT)
        self.relay_log()
        if self.proc is not proc:
            raise WorkerUnavailable("the grading worker was stopped while it started (the grading was ending).")
        if not line:
            self.stop()
            self.log.seek(0)
            raise WorkerUnavailable("the grading worker did not start: " + self.log.read()[-1500:].decode(errors="replace"))
        self.info = json.loads(line)
        log.debug("worker %d started in %.2f s (pid %d, bubblewrap: %s, own user id for learner code: %s)",
                  self.index, time.perf_counter() - started, self.proc.pid, self.info.get("bwrap"),
                  self.info.get("uid_drop"))

    def relay_log(self) -> None:
        """Pass on the complete lines the worker wrote on its stderr since the last call.
        pread: the worker shares the file's offset, which must not move."""
        fd = self.log.fileno()
        data = b""
        while True:
            chunk = os.pread(fd, 1 << 20, self.log_seen + len(data))
            if not chunk:
                break
            data += chunk
        end = data.rfind(b"\n") + 1
        if end:
            self.log_seen += end
            self.sink(logs.records(data[:end], self.index))

    def _readline(self, proc: subprocess.Popen, deadline: float) -> bytes | None:
        fd = proc.stdout.fileno()
        while b"\n" not in self._buffer:
            wait = deadline - time.monotonic()
            if wait <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b""
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def run(self, job: dict) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        proc = self.proc
        cells = sum(len(nb["cells"]) for nb in job["notebooks"])
        deadline = time.monotonic() + job["timeout"] * (2 * cells + 2) + 60
        log.debug("job %s: sent to worker %d", job["id"], self.index)
        try:
            proc.stdin.write(json.dumps(job).encode() + b"\n")
            proc.stdin.flush()
            line = self._readline(proc, deadline)
        except (OSError, ValueError):  # ValueError: stop() closed its stdin meanwhile
            line = b""
        if not line and self.proc is not proc:  # stopped by the pool's close: nobody waits for this
            return {"id": job["id"], "worker_lost": "the grading was stopped while this submission was graded."}
        if not line:
            why = "stopped answering" if line is None else "stopped"
            self.stop()
            self.relay_log()
            log.warning("job %s: worker %d %s (worker_lost)", job["id"], self.index, why)
            return {"id": job["id"], "worker_lost": f"the grading worker {why} while grading this submission; "
                                                    "run `course grade` again to retry it."}
        self.relay_log()
        return json.loads(line)

    def stop(self, kill: bool = False) -> None:
        """End the worker (at once with `kill`), then remove what it left in its folder."""
        proc, self.proc = self.proc, None  # the pool's thread and close() may both stop it
        if proc is None:
            return
        if kill:
            # The whole group: what the worker started goes too, and a reader of its stdout
            # (the pool's thread) sees the end of the pipe. Only while the worker is not yet
            # waited for: until then its id cannot be another group's.
            try:
                if proc.returncode is None:
                    os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                proc.kill()
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if self.folder is not None:
            self.folder.clear_worker(self.index)


class LocalPool:
    """N warm workers on this machine; jobs go to whichever is free."""

    def __init__(self, workers: int, use_bwrap: bool | None = None):
        use_bwrap = bool(sandbox.bwrap_path()) if use_bwrap is None else use_bwrap
        self.folder = None if use_bwrap else RunFolder()
        self.workers = [WorkerProcess(i, use_bwrap, folder=self.folder) for i in range(workers)]
        self.jobs: queue.Queue = queue.Queue()
        self.results: queue.Queue = queue.Queue()
        self.threads: list[threading.Thread] = []
        self.closing = False
        self.others_may_start = threading.Event()  # set once the first result is recorded

    def start(self) -> dict:
        """Boot the workers in the background (they import pandas, matplotlib, IPython
        while the gradebook side prepares the first jobs); return at once."""
        self.boot_errors: list[Exception] = []
        # The first worker boots alone, the others once the first result is recorded (or after
        # SECOND_WORKER_WAIT): on two cores, beside the trainer's side importing nbgrader and
        # recording, the first notebook is graded sooner.
        compile_course_package()
        for worker in self.workers:
            t = threading.Thread(target=self._serve, args=(worker,), daemon=True)
            t.start()
            self.threads.append(t)
        return {"bwrap": self.workers[0].use_bwrap}

    def _serve(self, worker: WorkerProcess) -> None:
        first = worker is self.workers[0]
        if not first:
            self.others_may_start.wait(SECOND_WORKER_WAIT)
            if self.closing:
                return
        try:
            worker.start()
        except WorkerUnavailable as exc:
            self.boot_errors.append(exc)
            self.results.put((None, None))  # wakes next_result, which reports it if no worker is left
            if first:
                self.others_may_start.set()
            return
        while True:
            item = self.jobs.get()
            if item is None or self.closing:
                return
            key, job = item
            try:
                result = worker.run(job)
            except Exception as exc:
                result = {"id": job["id"], "worker_lost": f"{type(exc).__name__}: {exc}"}
            self.results.put((key, result))

    def submit(self, key, job: dict) -> None:
        self.jobs.put((key, job))

    def first_recorded(self) -> None:
        """The caller recorded its first result: the other workers may boot now."""
        self.others_may_start.set()

    def next_result(self):
        while True:
            key, result = self.results.get()
            if key is not None:
                return key, result
            if len(self.boot_errors) == len(self.workers):
                raise self.boot_errors[0]

    def close(self, kill: bool = False) -> None:
        """Stop the workers and remove the pool's folder. `kill`: the run was interrupted,
        nobody waits for the jobs under way: the workers are killed at once."""
        self.closing = True
        self.others_may_start.set()
        if kill:
            for worker in self.workers:
                worker.stop(kill=True)
        for _ in self.threads:
            self.jobs.put(None)
        for t in self.threads:
            t.join(timeout=10)
        for worker in self.workers:
            worker.stop()
        if self.folder is not None:
            self.folder.remove()


# -- Dask ---------------------------------------------------------------------------------
_DASK_WORKER: WorkerProcess | None = None
_DASK_LOCK = threading.Lock()
_DASK_RECORDS: list[dict] = []


def run_job(job: dict, log_level: int = logging.WARNING) -> dict:
    """Grade one job on a Dask worker, with that worker process's own warm worker. The
    worker's log records travel back with the result, to the process that asked."""
    global _DASK_WORKER
    with _DASK_LOCK:
        if _DASK_WORKER is None:
            compile_course_package()
            _DASK_WORKER = WorkerProcess(0, log_level=log_level, sink=_DASK_RECORDS.extend)
        result = _DASK_WORKER.run(job)
        result["log"] = _DASK_RECORDS[:]
        _DASK_RECORDS.clear()
        return result


class DaskPool:
    def __init__(self, address: str):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - distributed is in requirements
            raise WorkerUnavailable(f"dask.distributed is not installed ({exc}).")
        try:
            self.client = Client(address, timeout=30)
        except Exception as exc:
            raise WorkerUnavailable(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        from distributed import as_completed

        self.pending = as_completed([], with_results=False)
        self.keys: dict = {}

    def start(self) -> dict:
        return {"bwrap": bool(sandbox.bwrap_path()), "uid_drop": os.geteuid() == 0, "dask": True}

    def submit(self, key, job: dict) -> None:
        future = self.client.submit(run_job, job, logs.worker_level(), pure=False,
                                    key=f"course-grade-{job['id']}-{time.monotonic_ns()}")
        self.keys[future.key] = key
        self.pending.add(future)

    def first_recorded(self) -> None:
        pass  # the cluster's workers are already up

    def next_result(self):
        future = next(self.pending)
        key = self.keys.pop(future.key)
        try:
            result = future.result()
            logs.relay(result.pop("log", []))
            return key, result
        except Exception as exc:
            return key, {"worker_lost": f"the Dask worker failed: {type(exc).__name__}: {exc}"}

    def close(self, kill: bool = False) -> None:
        self.client.close()  # the cluster's workers keep their warm workers either way
