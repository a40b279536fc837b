"""The gradebook is the trainer's work: `course grade` backs it up before writing (SQLite's
online backup, the newest few kept) and keeps the manual grades; a damaged gradebook gives
every command that reads it one clear message naming the backup, exit 2, no traceback."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import ROOT
from nbgrader.api import Gradebook

from course import gradebook_safety
from course.cli import main
from course.gradebook_safety import BACKUP_DIR, as_course_error, backup, backups
from course.grading.command import grade
from support.sample_course import db_url_of, make_course

NAME = "01-one-network-one-audience"  # it has a manually graded reflection
REFLECTION = "reflection_my_networks"
# Every command that reads the gradebook (`course demo` builds a new one in a folder of its own).
READERS = (("grade", NAME), ("export",), ("report",), ("feedback",), ("certificates",), ("gradebook",))


def _cli(course: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, COURSE_DIR=str(course))
    return subprocess.Popen([sys.executable, "-m", "course", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[Path, list]:
    """One module graded for five learners (one of them a corrupt notebook)."""
    folder = tmp_path_factory.mktemp("gradebook-safety") / "course"
    learners = make_course(ROOT, folder, 5, names=[NAME])
    grade(folder, NAME, workers=1, progress=False)
    assert not (folder / BACKUP_DIR).exists(), "no backup on the first run: there was no gradebook"
    return folder, learners


def _copy(graded, dest: Path) -> Path:
    return shutil.copytree(graded[0], dest)


@pytest.fixture(scope="module")
def regraded(graded, tmp_path_factory):
    """A trainer's manual grade and comment, a stale auto score, then `course grade --force`."""
    course = _copy(graded, tmp_path_factory.mktemp("regraded") / "course")
    student = graded[1][0].id
    with Gradebook(db_url_of(course)) as gb:
        gb.find_grade(REFLECTION, NAME, NAME, student).manual_score = 2.5
        gb.find_comment(REFLECTION, NAME, NAME, student).manual_comment = "Clear and personal."
        stale = next(g for g in gb.find_submission_notebook(NAME, NAME, student).grades if g.name != REFLECTION)
        stale.auto_score, stale_name = 99.0, stale.name
        gb.db.commit()
    before = _rows(course / "gradebook.db")
    proc = _cli(course, "grade", NAME, "--force")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode in (0, 1), err[-3000:]  # 1: the corrupt notebook is reported as failed
    return {"course": course, "student": student, "stale": stale_name, "before": before, "out": out}


def test_grade_backs_the_gradebook_up_before_writing(regraded):
    course = regraded["course"]
    made = backups(course / "gradebook.db")
    assert len(made) == 1, list((course / BACKUP_DIR).iterdir())
    assert f"Gradebook backed up to {made[0]}" in regraded["out"]
    # A consistent SQLite copy of the gradebook as it was before the run: the stale score is
    # in it, and grading then wrote the right one to the gradebook.
    assert _rows(made[0]) == regraded["before"]
    with Gradebook(f"sqlite:///{made[0]}") as gb:
        assert gb.find_grade(regraded["stale"], NAME, NAME, regraded["student"]).auto_score == 99.0
    with Gradebook(db_url_of(course)) as gb:
        assert gb.find_grade(regraded["stale"], NAME, NAME, regraded["student"]).auto_score != 99.0


def test_manual_grades_survive_grading(regraded):
    with Gradebook(db_url_of(regraded["course"])) as gb:
        assert gb.find_grade(REFLECTION, NAME, NAME, regraded["student"]).manual_score == 2.5
        assert gb.find_comment(REFLECTION, NAME, NAME, regraded["student"]).manual_comment == "Clear and personal."


def _tiny_db(path: Path) -> str:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE student (id TEXT)")
    con.commit()
    con.close()
    return f"sqlite:///{path}"


def _add(db: str, value: str) -> None:
    con = sqlite3.connect(db.removeprefix("sqlite:///"))
    con.execute("INSERT INTO student VALUES (?)", (value,))
    con.commit()
    con.close()


def test_only_the_newest_backups_are_kept(tmp_path):
    db = _tiny_db(tmp_path / "gradebook.db")
    made = []
    for i in range(5):  # three in the same second: names get -1, -2
        _add(db, f"learner{i}")
        made.append(backup(db, keep=3, now=datetime(2026, 1, 1, 12, 0, min(i, 2))))
    assert backups(tmp_path / "gradebook.db") == made[-3:]
    assert [p.name for p in made[-3:]] == ["gradebook-20260101-120002.db", "gradebook-20260101-120002-1.db",
                                           "gradebook-20260101-120002-2.db"]
    assert sorted(p.name for p in (tmp_path / BACKUP_DIR).iterdir()) == sorted(p.name for p in made[-3:])
    assert _rows(made[-1])["student"] == [(f"learner{i}",) for i in range(5)]
    # Nothing changed since the newest backup: no new copy pushes an older one out.
    lines = []
    assert backup(db, keep=3, say=lines.append) == made[-1]
    assert backups(tmp_path / "gradebook.db") == made[-3:] and "unchanged" in lines[0]


