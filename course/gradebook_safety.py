"""Keeping the trainer's gradebook safe: a consistent backup before `course grade` writes,
and one clear message (what is wrong, what to do) when the gradebook cannot be read.

The gradebook holds what no command can give back: the manual grades and comments a
trainer entered in formgrader. So `course grade` checks it and copies it before its first
write, with SQLite's online backup API (`sqlite3.Connection.backup`): the copy is
consistent even while formgrader or nbgrader writes. Backups go to
<gradebook folder>/gradebook-backups/gradebook-YYYYmmdd-HHMMSS[-n].db; the newest `keep`
are kept. A PostgreSQL (or other server) gradebook is left to the server's own backups.

Every command that reads the gradebook calls `check_readable` before nbgrader opens it
(nbgrader would turn an emptied file into a new, empty gradebook), and course/cli.py turns
a database error raised later into the same message through `as_course_error`.
`course gradebook` checks it, lists the backups, makes one, or restores one.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from .coursedir import CourseError, find_root

BACKUP_DIR = "gradebook-backups"
KEEP_DEFAULT = 5
BUSY_TIMEOUT = 10.0  # seconds to wait for a writer's lock (formgrader saving a grade)
# Tables every nbgrader gradebook has; a file without them is not (or no longer) a gradebook.
NBGRADER_TABLES = frozenset({"assignment", "notebook", "student", "submitted_assignment",
                             "submitted_notebook", "grade", "comment", "base_cell"})
# SQLite's own files next to a database: a hot journal is replayed into the file it names.
SIDE_FILES = ("-journal", "-wal", "-shm")

_last_checked: str | None = None  # the gradebook a database error most likely comes from


def sqlite_path(db_url: str) -> Path | None:
    """The file of a `sqlite:///` gradebook URL (absolute); None for any other database."""
    if not db_url.startswith("sqlite:///"):
        return None
    path = db_url.removeprefix("sqlite:///").split("?", 1)[0]
    return Path(path).resolve() if path and path != ":memory:" else None


def shown_url(db_url: str) -> str:
    """The URL without its password, to print."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:
        return re.sub(r"//([^:/@]*):[^@/]*@", r"//\1:***@", db_url)


def _connect(path: Path) -> sqlite3.Connection:
    # mode=rw: never create a missing file. Not read-only: a hot journal left by a killed
    # writer must be rolled back, as any SQLite reader does.
    return sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=BUSY_TIMEOUT)


# --- backups -------------------------------------------------------------------------

def _backup_pattern(stem: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(stem)}-(\d{{8}}-\d{{6}})(?:-(\d+))?\.db$")


def backups(db_path: Path) -> list[Path]:
    """The backups of the gradebook file `db_path`, oldest first."""
    folder, pattern = db_path.parent / BACKUP_DIR, _backup_pattern(db_path.stem)
    found = []
    for p in folder.glob(f"{db_path.stem}-*.db") if folder.is_dir() else ():
        m = pattern.match(p.name)
        if m:
            found.append(((m.group(1), int(m.group(2) or 0)), p))
    return [p for _, p in sorted(found)]


def _new_name(folder: Path, stem: str, now: datetime) -> Path:
    base = f"{stem}-{now:%Y%m%d-%H%M%S}"
    target, n = folder / f"{base}.db", 0
    while target.exists():
        n += 1
        target = folder / f"{base}-{n}.db"
    return target


def backup(db_url: str, keep: int = KEEP_DEFAULT, say: Callable[[str], object] | None = None,
           now: datetime | None = None) -> Path | None:
    """Copy a SQLite gradebook with SQLite's online backup (consistent even while another
    process writes) into <its folder>/gradebook-backups/, then delete all but the newest
    `keep` backups. Returns the backup, or None when none is made (no gradebook yet, or not
    a SQLite file); `say` gets one line saying where the backup is, or why there is none.
    A gradebook identical to its newest backup is not copied again, so that runs that
    change nothing do not push older backups out."""
    say = say or (lambda line: None)
    if keep < 1:
        raise ValueError("keep at least one backup")
    path = sqlite_path(db_url)
    if path is None:
        say(f"Gradebook not backed up: {shown_url(db_url)} is a database server; its own backups "
            "(for PostgreSQL, pg_dump or the provider's snapshots) protect it.")
        return None
    if not path.exists():
        say(f"Gradebook not backed up: {path} does not exist yet (first grading).")
        return None
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    target = _new_name(folder, path.stem, now or datetime.now())
    partial = folder / f".{target.name}.{os.getpid()}.partial"
    partial.unlink(missing_ok=True)
    try:
        src = _connect(path)
        try:
            dst = sqlite3.connect(partial)
            try:
                # No journal and no fsync per page: the copy is a new file, renamed into place
                # once complete and synced (three times faster on a busy disk).
                dst.execute("PRAGMA journal_mode = OFF")
                dst.execute("PRAGMA synchronous = OFF")
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        _fsync(partial)
        os.chmod(partial, path.stat().st_mode & 0o777)  # learners' data: no more readable than the original
        previous = backups(path)
        if previous and _same_bytes(previous[-1], partial):
            partial.unlink()
            say(f"Gradebook unchanged since its backup {previous[-1]}.")
            return previous[-1]
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise problem(db_url, exc) from None
    finally:
        partial.unlink(missing_ok=True)
    for old in backups(path)[:-keep]:
        old.unlink()
    say(f"Gradebook backed up to {target}")
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            chunk = fa.read(1 << 20)
            if chunk != fb.read(1 << 20):
                return False
            if not chunk:
                return True


