"""A trial of the course's JupyterHub with N simulated learners, for docs/deploy.md.

Sets up the hub as `make hub` does (hub/trial.py: local accounts, exchange, the trainer's
course folder), then, through the hub's REST API with an admin token:
  1. starts every learner's server (N at once, as a class arriving at 9:00) and waits until
     each is ready: time to all ready, and each server's memory (RSS, psutil);
  2. starts one Python kernel per learner (what opening the module does): its memory; and
     runs module 2 to the end in one more kernel: the memory of a kernel in use;
  3. every learner fetches module 2 and submits it through their server's nbgrader handlers
     (what the Assignment List's buttons call), N at once: time;
  4. the trainer collects and grades the N hand-ins (`nbgrader collect`, `course grade`): time.
Prints the figures and the machine's load. Needs root (it creates and removes the accounts).

    sudo .venv/bin/python benchmarks/bench_hub_trial.py --learners 20
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.hub import account_names, course_hub, wait_until  # noqa: E402

MODULE = "02-who-can-see-this-post"
COURSE_ID = "social-media-accounts"


def mb(n: float) -> str:
    return f"{n / 2**20:.0f} MB"


def tree_rss(pid: int) -> int:
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])


def working_kernel_rss() -> tuple[int, float]:
    """A kernel that has run module 2 to the end (the simulator, pandas, the charts), as a
    learner's does after a session: its RSS, and the time the notebook took."""
    import nbformat
    from jupyter_client import KernelManager
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="course-hub-kernel-") as tmp:
        shutil.copytree(ROOT / "release" / MODULE, Path(tmp) / MODULE)
        nb = nbformat.read(Path(tmp) / MODULE / f"{MODULE}.ipynb", as_version=4)
        # A kernel of our own: the client leaves it running after the last cell, to be measured.
        km = KernelManager(kernel_name="python3")
        km.start_kernel(cwd=str(Path(tmp) / MODULE))
        try:
            started = time.perf_counter()
            NotebookClient(nb, km=km, timeout=600, allow_errors=True).execute()
            ran_s = time.perf_counter() - started
            rss = tree_rss(km.provisioner.process.pid)
        finally:
            km.shutdown_kernel(now=True)
    return rss, ran_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=20)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("This benchmark creates local accounts: run it as root.", file=sys.stderr)
        return 2
    n = args.learners
    folder = Path(tempfile.mkdtemp(prefix="course-hub-bench-"))
    folder.chmod(0o755)
    load_before = os.getloadavg()
    try:
        names = account_names(os.urandom(2).hex(), [f"l{i:03d}" for i in range(n)] + ["trainer"])
        started = time.perf_counter()
        with course_hub(folder, names[:-1], names[-1]) as hub:
            print(f"set-up (accounts, exchange, course folder) and hub start: {time.perf_counter() - started:.1f} s")
            learners = [a.name for a in hub.trial.learners]
            hub_rss = tree_rss(hub.process.pid)

            started = time.perf_counter()
            with ThreadPoolExecutor(n) as pool:
                list(pool.map(hub.start_server, learners))
            servers_s = time.perf_counter() - started
            server_rss = [psutil.Process(hub.server_pid(u)).memory_info().rss for u in learners]

            started = time.perf_counter()
            kernels = {}
            for user in learners:
                status, body = hub.user_request(user, "api/kernels", "POST", form={})
                assert status == 201, body
                kernels[user] = body
            kernel_pids = wait_until(lambda: (pids := [c.pid for u in learners
                                                      for c in psutil.Process(hub.server_pid(u)).children()])
                                     and len(pids) == n and pids, "every kernel process started")
            kernels_s = time.perf_counter() - started
            kernel_rss = [psutil.Process(p).memory_info().rss for p in kernel_pids]
            working_rss, working_s = working_kernel_rss()

            def fetch_and_submit(user: str) -> float:
                t0 = time.perf_counter()
                form = {"course_id": COURSE_ID, "assignment_id": MODULE}
                for action in ("fetch", "submit"):
                    status, body = hub.user_request(user, f"assignments/{action}", "POST", form=form)
                    assert status == 200 and '"success": true' in body, body
                return time.perf_counter() - t0

            started = time.perf_counter()
            with ThreadPoolExecutor(n) as pool:
                each = list(pool.map(fetch_and_submit, learners))
            exchange_s = time.perf_counter() - started
            inbound = list((hub.trial.exchange / COURSE_ID / "inbound").iterdir())
            assert len(inbound) == n, f"{len(inbound)} hand-ins in the exchange, expected {n}"

            course, bin_dir = hub.trial.course, Path(sys.executable).parent
            env = dict(os.environ, COURSE_DIR=str(course))
            started = time.perf_counter()
            subprocess.run([str(bin_dir / "nbgrader"), "collect", MODULE], cwd=course, env=env, check=True,
                           capture_output=True)
            collect_s = time.perf_counter() - started
            started = time.perf_counter()
            graded = subprocess.run([str(bin_dir / "course"), "grade", MODULE, "--quiet"], cwd=course, env=env,
                                    capture_output=True, text=True)
            grade_s = time.perf_counter() - started
            assert graded.returncode == 0, graded.stdout + graded.stderr
            hub_rss_after = tree_rss(hub.process.pid) - sum(server_rss) - sum(kernel_rss)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"\n{n} learners on {os.cpu_count()} cores, {mb(psutil.virtual_memory().total)} RAM; "
          f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    print(f"hub + proxy: {mb(hub_rss)} at start, {mb(hub_rss_after)} with {n} servers")
    print(f"start {n} servers at once: {servers_s:.1f} s until all ready")
    print(f"server RSS per learner: median {mb(sorted(server_rss)[n // 2])}, max {mb(max(server_rss))}")
    print(f"start {n} kernels: {kernels_s:.1f} s; idle kernel RSS: median {mb(sorted(kernel_rss)[n // 2])}, "
          f"max {mb(max(kernel_rss))}")
    print(f"a kernel that ran module 2 to the end: {mb(working_rss)} ({working_s:.1f} s)")
    print(f"fetch + submit, {n} learners at once: {exchange_s:.1f} s in all; per learner median "
          f"{sorted(each)[n // 2]:.2f} s, max {max(each):.2f} s")
    print(f"trainer: nbgrader collect {collect_s:.1f} s, course grade {grade_s:.1f} s for {n} hand-ins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
