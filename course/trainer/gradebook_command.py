"""`course gradebook`: check the gradebook, list its backups, make one, or restore one
(the work is in course/gradebook_safety.py)."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from ..coursedir import find_root
from ..gradebook_safety import BACKUP_DIR, backup, backups, check_readable, restore, shown_url, sqlite_path


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "gradebook", help="check the gradebook, list or make its backups, restore one",
        description="With no option: check that the gradebook can be read and list its backups. "
                    f"`course grade` backs a SQLite gradebook up before each run, into {BACKUP_DIR}/ next to "
                    "it, and keeps the newest c.Course.backups_kept (see `course config`). Stop formgrader "
                    "before --restore.")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--list-backups", action="store_true", help="list the backups, oldest first")
    what.add_argument("--backup", action="store_true", help="back the gradebook up now")
    what.add_argument("--restore", nargs="?", const="", metavar="BACKUP",
                      help="put BACKUP (default: the newest backup) in place of the gradebook; the file it "
                           "replaces is kept in the backups folder")
    p.set_defaults(func=cmd_gradebook)


def cmd_gradebook(args: argparse.Namespace) -> int:
    from ..config import load

    settings = load(find_root())
    db_url = settings.db_url
    path = sqlite_path(db_url)
    if args.backup:
        check_readable(db_url)
        backup(db_url, keep=settings.course.backups_kept, say=print)
        return 0
    if args.restore is not None:
        source, aside = restore(db_url, Path(args.restore) if args.restore else None)
        print(f"Restored {source} to {path}." + (f" The file it replaced is {aside}." if aside else ""))
        print("Grades recorded since that backup are not in it: grade again with `course grade`, and enter "
              "again in formgrader the manual grades given since.")
        return 0
    if path is not None:
        found = backups(path)
        for p in found:
            print(f"{p}  ({datetime.fromtimestamp(p.stat().st_mtime):%Y-%m-%d %H:%M}, {p.stat().st_size} bytes)")
        if not found:
            print(f"No backup yet in {path.parent / BACKUP_DIR}/.")
    else:
        print(f"The gradebook {shown_url(db_url)} is on a database server: `course grade` makes no file "
              "backups of it; the server's own backups protect it (for PostgreSQL: pg_dump, see "
              "docs/gradebook-postgres.md).")
    if args.list_backups:
        return 0
    if not check_readable(db_url):
        print(f"No gradebook at {path} yet: `course grade` creates it.")
        return 0
    print(f"The gradebook {path or shown_url(db_url)} can be read.")
    return 0
