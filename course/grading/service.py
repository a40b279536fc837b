"""The grading service: warm workers that outlive one `course grade`, for the next commands.

A worker imports IPython, pandas, matplotlib and ipywidgets, and the trainer's side imports
nbgrader: about two seconds of CPU before the first notebook, whatever the cohort's size.
The first `course grade` of a course starts this service in the background (a fork of the
command in a session of its own, or `python -m course.grading.service ROOT` when the
command runs threads) and is served by it; the next ones find it warm.

- Who may use it: only the user who started it. Its Unix socket is in a folder of that user
  with mode 0700 (`service_dir`: $COURSE_GRADE_SERVICE_DIR, else $XDG_RUNTIME_DIR/course-grade,
  else /tmp/course-grade-UID; refused if another user owns it or others may enter it), and
  the service checks each connecting process's user id with SO_PEERCRED (`peer_uid`), as
  the command checks the service's.
- When it stops: `c.Course.grading_service_idle_minutes` after its last command, when the
  course folder is gone, on `course grade --stop-service`, or when a command finds that the
  course package, nbgrader_config.py or a source/ notebook changed (`fingerprint`): that
  command stops it and starts a new one.
- What it runs: the same `grade()` as `course grade --no-service`, in the service's
  process, with its warm pool: the gradebook is checked and backed up before the first
  write, each submission is recorded in one transaction. Commands are served one after
  the other. The command's output and exit status travel back over the socket; when the
  command is interrupted (Ctrl-C, killed), the connection closes and the service stops
  that command's work after the submission being recorded, as Ctrl-C does in process.

The protocol is JSON lines: the command sends one request; the service answers
{"accepted": pid} (or {"restart": ...}), then {"out"|"err": text} lines, then {"exit": code}.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import logging
import os
import signal
import socket
import stat
import struct
import subprocess
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

ENV_DIR = "COURSE_GRADE_SERVICE_DIR"
ENV_SWITCH = "COURSE_GRADE_SERVICE"  # "0"/"off"/"no": grade in process, whatever the configuration says
START_TIMEOUT = 60.0
SERVED = "served by the grading service"


class ServiceUnavailable(RuntimeError):
    """The service cannot be used safely or did not start: the command grades in process."""


# -- where, and who -------------------------------------------------------------------------

def disabled_by_env() -> bool:
    return os.environ.get(ENV_SWITCH, "").strip().lower() in ("0", "off", "no", "false")


def service_dir() -> Path:
    """The folder of this user's grading services: made with mode 0700; refused when it is a
    symbolic link, not this user's, or open to others."""
    if os.environ.get(ENV_DIR):
        folder = Path(os.environ[ENV_DIR])
    elif os.environ.get("XDG_RUNTIME_DIR") and os.path.isdir(os.environ["XDG_RUNTIME_DIR"]):
        folder = Path(os.environ["XDG_RUNTIME_DIR"]) / "course-grade"
    else:
        folder = Path("/tmp") / f"course-grade-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise ServiceUnavailable(f"cannot make {folder}: {exc}") from None
    check_private(folder)
    return folder


def check_private(folder: Path) -> None:
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise ServiceUnavailable(f"{folder} is not a folder")
    if st.st_uid != os.getuid():
        raise ServiceUnavailable(f"{folder} belongs to user id {st.st_uid}, not to you ({os.getuid()})")
    if stat.S_IMODE(st.st_mode) & 0o077:
        raise ServiceUnavailable(f"{folder} is open to other users (mode {stat.S_IMODE(st.st_mode):o}, not 700)")


def peer_uid(sock: socket.socket) -> int:
    """The user id of the process at the other end of a Unix socket (SO_PEERCRED)."""
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid


def same_user(sock: socket.socket) -> bool:
    try:
        return peer_uid(sock) == os.getuid()
    except OSError:
        return False


def paths(root: Path) -> dict[str, Path]:
    """The socket, lock and log of the service of the course at `root`."""
    key = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:16]
    folder = service_dir()
    return {"socket": folder / f"{key}.sock", "lock": folder / f"{key}.lock", "log": folder / f"{key}.log"}