def test_backup_is_consistent_while_another_connection_writes(tmp_path):
    db = _tiny_db(tmp_path / "gradebook.db")
    _add(db, "committed")
    writer = sqlite3.connect(tmp_path / "gradebook.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO student VALUES ('not yet committed')")
    try:
        copy = backup(db)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _rows(copy)["student"] == [("committed",)]


def test_no_backup_on_a_first_run_nor_of_a_database_server(tmp_path):
    lines = []
    assert backup(f"sqlite:///{tmp_path / 'gradebook.db'}", say=lines.append) is None
    assert not (tmp_path / BACKUP_DIR).exists() and "does not exist yet" in lines[0]
    # No server runs here: trying to reach it would raise.
    assert backup("postgresql://grader:s3cret@db.invalid/course", say=lines.append) is None
    assert "database server" in lines[1] and "s3cret" not in lines[1]


def _damage(db: Path, how: str) -> None:
    size = db.stat().st_size
    if how == "garbage":
        db.write_bytes(b"not a gradebook " * (size // 16))
    else:
        with open(db, "r+b") as f:
            f.truncate(size // 2 if how == "truncated" else 0)


@pytest.mark.parametrize("how", ["garbage", "truncated", "empty"])
def test_every_command_names_the_backup_when_the_gradebook_is_damaged(graded, tmp_path, how):
    course = _copy(graded, tmp_path / "course")
    db = course / "gradebook.db"
    saved = backup(f"sqlite:///{db}")
    _damage(db, how)
    damaged = db.read_bytes()
    commands = READERS if how != "empty" else READERS[:2]  # empty: the file nbgrader would refill
    running = {" ".join(cmd): _cli(course, *cmd) for cmd in commands}
    wrong = []
    for cmd, proc in running.items():
        out, err = proc.communicate(timeout=300)
        if proc.returncode != 2 or "Traceback" in err or "damaged" not in err or str(saved) not in err:
            wrong.append(f"course {cmd}: exit {proc.returncode}\n{err[-1500:]}")
    assert not wrong, "\n\n".join(wrong)
    assert db.read_bytes() == damaged, "a command wrote into the damaged gradebook"
    assert backups(db) == [saved], "the damaged gradebook was backed up"


def test_without_a_backup_the_message_says_what_else_to_do(graded, tmp_path):
    course = _copy(graded, tmp_path / "course")
    _damage(course / "gradebook.db", "garbage")
    proc = _cli(course, "export")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 2 and "Traceback" not in err
    assert "no backup" in err and f"mv {course / 'gradebook.db'}" in err


def test_restore_puts_the_newest_backup_back(graded, tmp_path, monkeypatch, capsys):
    course = _copy(graded, tmp_path / "course")
    db = course / "gradebook.db"
    saved = backup(f"sqlite:///{db}")
    _damage(db, "garbage")
    damaged = db.read_bytes()
    monkeypatch.setenv("COURSE_DIR", str(course))
    assert main(["gradebook", "--restore"]) == 0
    assert _rows(db) == _rows(saved)
    aside = list((course / BACKUP_DIR).glob("replaced-gradebook-*.db"))
    assert [p.read_bytes() for p in aside] == [damaged], "the damaged file is kept"
    capsys.readouterr()
    assert main(["export"]) == 0
    assert graded[1][0].id in capsys.readouterr().out


def test_a_database_error_after_the_check_gets_the_same_message(graded, tmp_path, monkeypatch, capsys):
    """course/cli.py translates what a check cannot foresee (damage between the check and
    the read) into the same message; other errors keep their traceback."""
    course = _copy(graded, tmp_path / "course")
    saved = backup(f"sqlite:///{course / 'gradebook.db'}")
    _damage(course / "gradebook.db", "garbage")
    monkeypatch.setenv("COURSE_DIR", str(course))
    monkeypatch.setattr("course.trainer.results.check_readable", lambda url: True)
    monkeypatch.setattr(gradebook_safety, "_last_checked", None)
    assert main(["export"]) == 2
    err = capsys.readouterr().err
    assert "is damaged (file is not a database)" in err and str(saved) in err
    assert as_course_error(ValueError("a bug")) is None
    assert as_course_error(sqlite3.IntegrityError("UNIQUE constraint failed")) is None
