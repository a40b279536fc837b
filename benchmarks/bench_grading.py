"""Benchmark: `course grade` against plain `nbgrader autograde` on the same synthetic cohort.

Builds a cohort (course/trainer/synthetic.py: solved, partly solved, wrong, empty, late, corrupt and
hostile learners) for every assignment in source/, copies it twice, registers the
assignments in both gradebooks with nbgrader generate_assignment (not timed), then times
`nbgrader autograde` on one copy and `course grade` on the other, each as the command a
trainer would type. Checks the per-cell scores are equal, prints both times, and the
speed-up as the last line.

    .venv/bin/python benchmarks/bench_grading.py --learners 20
    .venv/bin/python benchmarks/bench_grading.py --learners 4 --assignments 00 01
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # tests/support: the throwaway courses the tests grade too

from course.trainer.synthetic import summary  # noqa: E402
from course.coursedir import generate_assignments, nbgrader_executable, resolve_assignments, tool_env  # noqa: E402
from support.sample_course import copy_course, db_url_of, make_course, scores  # noqa: E402


def timed(cmd: list[str], course: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=course, env=dict(tool_env(), COURSE_DIR=str(course)),
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):  # 1: a submission failed (the corrupt one), as expected
        sys.exit(f"{' '.join(cmd[:4])} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=20, help="learners in the cohort (default: 20)")
    parser.add_argument("--assignments", nargs="*", help="assignments (names or numbers; default: all)")
    parser.add_argument("--workers", type=int, default=2, help="course grade --workers (default: 2)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway course folders")
    args = parser.parse_args()
    names = resolve_assignments(ROOT, args.assignments)

    tmp = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    base = tmp / "cohort"
    learners = make_course(ROOT, base, args.learners, names=names)
    plain, ours = copy_course(base, tmp / "nbgrader"), copy_course(base, tmp / "course-grade")
    for course in (plain, ours):
        generate_assignments(names, course, course, db_url=db_url_of(course))
    notebooks = len(learners) * len(names)
    print(f"cohort: {len(learners)} learners x {len(names)} assignment(s) = {notebooks} notebooks "
          f"(learners by kind: {summary(learners)}), in {tmp}")
    print(f"assignments: {', '.join(names)}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other work slows both sides)")

    nbgrader_seconds = sum(
        timed([*nbgrader_executable(), "autograde", name, "--force", f"--CourseDirectory.root={plain}",
               f"--CourseDirectory.db_url={db_url_of(plain)}", "--log-level=ERROR"], plain)
        for name in names)
    print(f"nbgrader autograde: {nbgrader_seconds:.1f} s ({nbgrader_seconds / notebooks:.2f} s per notebook)")
    ours_seconds = timed([sys.executable, "-m", "course", "grade", *names, "--workers", str(args.workers), "--no-service",
                          "--quiet"], ours)
    print(f"course grade:       {ours_seconds:.1f} s ({ours_seconds / notebooks:.2f} s per notebook)")

    ids = [ln.id for ln in learners if ln.kind != "corrupt"]  # nbgrader leaves the corrupt one ungraded
    for name in names:
        expected, got = scores(plain, name, ids), scores(ours, name, ids)
        if got != expected:
            bad = {s: {g: (got[s].get(g), v) for g, v in cells.items() if got[s].get(g) != v}
                   for s, cells in expected.items() if got[s] != cells}
            sys.exit(f"scores differ on {name} (course grade, nbgrader): {bad}")
    print("scores: identical per cell for every learner and assignment")
    if not args.keep:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"speed-up: {nbgrader_seconds / ours_seconds:.1f}x (nbgrader {nbgrader_seconds:.1f} s, "
          f"course grade {ours_seconds:.1f} s, {notebooks} notebooks)")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
