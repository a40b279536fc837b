"""What makes a grading worker start fast: bytecode on disk and a copy of matplotlib's font
list, both written by the trusted `course grade` process, never by a worker; a warm-up in
two stages (matplotlib after the first job); the second worker booting after the first
one's first answer. What a grading process leaves unimported: tests/test_lean_imports.py."""

import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from course.grading import pool, worker


def test_font_cache_is_found_only_once_built(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert pool.font_cache() is None
    folder = tmp_path / "course-grade" / "matplotlib"
    folder.mkdir(parents=True)
    (folder / "fontlist-v9.9.9.json").write_text("{}", encoding="utf-8")
    assert pool.font_cache() == str(folder)


def test_worker_copies_the_font_list_before_matplotlib_loads(tmp_path, monkeypatch):
    cache, config = tmp_path / "cache", tmp_path / "mplconfig"
    cache.mkdir()
    (cache / "fontlist-v9.9.9.json").write_text('{"x": 1}', encoding="utf-8")
    (cache / "other.txt").write_text("not copied", encoding="utf-8")
    monkeypatch.setenv("COURSE_GRADE_FONT_CACHE", str(cache))
    monkeypatch.setenv("MPLCONFIGDIR", str(config))
    worker.copy_font_cache()
    assert sorted(os.listdir(config)) == ["fontlist-v9.9.9.json"]
    assert (config / "fontlist-v9.9.9.json").read_text(encoding="utf-8") == '{"x": 1}'
    # That file is not this matplotlib's: the worker says so, and course grade rebuilds it.
    assert worker.font_cache_used() is False


def test_course_package_bytecode_is_written():
    import importlib.util

    bytecode = Path(importlib.util.cache_from_source(worker.__file__))
    bytecode.unlink(missing_ok=True)  # harmless: Python compiles the source when it is missing
    pool.compile_course_package()
    assert bytecode.is_file()


# -- the worker's two warm-up stages ----------------------------------------------------------
STAGES = r'''
import json, sys
from course.grading import shell, warmup

def figure_outputs(sh):
    outputs, _ = shell.run_cell(sh, "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()", 1 << 20)
    return sorted(k for o in outputs if o["output_type"] == "display_data" for k in o["data"])

late = ("matplotlib.pyplot", "ipywidgets", "course.learner.simulator")
sh = shell.make_shell()
warmup.warm_early(sh, shell.run_cell)
report = {"early_loaded": [m for m in late if m in sys.modules], "pandas": "pandas" in sys.modules}
import os
pid = os.fork()  # a notebook graded before the late stage: its own process imports matplotlib
if pid == 0:
    with open(sys.argv[1], "w") as f:
        json.dump(figure_outputs(sh), f)
    os._exit(0)
os.waitpid(pid, 0)
warmup.warm_late(sh)
report["late_loaded"] = [m for m in late if m in sys.modules]
report["late_figure"] = figure_outputs(sh)
print(json.dumps(report), flush=True)
os._exit(0)  # as the worker ends: no exit handlers of the shell
'''


@pytest.mark.slow
def test_the_early_stage_leaves_matplotlib_to_the_late_one_with_the_same_figures(tmp_path):
    """Ready sooner: the early stage imports pandas but not matplotlib, ipywidgets or the
    simulator; a notebook forked before the late stage still gets its figure inline, as
    one forked after it does (matplotlib_inline sets the shell up when pyplot loads it)."""
    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mpl"), PYTHONPATH=str(Path(worker.__file__).parents[2]))
    env.pop("MPLBACKEND", None)
    early = tmp_path / "early.json"
    proc = subprocess.run([sys.executable, "-c", STAGES, str(early)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["pandas"] and report["early_loaded"] == []
    assert report["late_loaded"] == ["matplotlib.pyplot", "ipywidgets", "course.learner.simulator"]
    assert "image/png" in report["late_figure"]
    assert json.loads(early.read_text(encoding="utf-8")) == report["late_figure"]


class FakeWorker:
    """Stands for a WorkerProcess: records when it starts and answers at once."""

    def __init__(self, index, pool_, log, second_started):
        self.index, self.pool, self.log, self.second_started = index, pool_, log, second_started
        self.use_bwrap = True

    def start(self):
        self.log.append(("start", self.index, self.pool.others_may_start.is_set()))
        if self.index == 1:
            self.second_started.set()

    def run(self, job):
        if self.index == 0:
            # Were the second worker started at once (the old way), it would start meanwhile.
            self.second_started.wait(0.5)
        self.log.append(("answer", self.index))
        return {"id": job["id"]}

    def stop(self):
        pass


def test_the_second_worker_boots_once_the_first_result_is_recorded(monkeypatch):
    """On two cores, the second worker's boot would slow the first notebook and its record:
    it waits until the caller says the first result is recorded."""
    monkeypatch.setattr(pool, "SECOND_WORKER_WAIT", 300.0)
    monkeypatch.setattr(pool, "compile_course_package", lambda: None)
    local = pool.LocalPool(2, use_bwrap=True)
    log: list = []
    second_started = threading.Event()
    local.workers = [FakeWorker(0, local, log, second_started), FakeWorker(1, local, log, second_started)]
    local.start()
    try:
        local.submit("a", {"id": "a"})
        assert local.next_result() == ("a", {"id": "a"})
        assert [entry for entry in log if entry[:2] == ("start", 1)] == []  # answered, not yet recorded
        local.first_recorded()
        local.submit("b", {"id": "b"})
        local.submit("c", {"id": "c"})
        assert sorted(key for key, _ in (local.next_result(), local.next_result())) == ["b", "c"]
    finally:
        local.close()
    starts = [entry for entry in log if entry[0] == "start"]
    assert starts[0] == ("start", 0, False)
    assert starts[1] == ("start", 1, True)  # after the first record
    assert log.index(("answer", 0)) < log.index(starts[1])


def test_a_pool_closed_before_any_answer_does_not_wait_for_it(monkeypatch):
    monkeypatch.setattr(pool, "SECOND_WORKER_WAIT", 300.0)
    monkeypatch.setattr(pool, "compile_course_package", lambda: None)
    local = pool.LocalPool(2, use_bwrap=True)
    log: list = []
    second_started = threading.Event()
    local.workers = [FakeWorker(0, local, log, second_started), FakeWorker(1, local, log, second_started)]
    local.start()
    local.close()
    assert not any(t.is_alive() for t in local.threads)
    assert [entry for entry in log if entry[:2] == ("start", 1)] == []  # closed first: it never started


def _tiny_job(name: str) -> dict:
    return {"id": name, "timeout": 30, "max_output_bytes": 1 << 16,
            "limits": {"memory_mb": 1024, "processes": 64, "file_size_mb": 64}, "files": {},
            "notebooks": [{"name": name, "cells": [{"kind": "answer", "source": "x = 6 * 7\nx"}]}]}


@pytest.mark.slow
def test_the_late_stage_waits_until_the_worker_is_idle():
    """Jobs that keep coming are graded first; the late stage (matplotlib, ipywidgets) runs
    once no job has come for LATE_STAGE_AFTER_IDLE."""
    records: list = []
    local = pool.WorkerProcess(0, use_bwrap=False, log_level=logging.DEBUG, sink=records.extend)
    local.start()
    try:
        def answer() -> dict:
            line = local._readline(time.monotonic() + 120)
            assert line, "the worker stopped"
            local.relay_log()
            return json.loads(line)

        def late_done() -> bool:
            local.relay_log()
            return any("late warm-up" in r["msg"] for r in records)

        local.proc.stdin.write(json.dumps(_tiny_job("a")).encode() + b"\n")
        local.proc.stdin.flush()
        first = answer()
        # The next job comes at once, as from a busy pool: graded before any late stage.
        local.proc.stdin.write(json.dumps(_tiny_job("b")).encode() + b"\n")
        local.proc.stdin.flush()
        answer_of = answer()
        assert [first["id"], answer_of["id"]] == ["a", "b"]
        assert first["notebooks"][0]["outputs"]["0"][0]["data"]["text/plain"] == "42"
        assert not late_done(), "the late stage ran while jobs were coming"
        deadline = time.monotonic() + 120
        while not late_done():  # idle now: it runs
            assert time.monotonic() < deadline, "the late stage never ran"
            time.sleep(0.05)
    finally:
        local.stop()
