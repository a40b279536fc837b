"""Ralph (ralph-malph), the learning record store the xAPI tests talk to, in its own
virtualenv .venv-lrs (requirements-lrs.txt; `make test` builds it): Ralph pins packages
the course pins otherwise (importlib-metadata), so it cannot share .venv.

`ralph_validate` checks statements with Ralph's pydantic models of xAPI; `running_lrs`
starts Ralph's LRS (uvicorn, file-system backend made to append: ralph_lrs_app.py, one
basic-auth user) on a free local port and stops it whatever happens.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT, missing_tool

LRS_VENV = Path(os.environ.get("COURSE_LRS_VENV", ROOT / ".venv-lrs"))
STARTUP_LIMIT = 120.0  # seconds; only ends a test whose store never answers

# Every statement in, one line out per statement: "ok" or what Ralph's model says is wrong.
_VALIDATE = """
import json, sys
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement
for statement in json.load(sys.stdin):
    try:
        BaseXapiStatement.model_validate(statement)
        print("ok")
    except ValidationError as exc:
        print(statement.get("id"), str(exc).replace(chr(10), " | "))
"""


def ralph_bin(name: str) -> Path:
    path = LRS_VENV / "bin" / name
    if not path.exists():
        missing_tool(f"Ralph (ralph-malph) is not installed in {LRS_VENV}: run `make lrs`.")
    return path


def ralph_validate(statements: list[dict]) -> list[str]:
    """What Ralph's xAPI model finds wrong, one line per faulty statement."""
    proc = subprocess.run([str(ralph_bin("python")), "-c", _VALIDATE], input=json.dumps(statements),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(statements), proc.stdout
    return [line for line in lines if line != "ok"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Store:
    url: str           # the xAPI endpoint
    username: str
    password: str
    log: Path

    def get(self, path_and_query: str) -> dict:
        request = urllib.request.Request(self.url.rsplit("/xAPI", 1)[0] + path_and_query, headers={
            "X-Experience-API-Version": "1.0.3",
            "Authorization": "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def statements(self) -> list[dict]:
        """Every statement the store holds, page after page."""
        found, page = [], "/xAPI/statements?limit=100"
        while page:
            data = self.get(page)
            found += data["statements"]
            page = data.get("more") or ""
        return found


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running_lrs(folder: Path, username: str = "trainer", password: str = "a-test-password"):
    """Ralph's LRS on 127.0.0.1, storing in `folder`, with one user; stopped on exit."""
    uvicorn, ralph = ralph_bin("uvicorn"), ralph_bin("ralph")
    data = folder / "statements"
    data.mkdir(parents=True)
    env = dict(os.environ, RALPH_APP_DIR=str(folder / "app"), RALPH_AUTH_FILE=str(folder / "auth.json"),
               RALPH_RUNSERVER_BACKEND="fs", RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(data))
    # A throwaway test password: fine on this command line (the course's own command takes none).
    subprocess.run([str(ralph), "auth", "-u", username, "-p", password, "-s", "all",
                    "-M", f"mailto:{username}@example.com", "-w"], env=env, check=True, capture_output=True,
                   timeout=300)
    port = free_port()
    log = folder / "lrs.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([str(uvicorn), "--app-dir", str(Path(__file__).parent), "ralph_lrs_app:app",
                                   "--host", "127.0.0.1", "--port", str(port)],
                                  env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_LIMIT
        while not _answers(f"http://127.0.0.1:{port}/__heartbeat__"):
            if server.poll() is not None:
                raise AssertionError(f"Ralph's LRS stopped at start:\n{log.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                raise AssertionError(f"Ralph's LRS did not answer in {STARTUP_LIMIT:g} s:\n"
                                     f"{log.read_text(errors='replace')}")
            time.sleep(0.1)  # polling interval, not a wait for the machine's speed
        yield Store(f"http://127.0.0.1:{port}/xAPI", username, password, log)
    finally:
        if server.returncode is None:  # once it is waited for, its group id may be another's
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