# --- checks and messages -------------------------------------------------------------

def check_readable(db_url: str) -> bool:
    """Raise CourseError (what is wrong, what to do) unless the gradebook opens, passes
    SQLite's `PRAGMA quick_check` and has nbgrader's tables. False when a SQLite gradebook
    does not exist (opening it would create it: the caller decides whether that is right)."""
    global _last_checked
    _last_checked = db_url
    path = sqlite_path(db_url)
    if path is None:
        return _check_server(db_url)
    if not path.exists():
        return False
    try:
        _check_file(path)
    except sqlite3.Error as exc:
        raise problem(db_url, exc) from None
    return True


class _Damaged(sqlite3.DatabaseError):
    """A SQLite file that opens, but fails quick_check or lacks nbgrader's tables."""


def _check_file(path: Path) -> None:
    """Raise sqlite3.DatabaseError unless `path` is a sound SQLite file with nbgrader's tables."""
    con = _connect(path)
    try:
        findings = [row[0] for row in con.execute("PRAGMA quick_check")]
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()
    if findings != ["ok"]:
        raise _Damaged("; ".join(findings[:3]))
    missing = NBGRADER_TABLES - tables
    if missing:
        raise _Damaged("the file is empty: 0 bytes" if path.stat().st_size == 0 else
                       f"it has no {', '.join(sorted(missing))} table: not an nbgrader gradebook")


def _check_driver(db_url: str) -> dict:
    """Raise CourseError unless `db_url` is a database URL whose driver is installed; the
    engine's connect arguments. The course installs psycopg 3, SQLAlchemy 2.1's default
    PostgreSQL driver: `postgresql://` and `postgresql+psycopg://` both use it; a URL naming
    another driver (`postgresql+psycopg2://`, `postgres://`) gets a message saying what to write."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    write = ("For PostgreSQL write c.CourseDirectory.db_url = \"postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE\" "
             "in nbgrader_config.py (psycopg 3, installed with the course; see docs/gradebook-postgres.md).")
    try:
        url = make_url(db_url)
    except ArgumentError:
        raise CourseError(f"c.CourseDirectory.db_url = {shown_url(db_url)!r} is not a database URL. {write}") from None
    try:
        url.get_dialect().import_dbapi()
    except (NoSuchModuleError, ImportError) as exc:
        driver = url.drivername if "+" in url.drivername else f"{url.drivername} (SQLAlchemy's default driver for it)"
        raise CourseError(f"The gradebook {shown_url(db_url)} needs the database driver {driver}, which is not "
                          f"installed ({exc}). {write}") from None
    # A server that does not answer (a firewall dropping packets) must not hang the command.
    return {"connect_timeout": 15} if url.get_backend_name() == "postgresql" else {}


def _check_server(db_url: str) -> bool:
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    connect_args = _check_driver(db_url)
    try:
        engine = create_engine(db_url, connect_args=connect_args)
        try:
            with engine.connect() as con:
                con.execute(text("SELECT 1"))
            tables = set(inspect(engine).get_table_names())
        finally:
            engine.dispose()
    except SQLAlchemyError as exc:
        raise problem(db_url, exc) from None
    if tables and NBGRADER_TABLES - tables:
        raise CourseError(f"The gradebook database {shown_url(db_url)} has tables, but not nbgrader's "
                          f"({', '.join(sorted(NBGRADER_TABLES - tables))} missing): check "
                          "c.CourseDirectory.db_url in nbgrader_config.py.")
    return True


def damaged(db_url: str, reason: str) -> CourseError:
    path = sqlite_path(db_url)
    name = path or shown_url(db_url)
    return CourseError(f"The gradebook {name} is damaged ({reason}). {_what_to_do(db_url)}")


def problem(db_url: str, exc: BaseException) -> CourseError:
    """The message for a database error met while opening or reading the gradebook."""
    error = _driver_error(exc)
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    code = getattr(error, "sqlite_errorname", "") or ""
    path = sqlite_path(db_url)
    name = path or shown_url(db_url)
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in reason:
        return CourseError(f"The gradebook {name} is busy ({reason}): another program is writing to it "
                           "(formgrader, nbgrader, another `course grade`). Run this command again when it "
                           "is done.")
    if path is None:
        return CourseError(f"The gradebook database {name} cannot be read ({reason}). Check that the "
                           "database server is running and that c.CourseDirectory.db_url in "
                           "nbgrader_config.py is right; if its data is damaged, restore the server's backup.")
    if isinstance(error, _Damaged) or code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return damaged(db_url, reason)
    return CourseError(f"The gradebook {name} cannot be read ({reason}). If it is a matter of permissions or "
                       f"disk space, fix that (ls -l {shlex.quote(str(path.parent))}) and run this command "
                       f"again. If the file itself is damaged: {_what_to_do(db_url)}")


def _what_to_do(db_url: str) -> str:
    path = sqlite_path(db_url)
    if path is None:
        return "Restore the database server's latest backup."
    found = backups(path)
    if not found:
        return (f"There is no backup of it in {path.parent / BACKUP_DIR}/ (`course grade` makes one there "
                "before each run). Restore it from a backup of the course folder; or, to start a new "
                f"gradebook, move it aside (mv {shlex.quote(str(path))} {shlex.quote(str(path))}.damaged) "
                "and grade every module again with `course grade`; manual grades entered in formgrader "
                "would have to be entered again.")
    newest = found[-1]
    when = datetime.fromtimestamp(newest.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    by_hand = f"cp {shlex.quote(str(newest))} {shlex.quote(str(path))}"
    journal = [side for side in SIDE_FILES if Path(f"{path}{side}").exists()]
    if journal:
        by_hand = f"rm {' '.join(shlex.quote(f'{path}{s}') for s in journal)} && {by_hand}"
    return (f"Restore its newest backup ({newest.name}, {when}): `course gradebook --restore` (it keeps the "
            f"damaged file aside), or by hand: {by_hand}. Grades recorded since that backup must be graded "
            "(`course grade`) or entered again.")


def _driver_error(exc: BaseException) -> BaseException:
    """The database driver's own error inside a SQLAlchemy error."""
    return getattr(exc, "orig", None) or exc


