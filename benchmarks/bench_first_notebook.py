"""Benchmark: how long `course grade ASSIGNMENT` takes to record its first graded notebook,
cold (no grading service running: the command starts it and its workers) and warm (the
service is up), as a trainer types it. Goal (issue 21): under one second both ways.

Builds a small synthetic cohort for one assignment, then runs `course grade NN --force
--quiet` REPEAT times cold (the service stopped before each) and REPEAT times warm. For each
run: the seconds from the command's start to the log line `first submission recorded at
...`, and the CPU seconds the run cost (the command, plus the service and its workers,
read from /proc once the command has returned), medians printed last.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_first_notebook.py
    PYTHONPATH=. .venv/bin/python benchmarks/bench_first_notebook.py --assignment 00 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # tests/support: the throwaway courses the tests grade too

from course.coursedir import SOURCE_LANGUAGE, generate_assignments, language_of, resolve_assignments, tool_env  # noqa: E402
from support.sample_course import db_url_of, make_course  # noqa: E402

FIRST = re.compile(r"first submission recorded at ([0-9.]+) \(epoch\)")
SERVICE_PID = re.compile(r"served by the grading service \(pid (\d+)")
TICK = os.sysconf("SC_CLK_TCK")


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of `pid` and every living descendant, and of the children
    they have already waited for."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        # after the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15), 0-based from state
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = sum(int(x) for x in fields[11:15]) / TICK
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += cpu.get(current, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == current)
    return total


def one_run(course: Path, name: str, env: dict, service: int | None = None) -> tuple[float, float, int | None]:
    """(seconds to the first graded notebook, CPU seconds, the service's pid). `service`: the
    pid of the service already running (warm), whose CPU before the run is not counted."""
    log = course / "autograded" / "course-grade.log"
    log.unlink(missing_ok=True)
    service_before = process_tree_cpu(service) if service else 0.0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    since = time.time()
    proc = subprocess.run([sys.executable, "-m", "course", "grade", name, "--force", "--quiet"], cwd=course,
                          env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # 1: a submission failed (the corrupt one), as expected
        sys.exit(f"course grade failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    text = log.read_text(encoding="utf-8")
    times = [float(t) for t in FIRST.findall(text)]
    if not times:
        sys.exit(f"no `first submission recorded` line in {log}:\n{text[-2000:]}")
    found = SERVICE_PID.search(text)
    if found and service and int(found.group(1)) != service:
        service_before = 0.0  # another service served it (it restarted)
    service = int(found.group(1)) if found else None
    command_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    service_cpu = process_tree_cpu(service) - service_before if service else 0.0
    return min(times) - since, command_cpu + service_cpu, service


def stop_service(course: Path, env: dict) -> None:
    subprocess.run([sys.executable, "-m", "course", "grade", "--stop-service"], cwd=course, env=env,
                   capture_output=True, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--assignment", default="02", help="the assignment graded (name or number; default: 02)")
    parser.add_argument("--learners", type=int, default=4, help="learners in the cohort (default: 4)")
    parser.add_argument("--repeat", type=int, default=5, help="cold runs and warm runs (default: 5 each)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway course folder")
    args = parser.parse_args()
    # A module's number means its English edition; an exact name (02-...-fr) that edition.
    name = next(a for a in resolve_assignments(ROOT, [args.assignment])
                if a == args.assignment or language_of(a) == SOURCE_LANGUAGE)
    tmp = Path(tempfile.mkdtemp(prefix="bench-first-"))
    sockets = Path(tempfile.mkdtemp(prefix="bench-first-svc-"))  # this run's own grading services
    course = tmp / "course"
    make_course(ROOT, course, args.learners, names=[name])
    generate_assignments([name], course, course, db_url=db_url_of(course))
    env = dict(tool_env(), COURSE_DIR=str(course), COURSE_GRADE_SERVICE="on", COURSE_GRADE_SERVICE_DIR=str(sockets))
    print(f"{name}, {args.learners} learners, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
          "at the start (other work slows every figure)")
    results: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
    try:
        # Not timed: the first run ever writes the course package's bytecode and matplotlib's font list.
        _, _, service = one_run(course, name, env)
        for k in range(args.repeat):
            stop_service(course, env)
            first, cpu, service = one_run(course, name, env)
            results["cold"].append((first, cpu))
            print(f"cold {k + 1}: first graded notebook {first:.2f} s, CPU {cpu:.2f} s", flush=True)
        for k in range(args.repeat):
            first, cpu, service = one_run(course, name, env, service)
            results["warm"].append((first, cpu))
            print(f"warm {k + 1}: first graded notebook {first:.2f} s, CPU {cpu:.2f} s", flush=True)
    finally:
        stop_service(course, env)
        shutil.rmtree(sockets, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    cold = statistics.median(f for f, _ in results["cold"])
    warm = statistics.median(f for f, _ in results["warm"])
    print(f"cold: median {cold:.2f} s, worst {max(f for f, _ in results['cold']):.2f} s to the first graded "
          f"notebook; CPU median {statistics.median(c for _, c in results['cold']):.2f} s "
          f"(command, service and workers, {args.learners} notebooks)")
    print(f"warm: median {warm:.2f} s, worst {max(f for f, _ in results['warm']):.2f} s to the first graded "
          f"notebook; CPU median {statistics.median(c for _, c in results['warm']):.2f} s")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
