"""A real JupyterHub on localhost for the tests and the trial benchmark.

`course_hub(tmp, learners)` sets up a trial with hub/trial.py (local accounts `cl-...`, the
exchange, the trainer's course folder), starts JupyterHub with hub/jupyterhub_config.py on
free ports and an admin API token, and at the end stops it (which stops every server) and
removes the accounts. Every wait is on a condition (the API answers, a server is ready, a
process is gone), bounded only to end a wait that would last forever.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hub"))

import trial as hub_trial  # noqa: E402  (hub/trial.py, not a package)
from trial import Account, Trial  # noqa: E402

# Generous: a server starts in seconds on a quiet machine, a minute or more on a busy one.
START_BOUND_S = 300


def missing_tool(message: str) -> None:
    from conftest import missing_tool as fail_or_skip

    fail_or_skip(message)


def require_hub_tools() -> None:
    """What a hub test needs: root (to create accounts), configurable-http-proxy, JupyterHub."""
    if os.geteuid() != 0:
        missing_tool("The hub test creates local accounts: run it as root (CI does).")
    if not hub_trial.PROXY.exists():
        missing_tool("configurable-http-proxy is not installed: run `make hub-deps` (npm ci in hub/).")
    if not (Path(sys.executable).parent / "jupyterhub").exists():
        missing_tool("JupyterHub is not installed in the venv: pip install -r requirements.txt.")
    if not shutil.which("useradd"):
        missing_tool("useradd is missing (Debian's passwd package).")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, what: str, bound_s: float = START_BOUND_S, poll_s: float = 0.3):
    """Poll `condition` until it returns something true; fail with `what` after the bound."""
    deadline = time.monotonic() + bound_s
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting after {bound_s:.0f} s: {what}")
        time.sleep(poll_s)  # polling interval of the condition, not a wait for an effect


@dataclass
class Hub:
    url: str
    token: str
    trial: Trial
    log: Path
    process: subprocess.Popen

    def api(self, method: str, path: str, data: dict | None = None):
        request = urllib.request.Request(
            f"{self.url}/hub/api/{path}", method=method, headers={"Authorization": f"token {self.token}"},
            data=json.dumps(data).encode() if data is not None else None)
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
        return json.loads(body) if body else None

    def user_request(self, user: str, path: str, method: str = "GET", form: dict | None = None):
        """A request to `user`'s own server, with the admin token (nbgrader's handlers take
        form fields). Returns (status, body)."""
        from urllib.parse import urlencode

        request = urllib.request.Request(
            f"{self.url}/user/{user}/{path}", method=method, headers={"Authorization": f"token {self.token}"},
            data=urlencode(form).encode() if form is not None else None)
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(errors="replace")

    def server(self, user: str) -> dict:
        return self.api("GET", f"users/{user}").get("servers", {}).get("", {})

    def start_server(self, user: str) -> dict:
        """Start `user`'s server through the REST API and wait until the hub says it is ready."""
        try:
            self.api("POST", f"users/{user}/server")
        except urllib.error.HTTPError as err:
            if err.code != 400:  # 400: already running
                raise
        return wait_until(lambda: (s := self.server(user)).get("ready") and s, f"{user}'s server ready")

    def server_pid(self, user: str) -> int:
        return self.server(user)["state"]["pid"]

    def as_user(self, account: Account, argv: list[str], cwd: Path | None = None, input: str | None = None,
                check: bool = True) -> subprocess.CompletedProcess:
        """Run `argv` as `account`, with what that person's shell on the hub has."""
        env = self.trial.nbgrader_env(account)
        done = subprocess.run(["runuser", "-u", account.name, "--", "env", "-i",
                               *[f"{k}={v}" for k, v in env.items()], *argv],
                              cwd=cwd or account.home, input=input, capture_output=True, text=True, timeout=600)
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} as {account.name} failed:\n{done.stdout}{done.stderr}")
        return done

    def nbgrader(self, account: Account, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.as_user(account, [str(self.trial.server_python), "-m", "nbgrader", *args], check=check)


@contextmanager
def checkout_enterable_by_others(paths):
    """Learners' servers read lab/ and the venv in place. When the checkout lies under a folder
    closed to other accounts (a CI clone under /root, 0700), open just the execute bit of each
    closed folder above it (others may pass through, not list or read), and close it again."""
    opened = []
    try:
        for path in paths:
            for folder in reversed(Path(path).resolve().parents):
                mode = os.stat(folder).st_mode
                if not mode & 0o001 and folder not in [f for f, _ in opened]:
                    opened.append((folder, mode))
                    os.chmod(folder, (mode & 0o7777) | 0o001)
        yield
    finally:
        for folder, mode in reversed(opened):
            os.chmod(folder, mode & 0o7777)


def account_names(tag: str, roles: list[str]) -> list[str]:
    """Short unique account names (at most 32 characters, as useradd wants)."""
    return [f"{hub_trial.PREFIX}{tag}-{role}"[:32] for role in roles]


@contextmanager
def course_hub(tmp: Path, learners: list[str], trainer: str, gradebook_url: str | None = None,
               singleuser_args: str = "", extra_env: dict | None = None):
    """A running hub with these accounts; everything removed at the end. `extra_env`: more
    COURSE_HUB_* settings for hub/jupyterhub_config.py."""
    require_hub_tools()
    trial = None
    process = None
    log = None
    try:
        trial = hub_trial.set_up(tmp / "state", tmp / "exchange", learners, trainer, gradebook_url=gradebook_url)
        port, token = free_port(), secrets.token_hex(24)
        env = trial.environment(port, free_port(), free_port(),
                                {"COURSE_HUB_ADMIN_TOKEN": token, "COURSE_HUB_SINGLEUSER_ARGS": singleuser_args,
                                 **(extra_env or {})})
        log_path = tmp / "jupyterhub.log"
        log = open(log_path, "w")
        process = subprocess.Popen(hub_trial.hub_command(), env=env, cwd=trial.state, stdout=log,
                                   stderr=subprocess.STDOUT)
        hub = Hub(f"http://127.0.0.1:{port}", token, trial, log_path, process)

        def answers() -> bool:
            if process.poll() is not None:
                raise RuntimeError("JupyterHub stopped:\n" + log_path.read_text())
            try:
                return hub.api("GET", "") is not None  # the proxy answers 404 until the hub's route is in
            except (OSError, urllib.error.HTTPError):
                return False

        wait_until(answers, "JupyterHub's API answers")
        yield hub
    finally:
        if process is not None:
            # SIGTERM: the hub stops every server it started, then exits.
            process.terminate()
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log is not None:
            log.close()
        if trial is not None:
            hub_trial.tear_down(trial)
