"""Several `course grade` runs at once on one PostgreSQL gradebook (two trainers): what
keeps them from colliding.

nbgrader creates a row the first time it needs it (the tables on a new database, the
course, a student, a submission, a module's cells) by looking it up, then inserting it.
Two runs that look at the same moment both insert; PostgreSQL makes the second one fail on
a unique constraint, and nbgrader gives up. So each of those steps takes a PostgreSQL
advisory lock first: the second run waits for the first to commit, then finds the row.

- the tables and the course rows: a lock held while nbgrader's Gradebook opens the database
  (the course's row, and the "default_course" row that nbgrader's generate_assignment would
  otherwise add later, outside any lock, whichever module it adds: `make_shared_rows`);
- a module's notebook and cells (`course grade` adding a module nbgrader has not seen): a
  lock per module, held from looking for it until nbgrader's generate_assignment is done;
- a learner's rows (student, submission, grades): a transaction-level lock per learner,
  taken first in the transaction that records the submission, released by its commit.

On SQLite these functions do nothing: a writer locks the whole file there, and the second
writer waits or gives up with "database is locked" instead (docs/gradebook-postgres.md).
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

# Distinguishes this project's advisory locks from any other application's on the same database.
_NAMESPACE = "course-gradebook"


def lock_key(*parts: str) -> int:
    """A signed 64-bit key for pg_advisory_lock, the same in every process."""
    digest = hashlib.blake2b("\0".join((_NAMESPACE, *parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# nbgrader's generate_assignment opens the gradebook once without a course id (its SaveCells
# preprocessor): that looks up, then inserts, a course row of this id.
NBGRADER_DEFAULT_COURSE = "default_course"


def is_server(db_url: str) -> bool:
    return db_url.startswith("postgresql")


def make_shared_rows(gradebook, db_url: str) -> None:
    """Add, under the schema lock, the rows two runs adding different modules would both
    insert: the course row generate_assignment looks for. Nothing on SQLite."""
    if is_server(db_url):
        gradebook.check_course(NBGRADER_DEFAULT_COURSE)


@contextmanager
def held(db_url: str, *parts: str) -> Iterator[None]:
    """Hold the lock named by `parts` (("schema",) or ("assignment", course_id, name)) for
    the `with` block, on a connection of its own: the block may commit and roll back its
    gradebook session freely. Nothing on SQLite."""
    if not is_server(db_url):
        yield
        return
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as con:
            key = lock_key(*parts)
            con.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            con.commit()
            try:
                yield
            finally:
                con.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                con.commit()
    finally:
        engine.dispose()


def lock_for_transaction(session, *parts: str) -> None:
    """Wait for, then hold until the current transaction of `session` ends, the lock named
    by `parts` (("student", course_id, student_id)). Nothing on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(*parts)})
