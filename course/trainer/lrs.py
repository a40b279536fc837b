"""`course send`: post the cohort's xAPI statements to a learning record store (LRS).

Statements go in batches (one POST to <LRS>/statements each). A store that is down,
overloaded (5xx) or asks to slow down (429) is retried with a growing wait; a store that
refuses a batch (bad credentials, a missing right, a statement it finds invalid or in
conflict) stops the command with what the store said and what to do. Every statement has
a stable id (course/trainer/xapi.py), so sending again stores nothing twice: an LRS keeps
one copy of identical statements.

Credentials come from COURSE_LRS_USERNAME / COURSE_LRS_PASSWORD or from a file readable
by its owner only; never from the command line, where other users see it (`ps`).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import stat
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from ..coursedir import CourseError, find_root

XAPI_VERSION = "1.0.3"
USER_ENV, PASSWORD_ENV = "COURSE_LRS_USERNAME", "COURSE_LRS_PASSWORD"
RETRIED = {429, 500, 502, 503, 504}
_MAX_SAID = 500


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str

    def header(self) -> str:
        pair = f"{self.username}:{self.password}".encode("utf-8")
        return "Basic " + base64.b64encode(pair).decode("ascii")


def read_credentials(path: Path | None, environ=os.environ) -> Credentials:
    """From `path` (lines `username = ...` and `password = ...`), else from the environment."""
    if path is None:
        username, password = environ.get(USER_ENV, ""), environ.get(PASSWORD_ENV, "")
        if not (username and password):
            raise CourseError(f"No credentials for the learning record store: set {USER_ENV} and {PASSWORD_ENV}, "
                              "or give --credentials FILE (lines `username = ...` and `password = ...`, "
                              "readable by you only: chmod 600 FILE).")
        return Credentials(username, password)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CourseError(f"Cannot read the credentials file {path}: {exc.strerror or exc}.") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CourseError(f"{path} can be read or changed by other users of this machine, and it holds a "
                          f"password: run `chmod 600 {path}`, then try again.")
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() in ("username", "password"):
            fields[key.strip()] = value.strip()
    if not (fields.get("username") and fields.get("password")):
        raise CourseError(f"{path} needs two lines, `username = ...` and `password = ...`.")
    return Credentials(fields["username"], fields["password"])


def statements_url(lrs: str) -> str:
    """The statements resource of the xAPI endpoint `lrs` (given with or without it)."""
    lrs = lrs.rstrip("/")
    parts = urlsplit(lrs)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CourseError(f"--lrs {lrs!r}: give the store's xAPI address, e.g. https://lrs.example.com/xAPI.")
    if parts.username is not None or parts.password is not None:
        raise CourseError(f"--lrs: leave the user name and password out of the address (other users of this "
                          f"machine see command lines); set {USER_ENV} and {PASSWORD_ENV}, or use --credentials FILE.")
    return lrs if lrs.endswith("/statements") else lrs + "/statements"


def in_clear(url: str) -> bool:
    """Whether the password would cross a network unencrypted (http:// to another machine)."""
    parts = urlsplit(url)
    return parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1", "::1")


def _said(body: bytes) -> str:
    """What the store said, in one line."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and "detail" in data:  # FastAPI-based stores (Ralph)
        detail = data["detail"]
        if isinstance(detail, list):  # validation errors: where and what
            text = "; ".join(f"{'/'.join(map(str, d.get('loc', [])))}: {d.get('msg', '')}"
                             for d in detail if isinstance(d, dict))
        else:
            text = str(detail)
    elif isinstance(data, dict) and "message" in data:  # ADL's and other stores
        text = str(data["message"])
    text = " ".join(text.split())
    return (text[: _MAX_SAID - 1] + "…" if len(text) > _MAX_SAID else text) or "(nothing)"


def _refused(status: int, said: str, url: str, who: str, first: int, last: int, sent: int) -> CourseError:
    where = f"The learning record store at {url} refused statements {first}-{last} ({status}: {said})."
    stored = f" {sent} statement(s) before them were stored; sending again is safe." if sent else ""
    advice = {
        401: f"Check the user name and password ({USER_ENV}/{PASSWORD_ENV} or --credentials); "
             f"the store does not know user {who!r} with this password.",
        403: f"User {who!r} may not write statements: ask the store's administrator for the right "
             "to write statements (scope statements/write).",
        404: "No xAPI statements resource at this address: give the store's xAPI address "
             "(e.g. https://lrs.example.com/xAPI).",
        409: "The store holds a different statement with the same id: they were sent before with other "
             "settings (course title, language). Send with the settings used then, or ask the store's "
             "administrator to void the old statements.",
        413: "The batch is too large for the store: send again with a smaller --batch-size.",
    }.get(status, "The statements do not suit this store: check c.Course.xapi_home_page and "
                  "c.Course.xapi_activity_base (`course config`), and show this message to the "
                  "store's administrator.")
    return CourseError(f"{where}{stored} {advice}")


def post_batch(url: str, batch: list[dict], credentials: Credentials, timeout: float = 30.0) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=json.dumps(batch, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION,
                 "Authorization": credentials.header()})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        retry_after = exc.headers.get("Retry-After", "") if exc.headers else ""
        body = exc.read()
        exc.close()
        if exc.code in RETRIED:
            raise _Retry(f"{exc.code}: {_said(body)}", retry_after) from None
        return exc.code, body
    except (urllib.error.URLError, OSError) as exc:  # refused, reset, timed out, DNS
        reason = getattr(exc, "reason", exc)
        raise _Retry(f"no answer ({reason})", "") from None


class _Retry(Exception):
    def __init__(self, why: str, retry_after: str):
        super().__init__(why)
        self.retry_after = retry_after


def send_statements(statements: list[dict], lrs: str, credentials: Credentials, batch_size: int = 100,
                    attempts: int = 5, first_wait: float = 1.0,
                    progress: Callable[[str], None] = lambda line: None,
                    sleep: Callable[[float], None] = time.sleep) -> int:
    """Post `statements` in batches; the number sent. A batch the store cannot take now
    is tried `attempts` times in all, waiting `first_wait` s, then twice as long each time
    (or as long as the store's Retry-After says, up to a minute)."""
    url = statements_url(lrs)
    sent = 0
    for start in range(0, len(statements), batch_size):
        batch = statements[start:start + batch_size]
        wait = first_wait
        for attempt in range(1, attempts + 1):
            try:
                status, body = post_batch(url, batch, credentials)
                break
            except _Retry as problem:
                if attempt == attempts:
                    raise CourseError(f"The learning record store at {url} did not take statements "
                                      f"{start + 1}-{start + len(batch)} after {attempts} tries (last: {problem}). "
                                      f"{sent} statement(s) were stored; run the command again later "
                                      "(sending again is safe).") from None
                delay = min(float(problem.retry_after), 60.0) if problem.retry_after.isdigit() else wait
                progress(f"The store did not take the batch ({problem}); trying again in {delay:g} s.")
                sleep(delay)
                wait *= 2
        if status >= 300:
            raise _refused(status, _said(body), url, credentials.username, start + 1, start + len(batch), sent)
        sent += len(batch)
        progress(f"sent {sent}/{len(statements)} statements")
    return sent


def load_statements(path: Path) -> list[dict]:
    """Statements written by `course export --format xapi`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CourseError(f"Cannot read statements from {path}: {exc}. Write them with "
                          "`course export --format xapi -o FILE`.") from None
    if not (isinstance(data, list) and all(isinstance(s, dict) and s.get("id") for s in data)):
        raise CourseError(f"{path} is not a list of xAPI statements with ids, as "
                          "`course export --format xapi` writes.")
    return data


def cmd_send(args: argparse.Namespace) -> int:
    credentials = read_credentials(Path(args.credentials) if args.credentials else None)
    if args.statements and args.pseudonymize:
        raise CourseError("--pseudonymize names learners in statements made from the gradebook; a file given "
                          "with --from is sent as it was exported (`course export --format xapi --pseudonymize`).")
    if args.statements:
        statements = load_statements(Path(args.statements))
    else:
        from .results import load_cohort
        from .xapi import cohort_knowledge, cohort_statements

        cohort, _ = load_cohort(find_root())
        statements, left_out = cohort_statements(cohort, args.pseudonymize, cohort_knowledge(cohort))
        for reason, count in left_out.items():
            print(f"left out: {count} {reason}", file=sys.stderr)
    if args.batch_size < 1:
        raise CourseError("--batch-size must be at least 1.")
    if in_clear(args.lrs):
        print(f"Warning: {args.lrs} is not https://, so the password and the results cross the network "
              "unencrypted. Use the store's https:// address if it has one.", file=sys.stderr)
    sent = send_statements(statements, args.lrs, credentials, args.batch_size,
                           progress=lambda line: print(line, file=sys.stderr))
    print(f"The learning record store took {sent} statement(s) (those it already held are stored once).")
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "send", help="send the results as xAPI statements to a learning record store (LRS)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Post the cohort's xAPI statements (those of `course export --format xapi`, see "
                    "docs/xapi.md) to a learning record store, in batches. A store that does not answer, "
                    "fails (5xx) or asks to slow down (429) is tried again with growing waits; a store that "
                    "refuses statements stops the command with its reason.\n\n"
                    "Sending again is safe: statement ids are stable, so the store keeps one copy.\n\n"
                    f"Credentials (HTTP basic): the environment variables {USER_ENV} and {PASSWORD_ENV}, "
                    "or --credentials FILE. A password is never given on the command line.")
    p.add_argument("--lrs", required=True, metavar="URL",
                   help="the store's xAPI address, e.g. https://lrs.example.com/xAPI")
    p.add_argument("--credentials", metavar="FILE",
                   help="file with lines `username = ...` and `password = ...`, readable by you only "
                        f"(chmod 600); default: {USER_ENV} and {PASSWORD_ENV}")
    p.add_argument("--from", dest="statements", metavar="FILE",
                   help="send the statements in FILE (`course export --format xapi -o FILE`) instead of "
                        "those of the gradebook")
    p.add_argument("--pseudonymize", action="store_true",
                   help="name learners by their pseudonym, as `course export --pseudonymize` does")
    p.add_argument("--batch-size", type=int, default=100, metavar="N", help="statements per request (default: 100)")
    p.set_defaults(func=cmd_send)
