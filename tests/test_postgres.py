"""PostgreSQL as the gradebook (docs/gradebook-postgres.md): every `course` command works
against a real PostgreSQL server (tests/support/postgres.py) and gives the same scores as
SQLite; a bad URL, a server that is down, a wrong password or a missing database is one
readable line and exit 2; two `course grade` runs at once leave a consistent gradebook."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT
from sqlalchemy import create_engine, text

from course.coursedir import assignments, tool_env
from course.config import gradebook_url, load
from course.trainer.demo import enrol
from support.sample_course import make_course

# A database server and whole modules graded: slow. One xdist group, so the SQLite reference is graded once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("postgres")]

NAMES = assignments(ROOT)[:2]
LEARNERS = 8  # the synthetic cohort's special cases (empty, late, corrupt, hostile) and four ordinary learners
RUN_TIMEOUT = 600  # seconds: only ends a command that would never finish


def course(folder: Path, *args: str, check: bool = True, **env_vars: str) -> subprocess.CompletedProcess:
    """`course ARGS` run in the course folder, as a trainer runs it."""
    env = dict(os.environ, COURSE_DIR=str(folder), PYTHONPATH=str(ROOT), **env_vars)
    proc = subprocess.run([sys.executable, "-m", "course", *args], env=env, cwd=folder, capture_output=True,
                          text=True, timeout=RUN_TIMEOUT)
    # `course grade` exits 1 when a submission could not be graded: the cohort's corrupt notebook.
    if check and proc.returncode not in ((0, 1) if args[0] == "grade" else (0,)):
        raise AssertionError(f"course {' '.join(args)} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n"
                             f"{proc.stderr[-5000:]}")
    return proc


def _said(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout + proc.stderr


def cohort_course(folder: Path, db_url: str | None, enrolled: bool = True) -> Path:
    """The same synthetic cohort (seeded) handed in for NAMES, with the gradebook `db_url`
    (default: the folder's own SQLite file); `enrolled`: the learners' names in it."""
    extra = f"c.CourseDirectory.db_url = {db_url!r}\n" if db_url else ""
    learners = make_course(ROOT, folder, LEARNERS, extra_config=extra, names=NAMES)
    if enrolled:
        os.environ["PATH"] = tool_env()["PATH"]  # a new SQLite gradebook runs this venv's `alembic`
        enrol(load(folder), learners)
    return folder


def scores(export: dict) -> dict:
    """learner -> module -> status, points per exercise, passed: the export without names."""
    return {ln["id"]: ln["modules"] for ln in export["learners"]}


def exports(folder: Path) -> tuple[str, dict]:
    return (course(folder, "export").stdout,
            json.loads(course(folder, "export", "--format", "json").stdout))


@pytest.fixture(scope="module")
def sqlite_graded(tmp_path_factory) -> dict:
    """The reference: the cohort graded into SQLite."""
    folder = cohort_course(tmp_path_factory.mktemp("pg-reference") / "course", None)
    course(folder, "grade", *NAMES)
    csv, data = exports(folder)
    return {"folder": folder, "csv": csv, "json": data}


@pytest.fixture(scope="module")
def postgres_graded(postgres_server, tmp_path_factory) -> dict:
    """The same cohort released, graded, and read back by every command, on PostgreSQL."""
    url = postgres_server.url("every_command")
    folder = cohort_course(tmp_path_factory.mktemp("pg-every-command") / "course", url)
    done = {"folder": folder, "url": url, "password": postgres_server.password}
    done["release"] = course(folder, "release", *NAMES)
    done["grade"] = course(folder, "grade", *NAMES)
    done["regrade"] = course(folder, "grade", *NAMES)
    done["feedback"] = course(folder, "feedback")
    done["csv"], done["json"] = exports(folder)
    done["report"] = course(folder, "report")
    done["certificates"] = course(folder, "certificates")
    done["gradebook"] = course(folder, "gradebook")
    done["backup"] = course(folder, "gradebook", "--backup")
    done["restore"] = course(folder, "gradebook", "--restore", check=False)
    done["config"] = course(folder, "config")
    return done


def test_every_command_gives_sqlites_scores_on_postgres(postgres_graded, sqlite_graded):
    assert postgres_graded["json"] == sqlite_graded["json"]
    assert postgres_graded["csv"] == sqlite_graded["csv"]
    graded = [ln for ln in postgres_graded["json"]["learners"]
              if any(m["status"] == "graded" for m in ln["modules"].values())]
    assert len(graded) >= LEARNERS - 1, "the cohort was graded, not just listed"
    # The second run read the first one's grades and log back: nothing to grade again.
    skipped = re.search(r"skipped \(unchanged since last grading\)\s*│\s*(\d+)", _said(postgres_graded["regrade"]))
    assert skipped and int(skipped.group(1)) == LEARNERS * len(NAMES), _said(postgres_graded["regrade"])


def test_reports_feedback_and_certificates_match_sqlite(postgres_graded, sqlite_graded):
    pg, ref = postgres_graded["folder"], sqlite_graded["folder"]
    for args in (("feedback",), ("certificates",), ("report",)):
        course(ref, *args)

    def pages(folder: Path, pattern: str) -> list[str]:
        return sorted(str(p.relative_to(folder)) for p in folder.glob(pattern))

    assert pages(pg, "feedback/*/*/index.html") == pages(ref, "feedback/*/*/index.html") != []
    assert pages(pg, "build/certificates/*.html") == pages(ref, "build/certificates/*.html") != []
    assert (pg / "build" / "report" / "index.html").is_file()
    pg_report = json.loads((pg / "build" / "report" / "report.json").read_text(encoding="utf-8"))
    ref_report = json.loads((ref / "build" / "report" / "report.json").read_text(encoding="utf-8"))
    assert _without_paths(pg_report, pg) == _without_paths(ref_report, ref)


def _without_paths(data, folder: Path):
    return json.loads(json.dumps(data).replace(str(folder), "COURSE"))


def test_gradebook_command_on_a_server_checks_and_says_there_is_no_file_backup(postgres_graded):
    password = postgres_graded["password"]
    out = postgres_graded["gradebook"].stdout
    assert "can be read" in out and "no file backups" in out and "pg_dump" in out
    assert "Gradebook not backed up" in postgres_graded["backup"].stdout
    assert "Gradebook not backed up" in _said(postgres_graded["grade"])
    restore = postgres_graded["restore"]
    assert restore.returncode == 2 and "restore it with the server's own tools" in restore.stderr
    assert "Traceback" not in restore.stderr
    for name in ("gradebook", "backup", "grade", "restore", "config", "release", "report", "certificates"):
        proc = postgres_graded[name]
        assert password not in proc.stdout + proc.stderr, f"course {name} printed the database password"
    assert "postgresql+psycopg://course:***@" in postgres_graded["config"].stdout


def test_a_plain_postgresql_url_uses_psycopg_3(postgres_graded, tmp_path):
    """`postgresql://` (no driver named) is SQLAlchemy 2.1's psycopg 3: the URL the
    nbgrader_config.py comment shows works as written."""
    plain = postgres_graded["url"].replace("postgresql+psycopg://", "postgresql://")
    assert plain.startswith("postgresql://course:")
    folder = tmp_path / "course"
    shutil.copytree(postgres_graded["folder"], folder, ignore=shutil.ignore_patterns("build", "feedback"))
    config = folder / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace(postgres_graded["url"], plain), encoding="utf-8")
    assert load(folder).db_url == plain
    assert exports(folder) == (postgres_graded["csv"], postgres_graded["json"])


def test_the_password_can_stay_out_of_nbgrader_config(postgres_graded, tmp_path):
    """libpq's PGPASSWORD (or ~/.pgpass) gives the password, as docs/gradebook-postgres.md says."""
    password = postgres_graded["password"]
    no_password = postgres_graded["url"].replace(f":{password}@", "@")
    folder = tmp_path / "course"
    shutil.copytree(postgres_graded["folder"], folder, ignore=shutil.ignore_patterns("build", "feedback"))
    config = folder / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace(postgres_graded["url"], no_password),
                      encoding="utf-8")
    assert password not in config.read_text(encoding="utf-8")
    refused = course(folder, "export", check=False, PGPASSWORD="")
    assert refused.returncode == 2 and "password" in refused.stderr, refused.stderr
    assert course(folder, "export", PGPASSWORD=password).stdout == postgres_graded["csv"]