@contextmanager
def _locked(path: Path, blocking: bool = True):
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def fingerprint(root: Path, workers: int, use_bwrap: bool) -> str:
    """What the service's warm state depends on: the course package (every file's size and
    time), nbgrader_config.py (its text), source/ (every file's size and time), the
    interpreter, the number of workers and the sandbox."""
    import course

    package = Path(course.__file__).resolve().parent
    root = Path(root).resolve()
    h = hashlib.sha256(repr((sys.executable, str(package), str(root), workers, use_bwrap, os.getuid())).encode())
    for base in (package, root / "source"):
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                h.update(f"{os.path.relpath(path, base)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    try:
        h.update((root / "nbgrader_config.py").read_bytes())
    except OSError:
        pass
    return h.hexdigest()


# -- the command's side -----------------------------------------------------------------------

def _connect(sock_path: Path) -> socket.socket | None:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(str(sock_path))
    except OSError:
        s.close()
        return None
    if not same_user(s):
        s.close()
        raise ServiceUnavailable(f"{sock_path} is served by another user")
    return s


def _start(root: Path, where: dict, workers: int, use_bwrap: bool, print_err) -> None:
    """Start the service and wait until it listens (it says so on a pipe)."""
    import course

    read_fd, write_fd = os.pipe()
    root = Path(root).resolve()
    log_fd = os.open(where["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if threading.active_count() == 1:
            pid, stop = _fork_service(root, workers, use_bwrap, read_fd, write_fd, log_fd), None
        else:  # a fork would copy the other threads' locks half-held: a new interpreter
            env = dict(os.environ, PYTHONPATH=str(Path(course.__file__).resolve().parent.parent))
            env.pop(ENV_SWITCH, None)
            argv = [sys.executable, "-m", "course.grading.service", str(root), "--workers", str(workers),
                    "--ready-fd", str(write_fd)]
            if not use_bwrap:
                argv.append("--no-sandbox")
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log_fd, stderr=log_fd, env=env,
                                    cwd=str(root), start_new_session=True, pass_fds=(write_fd,), close_fds=True)
            pid, stop = proc.pid, proc.kill
    finally:
        os.close(log_fd)
        os.close(write_fd)
    try:
        import select

        ready, _, _ = select.select([read_fd], [], [], START_TIMEOUT)
        said = os.read(read_fd, 64) if ready else b""
    finally:
        os.close(read_fd)
    if not said.startswith(b"ready"):
        if stop is not None:
            stop()
        raise ServiceUnavailable(f"the grading service did not start (see {where['log']})")
    log.debug("grading service started%s", f" (pid {pid})" if pid > 0 else "")


def _fork_service(root: Path, workers: int, use_bwrap: bool, read_fd: int, write_fd: int, log_fd: int) -> int:
    """Start the service as a fork of this command, which has already imported what the
    service starts with (Python, the course package, the configuration's traitlets): about
    0.1 s sooner than a new interpreter, before the first notebook of a cold `course grade`.
    Forked twice, in a session of its own (as `start_new_session`): the service is never
    this command's child. Its stdin is /dev/null, its output the service's log, and it keeps
    no other file of the command (the start lock among them)."""
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child:
        os.waitpid(child, 0)  # the first fork exits at once
        return -1  # the service's pid is in its log
    code = 1
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        os.closerange(3, write_fd)
        os.closerange(write_fd + 1, max(write_fd + 1, os.sysconf("SC_OPEN_MAX")))
        os.chdir(root)
        os.environ.pop(ENV_SWITCH, None)
        sys.argv = ["course.grading.service", str(root), "--workers", str(workers)]
        code = run_service(root, workers, use_bwrap, write_fd)
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _frames(sock: socket.socket):
    buffer = b""
    while True:
        while b"\n" not in buffer:
            chunk = sock.recv(1 << 16)
            if not chunk:
                return
            buffer += chunk
        line, _, buffer = buffer.partition(b"\n")
        yield json.loads(line)


def run_client(root: Path, request: dict, workers: int, use_bwrap: bool) -> int:
    """Have the service of the course at `root` run `request` (starting the service if none
    runs, or a new one if the course changed); print what it prints; its exit status.
    ServiceUnavailable when it cannot be used: then the command grades in process."""
    where = paths(root)
    request = dict(request, fingerprint=fingerprint(root, workers, use_bwrap))
    for _attempt in range(4):
        sock = _connect(where["socket"])
        if sock is None:
            with _locked(where["lock"]):
                sock = _connect(where["socket"])
                if sock is None:
                    _start(root, where, workers, use_bwrap, None)
                    sock = _connect(where["socket"])
            if sock is None:
                continue
        try:
            sock.sendall(json.dumps(request).encode() + b"\n")
            frames = _frames(sock)
            first = next(frames, None)
            if first is None:
                continue  # the service was stopping (idle): start another one
            if "restart" in first:
                for _ in frames:  # it closes the connection once its socket is gone
                    pass
                continue
            code = None
            for frame in frames:
                if "out" in frame:
                    sys.stdout.write(frame["out"])
                    sys.stdout.flush()
                elif "err" in frame:
                    sys.stderr.write(frame["err"])
                    sys.stderr.flush()
                elif "exit" in frame:
                    code = frame["exit"]
                    break
            if code is None:
                print("course grade: the grading service stopped while grading; run `course grade` again "
                      "(every submission is recorded whole or not at all).", file=sys.stderr)
                return 1
            return int(code)
        finally:
            sock.close()
    raise ServiceUnavailable("the grading service could not be reached")


def stop(root: Path) -> bool:
    """Stop the service of the course at `root`; False if none was running."""
    where = paths(root)
    sock = _connect(where["socket"])
    if sock is None:
        return False
    try:
        sock.sendall(json.dumps({"stop": True}).encode() + b"\n")
        for _ in _frames(sock):
            pass
    finally:
        sock.close()
    return True


# -- the service ----------------------------------------------------------------------------------

class _Stream:
    """The command's stdout or stderr, over the socket. Writes after the command went away
    are dropped (the work stops at the next submission)."""

    def __init__(self, conn: "_Connection", kind: str, tty: bool):
        self.conn, self.kind, self.tty = conn, kind, tty

    def write(self, text: str) -> int:
        self.conn.send({self.kind: text})
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self.tty

    @property
    def encoding(self) -> str:
        return "utf-8"


class _Connection:
    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.lock = threading.Lock()
        self.gone = threading.Event()

    def send(self, frame: dict) -> None:
        if self.gone.is_set():
            return
        data = json.dumps(frame).encode() + b"\n"
        with self.lock:
            try:
                self.sock.sendall(data)
            except OSError:
                self.gone.set()

    def watch(self) -> None:
        """The command sends nothing after its request: end of file means it went away."""
        def run():
            try:
                while self.sock.recv(1 << 10):
                    pass
            except OSError:
                pass
            self.gone.set()
        threading.Thread(target=run, daemon=True).start()


class _Session:
    """The warm pool as one command sees it: results of an interrupted command's jobs, which
    finish in the background, are dropped."""

    def __init__(self, pool, generation: int):
        self.pool, self.generation = pool, generation
        self.workers = pool.workers

    def submit(self, key, job):
        self.pool.submit((self.generation, key), job)

    def first_recorded(self) -> None:
        self.pool.first_recorded()

    def next_result(self):
        while True:
            key, result = self.pool.next_result()
            if key[0] == self.generation:
                return key[1], result

    def forget_queued(self) -> None:
        import queue

        while True:
            try:
                item = self.pool.jobs.get_nowait()
            except queue.Empty:
                return
            if item is None:  # not ours: put it back
                self.pool.jobs.put(None)
                return


class Service:
    def __init__(self, root: Path, workers: int, use_bwrap: bool):
        self.root = Path(root).resolve()
        self.workers, self.use_bwrap = workers, use_bwrap
        self.where = paths(self.root)
        self.fingerprint = fingerprint(self.root, workers, use_bwrap)
        self.generation = 0
        self.started = time.strftime("%H:%M:%S")
        self.broken = False  # its workers cannot start: it stops after answering
        self.idle = 600.0
        self.pool = None
        self.warmed = ""
        self.listener: socket.socket | None = None

    def listen(self) -> None:
        path = self.where["socket"]
        temporary = path.with_name(path.name + f".{os.getpid()}")
        temporary.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            listener.bind(str(temporary))
        finally:
            os.umask(old)
        listener.listen(16)
        os.replace(temporary, path)  # atomically: a command never finds half a service
        self.inode = os.stat(path).st_ino
        self.listener = listener

    def warm(self) -> None:
        """Start the workers (in the background) and import the trainer's side."""
        from . import logs
        from .pool import LocalPool

        started = time.perf_counter()
        logs.setup(False, None)  # the workers log what the command's log file would get
        self.pool = LocalPool(self.workers, use_bwrap=self.use_bwrap)
        self.pool.start()
        from ..config import load
        from .lean_imports import import_trainer_side

        import_trainer_side(freeze=True)

        try:
            self.idle = 60 * load(self.root).course.grading_service_idle_minutes
        except Exception:
            self.idle = 600.0
        self.warmed = (f"service warm in {time.perf_counter() - started:.2f} s "
                       f"(its CPU since it started: {time.process_time():.2f} s)")

    def release_socket(self) -> None:
        """Remove the socket if it is still this service's (a new service may own the path)."""
        path = self.where["socket"]
        try:
            if os.stat(path).st_ino == self.inode:
                path.unlink()
        except OSError:
            pass
        if self.listener is not None:
            self.listener.close()
            self.listener = None

    def serve(self) -> None:
        last = time.monotonic()
        while True:
            self.listener.settimeout(max(0.05, min(30.0, self.idle - (time.monotonic() - last))))
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                if not (self.root / "nbgrader_config.py").exists():
                    log.info("grading service: the course folder is gone: stopping")
                    self.release_socket()
                    return
                if time.monotonic() - last >= self.idle:
                    with _locked(self.where["lock"], blocking=False) as mine:
                        if mine:  # no command is starting a service right now
                            log.info("grading service: idle for %.0f s: stopping", self.idle)
                            self.release_socket()
                            return
                continue
            conn.settimeout(None)
            try:
                if not same_user(conn):
                    log.warning("grading service: refused a connection from user id %s", _uid_or_none(conn))
                    continue
                if self.handle(conn) == "stop" or self.broken:
                    self.release_socket()
                    return
            except Exception:
                log.error("grading service: %s", traceback.format_exc())
            finally:
                try:
                    conn.shutdown(socket.SHUT_RDWR)  # also ends the watcher's recv
                except OSError:
                    pass
                conn.close()
                last = time.monotonic()

    def handle(self, sock: socket.socket) -> str | None:
        with sock.makefile("rb") as reader:
            line = reader.readline(1 << 20)
        if not line:
            return None
        request = json.loads(line)
        conn = _Connection(sock)
        if request.get("stop"):
            self.release_socket()
            conn.send({"exit": 0})
            return "stop"
        if request.get("fingerprint") != self.fingerprint:
            self.release_socket()
            conn.send({"restart": "the course package, nbgrader_config.py or source/ changed"})
            return "stop"
        conn.send({"accepted": os.getpid()})
        conn.watch()
        code = self.run_command(request, conn)
        conn.send({"exit": code})
        return None

    def run_command(self, request: dict, conn: _Connection) -> int:
        from ..cli import _known_problem
        from .command import run_grade
        from .pool import WorkerUnavailable

        self.generation += 1
        session = _Session(self.pool, self.generation)
        served = f"{SERVED} (pid {os.getpid()}, up since {self.started})"
        if self.generation == 1:
            served += f"; {self.warmed}"
        saved = sys.stdout, sys.stderr, os.environ.get("COLUMNS")
        sys.stdout = _Stream(conn, "out", request.get("stdout_tty", False))
        sys.stderr = _Stream(conn, "err", request.get("stderr_tty", False))
        if request.get("columns"):
            os.environ["COLUMNS"] = str(request["columns"])
        try:
            return run_grade(self.root, request["options"], pool=session, should_stop=conn.gone.is_set,
                             served=served)
        except KeyboardInterrupt:
            session.forget_queued()
            return 130
        except WorkerUnavailable as exc:
            print(f"course grade: {exc}", file=sys.stderr)
            self.broken = True
            return 2
        except Exception as exc:
            problem = _known_problem(exc)
            if problem is None:
                print(traceback.format_exc(), file=sys.stderr)
                return 1
            print(f"course grade: {problem}", file=sys.stderr)
            return 2
        finally:
            from . import logs

            sys.stdout.flush()
            sys.stdout, sys.stderr = saved[0], saved[1]
            logs.setup(False, None)  # closes the command's log file
            if saved[2] is None:
                os.environ.pop("COLUMNS", None)
            else:
                os.environ["COLUMNS"] = saved[2]

    def close(self) -> None:
        self.release_socket()
        if self.pool is not None:
            self.pool.close()


def _uid_or_none(sock):
    try:
        return peer_uid(sock)
    except OSError:
        return None


def _stop_on_sigterm(signum, frame) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.grading.service")
    parser.add_argument("root", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-sandbox", action="store_true")
    parser.add_argument("--ready-fd", type=int)
    args = parser.parse_args(argv)
    return run_service(args.root, args.workers, not args.no_sandbox, args.ready_fd)


def run_service(root: Path, workers: int, use_bwrap: bool, ready_fd: int | None) -> int:
    """Listen, say "ready" on `ready_fd`, warm up, serve until idle or stopped."""
    from ..cli import skip_unused_imports
    from . import lean_imports

    skip_unused_imports()
    lean_imports.for_grading()
    # `kill PID` (SIGTERM) stops it as --stop-service does: workers ended, folders removed.
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    service = Service(root, workers, use_bwrap)
    service.listen()
    if ready_fd is not None:
        os.write(ready_fd, b"ready\n")
        os.close(ready_fd)
    try:
        service.warm()
        service.serve()
    finally:
        service.close()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
