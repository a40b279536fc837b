"""What makes a grading worker start fast: bytecode on disk and a copy of matplotlib's font
list, both written by the trusted `course grade` process, never by a worker; a warm-up that
leaves matplotlib out; the second worker booting after the first record. What a grading
process leaves unimported: tests/test_lean_imports.py."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from course.grading import pool, worker


def test_font_cache_is_found_only_once_built_for_this_matplotlib(tmp_path, monkeypatch):
    from importlib.metadata import version

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert pool.font_cache() is None
    folder = tmp_path / "course-grade" / "matplotlib"
    folder.mkdir(parents=True)
    (folder / "fontlist-v9.9.9.json").write_text("{}", encoding="utf-8")
    assert pool.font_cache() is None  # still being built (no version written yet)
    (folder / "matplotlib-version").write_text("0.0.1", encoding="utf-8")
    assert pool.font_cache() is None  # another matplotlib's: rebuilt at the next start
    (folder / "matplotlib-version").write_text(version("matplotlib"), encoding="utf-8")
    assert pool.font_cache() == str(folder)


@pytest.mark.slow
def test_the_font_cache_is_built_for_this_matplotlib(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pool.build_font_cache()
    deadline = time.monotonic() + 120
    while pool.font_cache() is None:  # built in the background
        assert time.monotonic() < deadline, "the font list was never built"
        time.sleep(0.05)
    assert list((tmp_path / "course-grade" / "matplotlib").glob("fontlist-*.json"))


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


def test_course_package_bytecode_is_written():
    import importlib.util

    bytecode = Path(importlib.util.cache_from_source(worker.__file__))
    bytecode.unlink(missing_ok=True)  # harmless: Python compiles the source when it is missing
    pool.compile_course_package()
    assert bytecode.is_file()


# -- what the worker preloads ------------------------------------------------------------------
PRELOAD = r'''
import json, sys
from course.grading import shell, warmup

def figure_outputs(sh):
    outputs, _ = shell.run_cell(sh, "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()", 1 << 20)
    return sorted(k for o in outputs if o["output_type"] == "display_data" for k in o["data"])

sh = shell.make_shell()
warmup.warm_first(sh)
report = {"ready_with": ["pandas" in sys.modules, "course.learner.exif" in sys.modules]}
warmup.warm_rest(sh, shell.run_cell)
report.update({"preloaded": [m for m in warmup.NOT_PRELOADED if m in sys.modules], "pandas": "pandas" in sys.modules,
               "exif": "course.learner.exif" in sys.modules})
import os
pid = os.fork()  # a notebook whose code plots: its own process imports matplotlib
if pid == 0:
    with open(sys.argv[1], "w") as f:
        json.dump(figure_outputs(sh), f)
    os._exit(0)
os.waitpid(pid, 0)
sh.enable_matplotlib("inline")  # what a kernel's `%matplotlib inline` does, for comparison
report["kernel_figure"] = figure_outputs(sh)
print(json.dumps(report), flush=True)
os._exit(0)  # as the worker ends: no exit handlers of the shell
'''


@pytest.mark.slow
def test_the_worker_leaves_matplotlib_out_and_a_plot_still_shows_inline(tmp_path):
    """The worker preloads pandas and course.learner, not matplotlib, ipywidgets or the
    simulator (no notebook uses them while graded); a notebook whose code plots imports
    pyplot in its own process and gets the figure inline, as a kernel with `%matplotlib
    inline` shows it (matplotlib_inline sets the shell up when pyplot loads it)."""
    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mpl"), PYTHONPATH=str(Path(worker.__file__).parents[2]))
    env.pop("MPLBACKEND", None)
    forked = tmp_path / "forked.json"
    proc = subprocess.run([sys.executable, "-c", PRELOAD, str(forked)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["ready_with"] == [True, False]  # ready with pandas; course.learner after the first answer
    assert report["pandas"] and report["exif"] and report["preloaded"] == []
    assert "image/png" in report["kernel_figure"]
    assert json.loads(forked.read_text(encoding="utf-8")) == report["kernel_figure"]


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
