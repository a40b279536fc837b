"""Idle servers on the hub stop by themselves (jupyterhub-idle-culler, hub/jupyterhub_config.py).

The settings: read from the COURSE_HUB_* variables, combined with the course-admin service,
refused with a clear message when they would stop people at work. On a real hub (the
fixtures of tests/support/hub.py) with a one-minute idle time: a learner's idle server, and
the kernel it runs, stop; their account stays; a learner who keeps using their server
(requests through the proxy, as a browser tab makes them) keeps it although it started first.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT
from support.hub import account_names, checkout_enterable_by_others, course_hub, hub_trial, missing_tool, wait_until
from traitlets.config.loader import PyFileConfigLoader

CONFIG = ROOT / "hub" / "jupyterhub_config.py"
IDLE_S = 60


def load_hub_config(monkeypatch, **variables):
    """hub/jupyterhub_config.py as JupyterHub reads it, with these COURSE_HUB_* variables."""
    for name in [n for n in os.environ if n.startswith("COURSE_HUB_")]:
        monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()


def services_and_roles(config) -> tuple[dict, dict]:
    return ({s["name"]: s for s in config.JupyterHub.services},
            {r["name"]: r for r in config.JupyterHub.load_roles})


def test_the_culler_stops_servers_after_an_hour_by_default_and_keeps_the_admin_service(monkeypatch):
    config = load_hub_config(monkeypatch, COURSE_HUB_ADMIN_TOKEN="secret")
    services, roles = services_and_roles(config)
    assert services["idle-culler"]["command"] == [
        sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600", "--cull-every=360", "--config="]
    # The scopes of the culler's README, nothing more: it stops servers, it cannot remove users.
    assert roles["idle-culler"] == {"name": "idle-culler", "services": ["idle-culler"],
                                    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}
    assert not any("--cull-users" in arg for arg in services["idle-culler"]["command"])
    assert services["course-admin"]["api_token"] == "secret"
    assert roles["admin"] == {"name": "admin", "services": ["course-admin"]}
    assert config.JupyterHub.last_activity_interval == 300


def test_the_idle_time_and_the_check_interval_come_from_the_environment(monkeypatch):
    config = load_hub_config(monkeypatch, COURSE_HUB_IDLE_MINUTES="20", COURSE_HUB_CULL_EVERY_SECONDS="30")
    command = services_and_roles(config)[0]["idle-culler"]["command"]
    assert "--timeout=1200" in command and "--cull-every=30" in command
    # The seconds variable (the tests') wins over the minutes.
    config = load_hub_config(monkeypatch, COURSE_HUB_IDLE_MINUTES="20", COURSE_HUB_IDLE_SECONDS="40",
                             COURSE_HUB_ACTIVITY_SECONDS="2")
    assert "--timeout=40" in services_and_roles(config)[0]["idle-culler"]["command"]
    assert config.JupyterHub.last_activity_interval == 2


def test_zero_minutes_turns_the_culler_off(monkeypatch):
    config = load_hub_config(monkeypatch, COURSE_HUB_IDLE_MINUTES="0", COURSE_HUB_ADMIN_TOKEN="secret")
    services, roles = services_and_roles(config)
    assert list(services) == ["course-admin"] and list(roles) == ["admin"]


@pytest.mark.parametrize("variables, message", [
    ({"COURSE_HUB_IDLE_MINUTES": "5"}, "set COURSE_HUB_IDLE_MINUTES to 6 or more (0 turns the culler off)"),
    ({"COURSE_HUB_IDLE_MINUTES": "half an hour"}, "COURSE_HUB_IDLE_MINUTES='half an hour' is not a whole number"),
    ({"COURSE_HUB_CULL_EVERY_SECONDS": "0"}, "COURSE_HUB_CULL_EVERY_SECONDS='0' is not a whole number of 1 or more"),
])
def test_settings_that_cannot_work_stop_the_hub_with_what_to_fix(monkeypatch, variables, message):
    with pytest.raises(SystemExit) as stopped:
        load_hub_config(monkeypatch, **variables)
    assert message in str(stopped.value)


def test_the_trial_takes_the_idle_time_in_whole_minutes(capsys):
    with pytest.raises(SystemExit) as stopped:
        hub_trial.main(["--idle-minutes", "ten"])
    assert stopped.value.code == 2
    assert "'ten' is not a whole number of minutes" in capsys.readouterr().err


def processes_of(uid: int) -> list[int]:
    """The pids of every process running as this account."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:  # ended while we looked
                pass
    return pids