def as_course_error(exc: BaseException) -> CourseError | None:
    """For course/cli.py: the gradebook message for a database error a command raised, or
    None when `exc` is not one (a bug, that keeps its traceback)."""
    for error in (exc, exc.__cause__, exc.__context__):
        if error is None:
            continue
        driver = _driver_error(error)
        if isinstance(driver, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)):
            return None
        if isinstance(driver, sqlite3.DatabaseError) or _is_sqlalchemy_dbapi_error(error):
            return problem(_last_checked or _course_db_url() or "sqlite:///gradebook.db", error)
    return None


def _is_sqlalchemy_dbapi_error(exc: BaseException) -> bool:
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.DBAPIError) and not isinstance(exc, sa_exc.IntegrityError)


def _course_db_url() -> str | None:
    try:
        return course_db_url()
    except Exception:
        return None


# --- restore -----------------------------------------------------------------------------

def restore(db_url: str, source: Path | None = None, now: datetime | None = None) -> tuple[Path, Path | None]:
    """Put `source` (default: the newest backup) in place of the gradebook; the file it
    replaces, with its journal if any, is kept in the backups folder as
    replaced-<name>-<time>.db. Returns (the backup restored, where the old file went)."""
    path = sqlite_path(db_url)
    if path is None:
        raise CourseError(f"The gradebook {shown_url(db_url)} is on a database server: restore it with the "
                          "server's own tools.")
    found = backups(path)
    if source is None:
        if not found:
            raise CourseError(f"No backup of {path} in {path.parent / BACKUP_DIR}/: nothing to restore.")
        source = found[-1]
    source = Path(source).resolve()
    if not source.is_file():
        raise CourseError(f"{source} does not exist. Backups: `course gradebook --list-backups`.")
    try:
        _check_file(source)  # never put a damaged copy in place
    except sqlite3.Error as exc:
        raise CourseError(f"The backup {source} cannot be used ({exc}); choose another: "
                          "`course gradebook --list-backups`.") from None
    aside = None
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    if path.exists():
        aside = _new_name(folder, f"replaced-{path.stem}", now or datetime.now())
        for side in SIDE_FILES:
            if Path(f"{path}{side}").exists():
                os.replace(f"{path}{side}", f"{aside}{side}")
        os.replace(path, aside)
    partial = path.parent / f".{path.name}.restoring"
    shutil.copy2(source, partial)
    os.replace(partial, path)
    return source, aside


def course_db_url() -> str:
    """The gradebook of the course this command runs in."""
    from .config import load

    return load(find_root()).db_url
