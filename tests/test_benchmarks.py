"""Every script of benchmarks/ still runs end to end, in the smallest mode its options allow:
it exits 0 and prints its figures (and "scores: identical" where it compares scores). A
benchmark that a change elsewhere broke used to go unseen until someone needed its figures.

What they measure and their default sizes are theirs; only the sizes given here are small.
Each runs with TMPDIR set to an empty folder of the test, which must be empty again once
it has ended: a benchmark leaves nothing behind either."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ASSIGNMENTS, ROOT, missing_tool

BENCHMARKS = ROOT / "benchmarks"
NUMBER = r"[0-9]+(?:\.[0-9]+)?"
WAIT = 600.0


def run_benchmark(script: str, *args: str) -> str:
    """The benchmark's output; it must end with status 0 and leave its TMPDIR empty."""
    tmp = Path(tempfile.mkdtemp(prefix="cb-"))  # short: benchmarks put grading services' sockets there
    tmp.chmod(0o711)  # the PostgreSQL benchmark's server runs as `postgres` in a folder of it
    try:
        env = dict(os.environ, TMPDIR=str(tmp), PYTHONPATH=str(ROOT))
        proc = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=WAIT)
        assert proc.returncode == 0, f"{script} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
        left = sorted(p.name for p in tmp.iterdir())
        assert left == [], f"{script} left {left} in its temporary folder"
        return proc.stdout
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def figures(output: str, *patterns: str) -> None:
    """Each pattern (a regular expression, NUMBER for a figure) matches a line of the output."""
    for pattern in patterns:
        assert re.search(pattern, output, re.MULTILINE), f"no line matching {pattern!r} in:\n{output[-3000:]}"


def test_every_benchmark_has_a_test():
    tested = set(re.findall(r'"(bench_\w+\.py)"', Path(__file__).read_text(encoding="utf-8")))
    assert {p.name for p in BENCHMARKS.glob("bench_*.py")} <= tested


@pytest.mark.slow
def test_bench_grading():
    # The English edition only: a module's number would grade the French one too.
    out = run_benchmark("bench_grading.py", "--learners", "2", "--assignments", ASSIGNMENTS[0])
    figures(out, rf"^nbgrader autograde: {NUMBER} s", rf"^course grade: +{NUMBER} s",
            r"^scores: identical per cell", rf"^speed-up: {NUMBER}x \(nbgrader {NUMBER} s, course grade {NUMBER} s, 2 notebooks\)$")


@pytest.mark.slow
def test_bench_grading_per_module():
    out = run_benchmark("bench_grading_per_module.py", "--learners", "2", "--assignments", "00")
    # 00 means both editions of module 00: the first command starts the service, the second finds it warm.
    figures(out, rf"^00-\S+ +{NUMBER}s +{NUMBER}s +{NUMBER}x +{NUMBER} s  cold$",
            rf"^00-\S+ +{NUMBER}s +{NUMBER}s +{NUMBER}x +{NUMBER} s  warm$",
            r"^scores: identical per cell", rf"^first graded notebook, cold \(no service running\): {NUMBER} s$",
            rf"^first graded notebook, warm \(service up\): median {NUMBER} s",
            rf"^ratio: {NUMBER}x \(nbgrader autograde {NUMBER} s, course grade {NUMBER} s, 2 module\(s\) x 2 learners\)$")


@pytest.mark.slow
def test_bench_first_notebook():
    out = run_benchmark("bench_first_notebook.py", "--assignment", "00", "--learners", "1", "--repeat", "1")
    figures(out, rf"^cold 1: first graded notebook {NUMBER} s, CPU {NUMBER} s$",
            rf"^warm 1: first graded notebook {NUMBER} s, CPU {NUMBER} s$",
            rf"^cold: median {NUMBER} s, worst {NUMBER} s", rf"^warm: median {NUMBER} s, worst {NUMBER} s")


@pytest.mark.slow
def test_bench_gradebook_backup():
    out = run_benchmark("bench_gradebook_backup.py", "--learners", "6", "--modules", "00", "--runs", "2")
    figures(out, r"gradebook\.db: .* rows: \{'student': 6,", rf"^check_readable: +median {NUMBER} ms",
            rf"^backup \(new copy\): +median {NUMBER} ms", rf"^backup \(unchanged, no copy\): +median {NUMBER} ms",
            rf"^before the first write, course grade spends {NUMBER} ms")


@pytest.mark.slow
def test_bench_gradebook_postgres():
    from support.postgres import APT_HINT, bin_dir

    if bin_dir() is None:  # the benchmark starts its own throwaway server (tests/support/postgres.py)
        missing_tool(f"PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb): {APT_HINT}.")
    out = run_benchmark("bench_gradebook_postgres.py", "--learners", "2", "--runs", "1")
    figures(out, rf"^ +sqlite: course grade \S+, 2 submissions into a new gradebook: median {NUMBER} s",
            rf"^postgresql: course grade \S+, 2 submissions into a new gradebook: median {NUMBER} s",
            rf"^two trainers at once, .* into one PostgreSQL gradebook: {NUMBER} s wall")


@pytest.mark.slow
def test_bench_simulator_redraw():
    out = run_benchmark("bench_simulator_redraw.py", "--changes", "5")
    figures(out, rf"^simulator built in {NUMBER} ms$", rf"^median {NUMBER} ms$", rf"^p95 {NUMBER} ms$")


def test_bench_hub_trial_help():
    """Only its --help: a trial creates local accounts (root), starts a JupyterHub, a server
    and two kernels per learner and runs module 2 to the end; even with one learner that is
    minutes, and tests/test_hub.py runs the same hub (tests/support/hub.py) end to end.
    --help still imports everything the benchmark imports."""
    out = run_benchmark("bench_hub_trial.py", "--help")
    figures(out, r"^usage: bench_hub_trial\.py", r"--learners")
