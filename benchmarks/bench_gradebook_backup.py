"""What the gradebook's check and backup cost `course grade` before its first write.

Builds a graded course with `course demo` (25 learners, every module) in a temporary
folder, or uses --gradebook, then times, on fresh copies of that gradebook,
`check_readable` (PRAGMA quick_check and nbgrader's tables), a first `backup` (SQLite's
online backup into gradebook-backups/) and a second one (unchanged: compared, not kept).

    .venv/bin/python benchmarks/bench_gradebook_backup.py
    .venv/bin/python benchmarks/bench_gradebook_backup.py --gradebook demo/gradebook.db
    .venv/bin/python benchmarks/bench_gradebook_backup.py --learners 6 --modules 00 --runs 2
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course.gradebook_safety import backup, check_readable  # noqa: E402

RUNS = 20


def demo_gradebook(folder: Path, learners: int, modules: list[str] | None = None) -> Path:
    subprocess.run([sys.executable, "-m", "course", "demo", "--dir", str(folder / "demo"),
                    "--learners", str(learners), *(["--modules", *modules] if modules else [])],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return folder / "demo" / "gradebook.db"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gradebook", type=Path, help="a graded gradebook.db (default: build a demo)")
    parser.add_argument("--learners", type=int, default=25, help="demo cohort size (default: 25)")
    parser.add_argument("--modules", nargs="+", metavar="NN", help="the demo's modules (default: every module)")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed runs of each step (default: {RUNS})")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-gradebook-") as tmp:
        src = args.gradebook or demo_gradebook(Path(tmp), args.learners, args.modules)
        con = sqlite3.connect(src)
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("student", "assignment", "submitted_notebook", "grade")}
        con.close()
        print(f"{src}: {src.stat().st_size / 1e6:.2f} MB, rows: {counts}")
        checks, fresh, unchanged = [], [], []
        for i in range(args.runs):
            db = Path(tmp) / f"run{i}" / "gradebook.db"
            db.parent.mkdir()
            shutil.copy(src, db)
            url = f"sqlite:///{db}"
            t = time.perf_counter()
            check_readable(url)
            checks.append(time.perf_counter() - t)
            t = time.perf_counter()
            backup(url)
            fresh.append(time.perf_counter() - t)
            t = time.perf_counter()
            backup(url)
            unchanged.append(time.perf_counter() - t)

    def ms(xs):
        return f"median {1000 * statistics.median(xs):.1f} ms (min {1000 * min(xs):.1f}, max {1000 * max(xs):.1f})"

    print(f"check_readable:              {ms(checks)}")
    print(f"backup (new copy):           {ms(fresh)}")
    print(f"backup (unchanged, no copy): {ms(unchanged)}")
    total = statistics.median(checks) + statistics.median(fresh)
    print(f"before the first write, course grade spends {1000 * total:.1f} ms on the gradebook's safety")


if __name__ == "__main__":
    main()
