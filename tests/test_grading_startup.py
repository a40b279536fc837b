"""What makes a grading worker start fast: bytecode on disk and a copy of matplotlib's font
list, both written by the trusted `course grade` process, never by a worker."""

import os
from pathlib import Path

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