@pytest.mark.slow
@pytest.mark.xdist_group("hub")
def test_an_idle_server_and_its_kernel_stop_and_an_active_one_stays():
    if importlib.util.find_spec("jupyterhub_idle_culler") is None:
        missing_tool("jupyterhub-idle-culler is not installed in the venv: pip install -r requirements.txt.")
    folder = Path(tempfile.mkdtemp(prefix="course-hub-culler-"))
    folder.chmod(0o755)  # the learners' servers read the generated settings in it
    try:
        idle_server_stops_and_busy_server_stays(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def idle_server_stops_and_busy_server_stays(folder: Path) -> None:
    busy_name, idle_name, trainer_name = account_names(os.urandom(2).hex(), ["busy", "idle", "trainer"])
    settings = {"COURSE_HUB_IDLE_SECONDS": str(IDLE_S), "COURSE_HUB_CULL_EVERY_SECONDS": "2",
                # the hub reads the proxy's activity every 2 s, so that the busy learner's counts in time
                "COURSE_HUB_ACTIVITY_SECONDS": "2"}
    with checkout_enterable_by_others([ROOT / "lab", Path(sys.prefix) / "lib"]), \
            course_hub(folder, [busy_name, idle_name], trainer_name, extra_env=settings) as hub:
        busy, idle = hub.trial.learners
        hub.start_server(busy.name)
        hub.start_server(idle.name)
        # A notebook's kernel on the idle learner's server, as an open notebook has.
        request = urllib.request.Request(f"{hub.url}/user/{idle.name}/api/kernels", method="POST",
                                         data=json.dumps({"name": "python3"}).encode(),
                                         headers={"Authorization": f"token {hub.token}",
                                                  "Content-Type": "application/json"})
        last_request = time.monotonic()  # the idle learner's last activity
        with urllib.request.urlopen(request, timeout=300) as response:
            assert response.status == 201
        wait_until(lambda: len(processes_of(idle.uid)) >= 2, "the idle learner's kernel runs beside their server")

        def busy_works_and_idle_is_gone() -> bool:
            # The busy learner's browser tab: a request through the proxy every poll.
            status, body = hub.user_request(busy.name, "api/contents")
            assert status == 200, body[-2000:]
            return not hub.server(idle.name)

        wait_until(busy_works_and_idle_is_gone, f"the culler to stop {idle.name}'s idle server", bound_s=300, poll_s=2)
        idle_for = time.monotonic() - last_request
        # Stopped for being idle (not earlier: at most the hub's 2-s activity read before; not
        # for another reason), by the culler.
        assert idle_for >= IDLE_S - 2, f"stopped {idle_for:.0f} s after the last request, before the idle time"
        assert f"Culling server {idle.name} (inactive for" in hub.log.read_text()
        # Their server and kernel end; their account and files stay.
        wait_until(lambda: not processes_of(idle.uid), f"every process of {idle.name} to end", bound_s=120)
        assert hub.api("GET", f"users/{idle.name}")["name"] == idle.name
        assert idle.home.is_dir()
        # The busy learner started first, so is past the idle time too, but was at work: still running.
        assert hub.server(busy.name).get("ready"), hub.log.read_text()[-4000:]
        assert f"Culling server {busy.name}" not in hub.log.read_text()
