"""`course grade` into PostgreSQL against SQLite: the same synthetic cohort (25 learners by
default, one module) graded into a new gradebook of each kind, alternately, several times;
then two `course grade` runs at once (two trainers, one module each) into one PostgreSQL
gradebook. PostgreSQL is a throwaway server (tests/support/postgres.py: Debian's
postgresql package, as root it runs as the `postgres` user).

    .venv/bin/python benchmarks/bench_gradebook_postgres.py [--learners 25] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from course.coursedir import assignments  # noqa: E402
from support.postgres import bin_dir, running_server  # noqa: E402
from support.sample_course import make_course  # noqa: E402


def grade(folder: Path, *names: str) -> float:
    env = dict(os.environ, COURSE_DIR=str(folder), PYTHONPATH=str(ROOT), COURSE_GRADE_SERVICE="off")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "course", "grade", *names], env=env, cwd=folder,
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):  # 1: the cohort's corrupt notebook
        raise SystemExit(proc.stderr[-3000:])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=25)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    binaries = bin_dir()
    if binaries is None:
        raise SystemExit("PostgreSQL's server is not installed: apt-get install postgresql")
    names = assignments(ROOT)[:2]
    print(f"load before: {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="bench-pg-") as tmp, running_server(binaries) as server:
        base = Path(tmp) / "base"
        make_course(ROOT, base, args.learners, names=names)
        times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
        for run in range(args.runs):
            for kind in times:
                folder = shutil.copytree(base, Path(tmp) / f"{kind}-{run}")
                if kind == "postgresql":
                    url = server.url(f"bench_{run}")
                    with open(folder / "nbgrader_config.py", "a", encoding="utf-8") as f:
                        f.write(f"\nc.CourseDirectory.db_url = {url!r}\n")
                times[kind].append(grade(folder, names[0]))
        for kind, seconds in times.items():
            print(f"{kind:>10}: course grade {names[0]}, {args.learners} submissions into a new gradebook: "
                  f"median {statistics.median(seconds):.1f} s ({', '.join(f'{s:.1f}' for s in seconds)})")
        folder = shutil.copytree(base, Path(tmp) / "two-trainers")
        url = server.url("bench_two_trainers")
        with open(folder / "nbgrader_config.py", "a", encoding="utf-8") as f:
            f.write(f"\nc.CourseDirectory.db_url = {url!r}\n")
        started = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            alone = list(pool.map(lambda name: grade(folder, name), names))
        print(f"two trainers at once, {names[0]} and {names[1]} ({args.learners} submissions each) into one "
              f"PostgreSQL gradebook: {time.perf_counter() - started:.1f} s wall "
              f"({alone[0]:.1f} s and {alone[1]:.1f} s)")
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
