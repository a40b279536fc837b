"""Where learner code runs: bubblewrap around the worker, limits on every learner process.

The warm worker runs inside `bwrap`: no network, its own PID namespace, a tmpfs for /tmp,
and read-only views of the interpreter, the venv and the course package only: no source/,
no gradebook, no other learner's files. Learner code then runs in forked children with
resource limits (address space, processes, file size, open files) and, when the worker is
root, under a user id of its own, so that it cannot touch the worker or the test process.
Without bwrap only the limits apply, and `course grade` says so.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CLONE_NEWNET = 0x40000000
PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
# Learner and test processes of a worker run as LEARNER_UID_BASE + 2 * slot.
# The slot is unique on the machine (the starting process's pid and the worker's number), so
# that ending every process of a learner user id never touches another run's.
LEARNER_UID_BASE = 1_000_000


@dataclass
class Limits:
    """What one learner's notebook may use (c.Course options, course/config.py)."""
    memory_mb: int         # on top of what the warm interpreter already maps
    processes: int         # per learner user id
    file_size_mb: int
    max_output_bytes: int  # per cell, before LimitOutput trims lines

    def as_job(self) -> dict:
        return {"memory_mb": self.memory_mb, "processes": self.processes, "file_size_mb": self.file_size_mb}


def worker_slot(index: int) -> int:
    return os.getpid() * 64 + index % 64


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def _prefixes() -> list[str]:
    """Read-only folders the worker needs: the interpreter, the venv, the course package."""
    import course

    paths = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.prefix,
             str(Path(course.__file__).resolve().parent)}
    exe = os.path.realpath(sys.executable)
    paths.add(str(Path(exe).parent.parent))
    return sorted(p for p in paths if os.path.isdir(p))


def bwrap_command(argv: list[str], read_only: list[str] = ()) -> list[str]:
    """`argv` wrapped in bubblewrap, or argv unchanged if bwrap is not installed.
    `read_only`: more folders the worker may read (never learner data)."""
    bwrap = bwrap_path()
    if not bwrap:
        return argv
    if os.geteuid() == 0:
        # As root, no user namespace: the worker keeps the right to drop learner code to
        # its own user id, which is what makes the process limit count.
        unshare = ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    else:
        unshare = ["--unshare-all"]
    cmd = [bwrap, *unshare, "--die-with-parent", "--new-session"]
    for system in ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin"):
        if os.path.exists(system):
            cmd += ["--ro-bind", system, system] if not os.path.islink(system) else ["--symlink", os.readlink(system), system]
    for etc in ("/etc/ld.so.cache", "/etc/localtime", "/etc/ssl", "/etc/fonts", "/etc/passwd", "/etc/group"):
        if os.path.exists(etc):
            cmd += ["--ro-bind", etc, etc]
    # /tmp first: a course or venv that lives under /tmp (a CI checkout) is bound on top of it,
    # not hidden by it. It is a tmpfs of the sandbox's own mount namespace (bwrap always makes
    # one): the worker's submission folders and test bases, and whatever learner code writes
    # there, are gone with the sandbox's last process, however the worker ended.
    cmd += ["--perms", "1777", "--tmpfs", "/tmp"]
    made = {"/tmp"}
    for path in _prefixes() + [p for p in read_only if os.path.isdir(p)]:
        # Parents are made world-traversable: learner code runs as another user.
        for parent in reversed(Path(path).parents):
            if str(parent) != "/" and str(parent) not in made and not str(parent).startswith(("/usr", "/lib", "/bin")):
                cmd += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        cmd += ["--ro-bind", path, path]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--chdir", "/tmp",
            "--setenv", "HOME", "/tmp", "--setenv", "MPLCONFIGDIR", "/tmp/.mpl"]
    return cmd + ["--", *argv]


def world_readable(paths: list[str] | None = None) -> bool:
    """Can another user read the interpreter and the course package (needed to drop to one)?"""
    for path in paths or _prefixes():
        for folder in (Path(path), *Path(path).parents):
            try:
                if not os.stat(folder).st_mode & 0o005:
                    return False
            except OSError:
                return False
    return True


def set_subreaper() -> None:
    """Orphans of learner processes come back to the worker, which can then end them."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except Exception:
        pass


def _prctl(option: int, value: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except Exception:
        pass


def confine(uid: int | None, limits: dict, workdir: str) -> None:
    """In a freshly forked learner or test process: limits, no network, own user id."""
    os.setsid()
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.environ.get("COURSE_GRADE_SANDBOX") != "bwrap":
        # Inside bwrap the worker already has a network namespace of its own, with no
        # interface but loopback: a new one per process would only cost time.
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.unshare(CLONE_NEWNET)
        except Exception:
            pass
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-big file fails with an error instead
    mb = 1 << 20
    settings = [
        (resource.RLIMIT_AS, limits["address_space_mb"] * mb),
        (resource.RLIMIT_FSIZE, limits["file_size_mb"] * mb),
        (resource.RLIMIT_NOFILE, 256),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_CPU, limits["cpu_seconds"]),
    ]
    if uid is not None:
        settings.append((resource.RLIMIT_NPROC, limits["processes"]))
    for which, value in settings:
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass
    os.chdir(workdir)
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    _prctl(PR_SET_DUMPABLE, 0)


def close_fds_except(*keep: int) -> None:
    """In a forked child: keep only stdin (made /dev/null), stdout, stderr and `keep`: no way
    to reach the worker's protocol or another process's pipes."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 65536)


def processes() -> list[tuple[int, int, set[int]]]:
    """(pid, parent pid, user ids) of every process this one can see in /proc. Read from
    /proc/<pid>/status: the owner of /proc/<pid> says root for a process that is not dumpable."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", "rb") as f:
                status = f.read()
            fields = dict(line.split(b":", 1) for line in status.splitlines() if b":" in line)
            found.append((int(entry), int(fields[b"PPid"]), {int(u) for u in fields[b"Uid"].split()}))
        except (OSError, ValueError, KeyError):
            continue
    return found


def descendants(root_pid: int, table: list[tuple[int, int, set[int]]]) -> list[int]:
    """Every process below `root_pid` in `table` (from `processes()`)."""
    children: dict[int, list[int]] = {}
    for pid, ppid, _ in table:
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root_pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def kill_uid(uid: int) -> None:
    """End every process of a learner user id: a child switches to it and signals all."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setresuid(uid, uid, uid)
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        os._exit(0)
    os.waitpid(pid, 0)


def reap_everything(uids: list[int], keep: list[int] = ()) -> None:
    """Kill and reap every process this worker's learner code started, however it hid
    (`keep`: the worker's own helper processes, which never run learner code)."""
    for _ in range(20):
        table = processes()
        alive = [uid for uid in uids if any(uid in ids for _, _, ids in table)]
        left = [pid for pid in descendants(os.getpid(), table) if pid not in keep]
        if not alive and not left:
            # No process of the learner's user id exists, so none can start one any more:
            # nothing to kill (the usual case, without a fork of this big process).
            return
        for uid in alive:
            kill_uid(uid)
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in left:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.01)