# --- what a trainer sees when the gradebook cannot be reached ---------------------------------

def _bad_urls(server) -> dict[str, tuple[str, str]]:
    """case -> (db_url, what the message must say)."""
    closed_port = _closed_port()
    return {
        "not a URL": ("gradebook on the server", "is not a database URL"),
        "driver not installed": (server.address("every_command", driver="postgresql+psycopg2"),
                                 "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE"),
        "server down": (server.address("every_command").replace(f":{server.port}/", f":{closed_port}/"),
                        "Connection refused"),
        "wrong password": (server.address("every_command", password="not-the-password-42"),
                           "password authentication failed"),
        "missing database": (server.address("no_such_gradebook"), 'database "no_such_gradebook" does not exist'),
    }


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed when this returns: nothing listens there


@pytest.mark.parametrize("case", ["not a URL", "driver not installed", "server down", "wrong password",
                                  "missing database"])
def test_an_unreachable_gradebook_is_one_clear_line(case, postgres_server, tmp_path):
    url, expected = _bad_urls(postgres_server)[case]
    folder = tmp_path / "course"
    make_course(ROOT, folder, 1, extra_config=f"c.CourseDirectory.db_url = {url!r}\n", names=NAMES[:1])
    for args in (("gradebook",), ("export",), ("grade", NAMES[0])):
        proc = course(folder, *args, check=False)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert len(lines) == 1 and lines[0].startswith(f"course {args[0]}: "), proc.stderr
        assert expected in lines[0], lines[0]
        assert "not-the-password-42" not in proc.stderr and postgres_server.password not in proc.stderr
    assert not (folder / "gradebook.db").exists(), "no SQLite gradebook made instead"


