"""JupyterHub for the course: learners get lab/'s JupyterLab (Assignment List and Validate),
the trainer gets the formgrader; nbgrader's exchange is a shared folder.

Read by `jupyterhub -f hub/jupyterhub_config.py`, which `hub/trial.py` (`make hub`) runs after
creating the accounts, the exchange and the trainer's course folder. Everything that differs
between a trial and a company set-up comes from environment variables (COURSE_HUB_*), so this
file stays the same; docs/deploy.md says what to change for the company's SSO.
"""

import os
import shlex
import sys
from pathlib import Path

HUB = Path(__file__).resolve().parent
ROOT = HUB.parent
STATE = Path(os.environ.get("COURSE_HUB_STATE", HUB / "state"))
# The course's virtualenv (its packages, Jupyter extensions and their settings) and the Python
# that runs each person's server: the venv's own, or hub/trial.py's thin venv when learners
# cannot enter the folder of the venv's interpreter (see hub/trial.py, server_python).
VENV = Path(os.environ.get("COURSE_HUB_VENV", sys.prefix))
SERVER_PYTHON = os.environ.get("COURSE_HUB_SERVER_PYTHON", str(VENV / "bin" / "python"))
EXCHANGE = os.environ.get("COURSE_HUB_EXCHANGE", "/srv/nbgrader/exchange")
COURSE_DIR = os.environ.get("COURSE_HUB_COURSE", str(STATE / "course"))
TRAINER = os.environ.get("COURSE_HUB_TRAINER", "cl-trainer")
LEARNERS = set(os.environ.get("COURSE_HUB_LEARNERS", "").split())

c = get_config()  # noqa: F821  (injected by traitlets)

# Where the hub listens; its internal API and the proxy's API on ports of their own, so that
# a trial runs beside other services (and the tests beside each other).
c.JupyterHub.ip = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("COURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_port = int(os.environ.get("COURSE_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('COURSE_HUB_PROXY_API_PORT', '8001')}"
# configurable-http-proxy from npm, pinned in hub/package.json (`make hub-deps`).
c.ConfigurableHTTPProxy.command = [str(HUB / "node_modules" / ".bin" / "configurable-http-proxy")]

c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# Login: each account's own password, checked by PAM (hub/trial.py sets them with chpasswd).
# A company plugs its SSO here instead (docs/deploy.md: OAuthenticator or LDAPAuthenticator).
# The trainer is the hub's admin.
c.JupyterHub.authenticator_class = "pam"
# No PAM session per login: the accounts are local and nothing needs mounting.
c.PAMAuthenticator.open_sessions = False
c.Authenticator.admin_users = {TRAINER}
c.Authenticator.allowed_users = LEARNERS | {TRAINER}

# Each person's server runs as their own local account (created by hub/trial.py): what one
# learner writes, another cannot read.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [SERVER_PYTHON, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.args = shlex.split(os.environ.get("COURSE_HUB_SINGLEUSER_ARGS", ""))
# A busy machine starts a server slowly; the hub waits this long before giving up.
c.Spawner.start_timeout = int(os.environ.get("COURSE_HUB_START_TIMEOUT", "300"))
c.Spawner.http_timeout = int(os.environ.get("COURSE_HUB_START_TIMEOUT", "300"))


def learner_or_trainer(spawner):
    """Learners: lab/'s settings (no formgrader) and the exchange; the trainer: the course
    folder, with the formgrader."""
    name = spawner.user.name
    # The venv's extensions and their settings, whichever Python runs the server; lab/ first,
    # so that its settings win over the venv's (no formgrader for learners).
    venv_jupyter = {"JUPYTER_PATH": str(VENV / "share" / "jupyter"),
                    "PATH": f"{Path(SERVER_PYTHON).parent}{os.pathsep}{VENV / 'bin'}{os.pathsep}/usr/bin:/bin"}
    env = {"PYTHONPATH": os.environ.get("PYTHONPATH", ""), **venv_jupyter}
    if name == TRAINER:
        paths = [STATE / "trainer-config", VENV / "etc" / "jupyter"]
        spawner.notebook_dir = COURSE_DIR
    else:
        paths = [ROOT / "lab", STATE / "learner-config", VENV / "etc" / "jupyter"]
        spawner.notebook_dir = "~"
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(str(p) for p in paths)
    spawner.environment.update(env)


c.Spawner.pre_spawn_hook = learner_or_trainer

# Services that drive the hub through its API, each with a role of its own.
services = []
roles = []

# An API token with the admin role, for scripts that drive the hub (the end-to-end test,
# benchmarks/bench_hub_trial.py): set COURSE_HUB_ADMIN_TOKEN to enable it.
if os.environ.get("COURSE_HUB_ADMIN_TOKEN"):
    services.append({"name": "course-admin", "api_token": os.environ["COURSE_HUB_ADMIN_TOKEN"]})
    roles.append({"name": "admin", "services": ["course-admin"]})


def whole_number(variable: str, default: int, least: int = 0) -> int:
    """The variable's whole number; otherwise the hub stops, saying which variable to fix."""
    text = os.environ.get(variable, "").strip() or str(default)
    if not (text.isdigit() and int(text) >= least):
        raise SystemExit(f"{variable}={text!r} is not a whole number of {least} or more: fix it, or unset it "
                         f"for the default ({default}).")
    return int(text)


# How often the hub reads each server's last activity from the proxy (JupyterHub's 300 s).
c.JupyterHub.last_activity_interval = whole_number("COURSE_HUB_ACTIVITY_SECONDS", 300, least=1)
# An idle server (no request from its browser tab, no running cell) keeps ~155 MB and its
# kernels (50-137 MB each) until stopped: jupyterhub-idle-culler stops it after
# COURSE_HUB_IDLE_MINUTES (default 60; 0: never). COURSE_HUB_IDLE_SECONDS, when set, wins
# (the tests' short idle time). Only servers stop: the accounts and their files stay.
IDLE_SECONDS = (whole_number("COURSE_HUB_IDLE_SECONDS", 0) if os.environ.get("COURSE_HUB_IDLE_SECONDS")
                else 60 * whole_number("COURSE_HUB_IDLE_MINUTES", 60))
if IDLE_SECONDS:
    # The hub learns of activity only every last_activity_interval (plus the server's 30 s
    # websocket ping): a shorter idle time would stop people at work.
    if IDLE_SECONDS <= c.JupyterHub.last_activity_interval + 30:
        shortest = (c.JupyterHub.last_activity_interval + 30) // 60 + 1
        raise SystemExit(f"The idle time ({IDLE_SECONDS} s) must be longer than the hub's activity interval "
                         f"plus 30 s ({c.JupyterHub.last_activity_interval + 30} s), or learners at work would "
                         f"be stopped: set COURSE_HUB_IDLE_MINUTES to {shortest} or more (0 turns the culler off).")
    # Checked every tenth of the idle time: a server stops at most 10 % later than due.
    cull_every = whole_number("COURSE_HUB_CULL_EVERY_SECONDS", max(1, IDLE_SECONDS // 10), least=1)
    services.append({"name": "idle-culler",
                     "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_SECONDS}",
                                 f"--cull-every={cull_every}",
                                 # no idle_culler_config.py from the working folder
                                 "--config="]})
    # The scopes its README lists; no admin:users, so it cannot remove accounts (no --cull-users).
    roles.append({"name": "idle-culler", "services": ["idle-culler"],
                  "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]})

c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
