"""Benchmark: the trainer's way of working, one command per module, `course grade` against
`nbgrader autograde` on the same synthetic cohort.

Builds one cohort (25 learners by default, course/trainer/synthetic.py) for every assignment
in source/, copies it twice, registers the assignments in both gradebooks with nbgrader
generate_assignment (not timed), then for each module, side by side: one `nbgrader autograde
NN` command on one copy, one `course grade NN` command on the other, each as a trainer types
it. No grading service runs at the start: the first `course grade` starts it (cold), the
next ones find it warm. Prints per module both times and the time from the command to the
first graded notebook, checks the per-cell scores are identical, and prints the ratio last.

    .venv/bin/python benchmarks/bench_grading_per_module.py
    .venv/bin/python benchmarks/bench_grading_per_module.py --learners 10 --assignments 00 02
"""

from __future__ import annotations

import argparse
import os
import re
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

from course.trainer.synthetic import summary  # noqa: E402
from course.coursedir import (SOURCE_LANGUAGE, generate_assignments, language_of, nbgrader_executable,
                              resolve_assignments, tool_env)  # noqa: E402
from support.sample_course import copy_course, db_url_of, make_course, scores  # noqa: E402

FIRST = re.compile(r"first submission recorded at ([0-9.]+) \(epoch\)")


def run(cmd: list[str], course: Path, env: dict) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=course, env=dict(env, COURSE_DIR=str(course)), capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):  # 1: a submission failed (the corrupt one), as expected
        sys.exit(f"{' '.join(cmd[:4])} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed


def first_graded(course: Path, since: float) -> float | None:
    """Seconds from `since` (epoch) to the first submission recorded, from course grade's log."""
    log = course / "autograded" / "course-grade.log"
    if not log.exists():
        return None
    times = [float(t) for t in FIRST.findall(log.read_text(encoding="utf-8")) if float(t) >= since]
    return min(times) - since if times else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=25, help="learners in the cohort (default: 25)")
    parser.add_argument("--assignments", nargs="*", help="assignments (names or numbers; default: every module's English edition)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway course folders")
    args = parser.parse_args()
    # By default one edition a module, the English one (the French ones grade the same way).
    names = resolve_assignments(ROOT, args.assignments) if args.assignments else \
        [a for a in resolve_assignments(ROOT, None) if language_of(a) == SOURCE_LANGUAGE]

    tmp = Path(tempfile.mkdtemp(prefix="bench-per-module-"))
    sockets = Path(tempfile.mkdtemp(prefix="bench-svc-"))  # this run's own grading services (mode 0700)
    base = tmp / "cohort"
    learners = make_course(ROOT, base, args.learners, names=names)
    plain, ours = copy_course(base, tmp / "nbgrader"), copy_course(base, tmp / "course-grade")
    for course in (plain, ours):
        generate_assignments(names, course, course, db_url=db_url_of(course))
    env = dict(tool_env(), COURSE_GRADE_SERVICE="on", COURSE_GRADE_SERVICE_DIR=str(sockets))
    print(f"cohort: {len(learners)} learners x {len(names)} module(s), one command per module "
          f"(learners by kind: {summary(learners)}), in {tmp}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start "
          "(other work slows both sides)")
    print(f"{'module':<34}{'nbgrader':>10}{'course grade':>14}{'ratio':>7}{'first graded':>14}  service")
    ids = [ln.id for ln in learners if ln.kind != "corrupt"]  # nbgrader leaves the corrupt one ungraded
    total_nbgrader = total_ours = 0.0
    firsts: dict[str, list[float]] = {"cold": [], "warm": []}
    try:
        for k, name in enumerate(names):
            theirs = run([*nbgrader_executable(), "autograde", name, "--force", f"--CourseDirectory.root={plain}",
                          f"--CourseDirectory.db_url={db_url_of(plain)}", "--log-level=ERROR"], plain, env)
            since = time.time()
            mine = run([sys.executable, "-m", "course", "grade", name, "--quiet"], ours, env)
            first = first_graded(ours, since)
            state = "cold" if k == 0 else "warm"
            if first is not None:
                firsts[state].append(first)
            total_nbgrader += theirs
            total_ours += mine
            shown = f"{first:.2f} s" if first is not None else "-"
            print(f"{name:<34}{theirs:>9.1f}s{mine:>13.2f}s{theirs / mine:>6.1f}x{shown:>14}  {state}", flush=True)
            expected, got = scores(plain, name, ids), scores(ours, name, ids)
            if got != expected:
                bad = {s: {g: (got[s].get(g), v) for g, v in cells.items() if got[s].get(g) != v}
                       for s, cells in expected.items() if got[s] != cells}
                sys.exit(f"scores differ on {name} (course grade, nbgrader): {bad}")
    finally:
        subprocess.run([sys.executable, "-m", "course", "grade", "--stop-service"], cwd=ours,
                       env=dict(env, COURSE_DIR=str(ours)), capture_output=True)
        shutil.rmtree(sockets, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print("scores: identical per cell for every learner and module")
    if firsts["cold"]:
        print(f"first graded notebook, cold (no service running): {firsts['cold'][0]:.2f} s")
    if firsts["warm"]:
        print(f"first graded notebook, warm (service up): median {statistics.median(firsts['warm']):.2f} s, "
              f"worst {max(firsts['warm']):.2f} s")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"ratio: {total_nbgrader / total_ours:.1f}x (nbgrader autograde {total_nbgrader:.1f} s, "
          f"course grade {total_ours:.1f} s, {len(names)} module(s) x {len(learners)} learners)")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