# --- two trainers at once -------------------------------------------------------------------

def _rows(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as con:
            def one(sql: str) -> int:
                return con.execute(text(sql)).scalar_one()

            return {
                "students": one("SELECT count(*) FROM student"),
                "distinct students": one("SELECT count(DISTINCT id) FROM student"),
                "submissions": one("SELECT count(*) FROM submitted_assignment"),
                "distinct submissions": one("SELECT count(*) FROM (SELECT DISTINCT assignment_id, student_id FROM submitted_assignment) AS s"),
                "notebooks": one("SELECT count(*) FROM submitted_notebook"),
                "grades": one("SELECT count(*) FROM grade"),
                "distinct grades": one("SELECT count(*) FROM (SELECT DISTINCT notebook_id, cell_id FROM grade) AS g"),
                "graded cells": one("SELECT count(*) FROM grade_cells"),
                "assignments": one("SELECT count(*) FROM assignment"),
                "courses": one("SELECT count(*) FROM course"),
            }
    finally:
        engine.dispose()


def _at_once(*runs: tuple[Path, tuple[str, ...]]) -> list[subprocess.CompletedProcess]:
    with ThreadPoolExecutor(len(runs)) as pool:
        return list(pool.map(lambda run: course(run[0], *run[1]), runs))


def _grading_log_problems(folder: Path) -> list[str]:
    return [line for log in (folder / "autograded").glob("*.grading-log.jsonl")
            for line in log.read_text(encoding="utf-8").splitlines() if "internal_error" in line]


def test_adding_a_module_inserts_no_row_another_run_could_insert_too(postgres_server, tmp_path):
    """Two runs adding different modules each run nbgrader's generate_assignment under their
    own module's lock: it must find every shared row (the courses) already there, made under
    the schema lock when the gradebook was opened; else both insert it and one fails on a
    unique constraint (seen in CI: "duplicate key value violates unique constraint course_pkey")."""
    from course.grading.command import ensure_assignment
    from course.grading.record import GradebookWriter

    url = postgres_server.url("shared_rows")
    folder = cohort_course(tmp_path / "course", url, enrolled=False)
    os.environ["PATH"] = tool_env()["PATH"]
    writer = GradebookWriter(load(folder))
    try:
        before = _rows(url)["courses"]
        ensure_assignment(writer.settings, NAMES[0], writer)
        assert writer.gb.find_assignment(NAMES[0]).notebooks, "the module was not added: nothing tested"
        assert _rows(url)["courses"] == before
    finally:
        writer.close()


@pytest.mark.parametrize("split", ["same modules", "one module each"])
def test_two_grade_runs_at_once_leave_one_consistent_gradebook(split, postgres_server, sqlite_graded, tmp_path):
    """Two trainers grade into one new PostgreSQL gradebook at the same moment, both
    starting on an empty database (the tables, the course, the modules and every learner
    are created by whichever comes first): the same modules, each in a folder of their own
    holding the same submissions; or one module each, in the shared course folder."""
    url = postgres_server.url("two_trainers_" + split.replace(" ", "_"))
    first = cohort_course(tmp_path / "first", url, enrolled=False)
    if split == "same modules":
        second, jobs = shutil.copytree(first, tmp_path / "second"), (NAMES, NAMES)
    else:
        second, jobs = first, (NAMES[:1], NAMES[1:])
    results = _at_once((first, ("grade", *jobs[0])), (second, ("grade", *jobs[1])))
    for proc in results:
        assert "IntegrityError" not in proc.stderr and "internal" not in proc.stderr, proc.stderr[-3000:]
    assert _grading_log_problems(first) == _grading_log_problems(second) == []
    rows = _rows(url)
    assert rows["students"] == rows["distinct students"] == LEARNERS
    assert rows["submissions"] == rows["distinct submissions"] == LEARNERS * len(NAMES)
    assert rows["notebooks"] == LEARNERS * len(NAMES)
    assert rows["grades"] == rows["distinct grades"] == LEARNERS * rows["graded cells"]
    assert rows == _rows(gradebook_url(sqlite_graded["folder"]))  # as many rows of each kind as one run
    assert scores(exports(first)[1]) == scores(sqlite_graded["json"])
