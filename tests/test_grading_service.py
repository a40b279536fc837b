"""The grading service (course/grading/service.py): warm workers kept between `course grade`
commands, used only by the course's owner, restarted when the course changes, stopped when
idle, with the same scores as grading in process and safe to interrupt.

Every service a test starts is stopped by the test (by its process id if need be), and the
tests wait on conditions only (a process is gone, a line is in a log)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT

from course.coursedir import assignments, generate_assignments
from course.grading import service
from support.processes import WAIT, alive, wait_for
from support.sample_course import copy_course, db_url_of, make_course, scores

NAME = assignments(ROOT)[0]


# -- who may use it --------------------------------------------------------------------------
def test_the_service_folder_is_private_and_refused_otherwise(tmp_path, monkeypatch):
    folder = tmp_path / "svc"
    monkeypatch.setenv(service.ENV_DIR, str(folder))
    assert service.service_dir() == folder
    assert stat.S_IMODE(os.lstat(folder).st_mode) == 0o700
    folder.chmod(0o755)
    with pytest.raises(service.ServiceUnavailable, match="open to other users"):
        service.service_dir()
    folder.chmod(0o700)
    link = tmp_path / "link"
    link.symlink_to(folder)
    monkeypatch.setenv(service.ENV_DIR, str(link))
    with pytest.raises(service.ServiceUnavailable, match="not a folder"):
        service.service_dir()
    monkeypatch.setenv(service.ENV_DIR, str(folder))
    monkeypatch.setattr(os, "getuid", lambda: os.geteuid() + 1)
    with pytest.raises(service.ServiceUnavailable, match="not to you"):
        service.service_dir()


def test_the_peer_user_id_is_checked():
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        assert service.peer_uid(a) == os.getuid()
        assert service.same_user(a)
        real = os.getuid
        try:
            os.getuid = lambda: real() + 1  # as the service of another user sees this process
            assert not service.same_user(a)
        finally:
            os.getuid = real
    finally:
        a.close()
        b.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")
def test_another_user_cannot_reach_the_socket(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="cgs-"))  # mode 0700, as service_dir makes it
    try:
        path = folder / "s.sock"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(path))
        listener.listen(1)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 1
            try:
                os.setgid(65534)
                os.setuid(65534)
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    s.connect(str(path))
                except PermissionError:
                    code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, "another user could connect"
        listener.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the service at work ---------------------------------------------------------------------------
class Course:
    def __init__(self, folder: Path, sockets: Path, learners: list):
        self.folder, self.sockets, self.learners = folder, sockets, learners
        self.env = dict(os.environ, COURSE_DIR=str(folder), COURSE_GRADE_SERVICE="on",
                        COURSE_GRADE_SERVICE_DIR=str(sockets))
        self.pids: set[int] = set()

    def grade(self, *args: str, timeout: float = WAIT) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "course", "grade", NAME, "--quiet", *args], env=self.env,
                              capture_output=True, text=True, timeout=timeout)
        assert proc.returncode in (0, 1), proc.stderr[-3000:]
        self.pids.update(self.served_by())
        return proc

    def log(self) -> str:
        path = self.folder / "autograded" / "course-grade.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def served_by(self) -> list[int]:
        return [int(p) for p in re.findall(service.SERVED + r" \(pid (\d+)", self.log())]

    def stop(self) -> None:
        subprocess.run([sys.executable, "-m", "course", "grade", "--stop-service"], env=self.env,
                       capture_output=True, timeout=120)
        for pid in self.pids:
            try:
                wait_for(lambda: not alive(pid), f"service {pid} to stop", timeout=60)
            except AssertionError:
                os.kill(pid, signal.SIGKILL)


def _course(tmp_path: Path, learners: int, idle_minutes: float) -> Course:
    folder = tmp_path / "course"
    people = make_course(ROOT, folder, learners, names=[NAME],
                         extra_config=f"c.Course.grading_service_idle_minutes = {idle_minutes}\n")
    generate_assignments([NAME], folder, folder, db_url=db_url_of(folder))
    sockets = Path(tempfile.mkdtemp(prefix="cgs-"))  # short: a Unix socket's path is limited
    return Course(folder, sockets, people)


@pytest.fixture
def course(tmp_path):
    c = _course(tmp_path, 4, 10)
    yield c
    c.stop()
    shutil.rmtree(c.sockets, ignore_errors=True)


def _ids(c: Course) -> list[str]:
    return [ln.id for ln in c.learners if ln.kind != "corrupt"]


def _reference(c: Course, tmp_path: Path) -> dict:
    """The scores of the same submissions graded in process."""
    plain = copy_course(c.folder, tmp_path / "in-process")
    subprocess.run([sys.executable, "-m", "course", "grade", NAME, "--quiet", "--no-service"],
                   env=dict(c.env, COURSE_DIR=str(plain)), capture_output=True, timeout=WAIT)
    return scores(plain, NAME, _ids(c))


@pytest.mark.slow
def test_the_second_command_is_served_warm_with_the_same_scores(course, tmp_path):
    expected = _reference(course, tmp_path)
    course.grade()
    first = course.served_by()
    assert len(first) == 1
    assert scores(course.folder, NAME, _ids(course)) == expected
    course.grade("--force")
    served = course.served_by()
    assert len(served) == 2 and served[1] == served[0], "the second command did not use the warm service"
    assert scores(course.folder, NAME, _ids(course)) == expected
    assert list(course.sockets.glob("*.sock")), "no socket"
    assert stat.S_IMODE(os.lstat(course.sockets).st_mode) == 0o700


@pytest.mark.slow
def test_the_service_is_forked_apart_from_the_command_and_keeps_none_of_its_files(course):
    """The service is a fork of the first command: in a session of its own, reading
    /dev/null, without the command's start lock (held, it would keep the service from ever
    stopping when idle)."""
    course.grade()
    [pid] = course.served_by()
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    assert int(fields[3]) != os.getsid(0)  # its session, not the command's (the test's)
    targets = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
    assert os.readlink(f"/proc/{pid}/fd/0") == os.devnull
    assert not [t for t in targets if t.endswith(".lock")], targets


@pytest.mark.slow
def test_a_changed_configuration_or_source_restarts_the_service(course):
    course.grade()
    course.grade("--force")
    first = course.served_by()[-1]
    with open(course.folder / "nbgrader_config.py", "a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    course.grade("--force")
    second = course.served_by()[-1]
    assert second != first
    wait_for(lambda: not alive(first), "the old service to stop")
    notebook = next((course.folder / "source" / NAME).glob("*.ipynb"))
    st = notebook.stat()
    os.utime(notebook, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    course.grade("--force")
    third = course.served_by()[-1]
    assert third not in (first, second)
    wait_for(lambda: not alive(second), "the old service to stop")


@pytest.mark.slow
def test_the_service_stops_by_itself_when_idle(tmp_path):
    c = _course(tmp_path, 1, 0.005)  # 0.3 s
    try:
        c.grade()
        [pid] = c.served_by()
        wait_for(lambda: not alive(pid), "the idle service to stop")
        assert not list(c.sockets.glob("*.sock")), "the socket was left behind"
        c.grade("--force")
        assert len(c.served_by()) == 2 and c.served_by()[1] != pid  # a new one started
    finally:
        c.stop()
        shutil.rmtree(c.sockets, ignore_errors=True)


@pytest.mark.slow
def test_no_service_grades_in_process(course):
    course.grade("--no-service")
    assert course.served_by() == []
    assert not list(course.sockets.glob("*.sock"))


@pytest.mark.slow
def test_a_killed_command_leaves_a_consistent_gradebook_and_the_next_finishes(tmp_path):
    c = _course(tmp_path, 8, 10)
    try:
        expected = _reference(c, tmp_path)
        c.grade("--student", _ids(c)[0])  # warm the service
        jsonl = c.folder / "autograded" / f"{NAME}.grading-log.jsonl"
        before = len(jsonl.read_text().splitlines())
        proc = subprocess.Popen([sys.executable, "-m", "course", "grade", NAME, "--quiet", "--force", "--workers", "2"],
                                env=c.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: len(jsonl.read_text().splitlines()) > before, "a submission to be recorded")
        proc.kill()
        proc.wait()
        c.grade()  # served after the interrupted work: finishes what is missing
        assert scores(c.folder, NAME, _ids(c)) == expected
        assert len(set(c.served_by())) == 1, "the service did not survive its command being killed"
    finally:
        c.stop()
        shutil.rmtree(c.sockets, ignore_errors=True)
