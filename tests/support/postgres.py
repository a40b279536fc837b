"""A throwaway PostgreSQL server for the tests, from Debian's own binaries (`apt-get install
postgresql`): its own data folder and unix-socket folder, a free port on 127.0.0.1 only,
a `course` role with a password, and a new database for whoever asks (`url(name)`).

PostgreSQL refuses to run as root, and tests often run as root: the server then runs as the
`postgres` system user the Debian package creates, in a folder that user owns. The default
cluster Debian creates (port 5432) is neither used nor needed.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

APT_HINT = "apt-get install postgresql"
START_TIMEOUT = 120  # seconds: only ends a start that would never finish (pg_ctl waits on the server itself)
ROLE = "course"
SUPERUSER = "postgres"


def bin_dir() -> Path | None:
    """Debian's server binaries (the newest version installed), or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
                   if p.parts[-3].isdigit() else 0)
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One running server; `url(name)` creates database `name` (once) owned by the course
    role and returns its SQLAlchemy URL."""

    def __init__(self, folder: Path, binaries: Path):
        self.folder = folder
        self.binaries = binaries
        self.data = folder / "data"
        self.sockets = folder / "sockets"
        self.log = folder / "server.log"
        self.port = _free_port()
        self.password = secrets.token_hex(12)
        self.superuser_password = secrets.token_hex(12)
        self.as_postgres = os.geteuid() == 0
        self._created: set[str] = set()

    # -- running the server's tools ----------------------------------------------------
    def _run(self, tool: str, *args: str, timeout: float = START_TIMEOUT) -> subprocess.CompletedProcess:
        cmd = [str(self.binaries / tool), *args]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.folder)
        if proc.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{tool} {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n"
                               f"{proc.stderr}\nserver log:\n{log}")
        return proc

    def start(self) -> None:
        self.sockets.mkdir()
        pwfile = self.folder / "superuser-password"
        pwfile.write_text(self.superuser_password + "\n")
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
            for path in (self.sockets, pwfile):
                shutil.chown(path, "postgres", "postgres")
        # Passwords even on the socket: the tests check what a wrong password does.
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, f"--pwfile={pwfile}", "-A", "scram-sha-256",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        pwfile.unlink()
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.sockets} "
                   "-c fsync=off -c max_connections=200")
        # -w: pg_ctl returns once the server accepts connections (or fails to start).
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                  "-t", str(START_TIMEOUT), "start")
        with self._superuser() as con:
            con.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{self.password}'")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @contextmanager
    def _superuser(self, dbname: str = "postgres"):
        import psycopg

        con = psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, password=self.superuser_password,
                              dbname=dbname, autocommit=True)
        try:
            yield con
        finally:
            con.close()

    # -- what tests use ----------------------------------------------------------------
    def url(self, dbname: str, password: str | None = None, driver: str = "postgresql+psycopg") -> str:
        """A database of its own for a test: created on first call, owned by the course role."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", dbname):
            raise ValueError(f"database name {dbname!r}: lower-case letters, digits and _ only")
        if dbname not in self._created:
            with self._superuser() as con:
                exists = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
                if not exists:
                    con.execute(f"CREATE DATABASE {dbname} OWNER {ROLE}")
            self._created.add(dbname)
        return self.address(dbname, password=password, driver=driver)

    def address(self, dbname: str, password: str | None = None, driver: str = "postgresql+psycopg") -> str:
        """The URL of `dbname` on this server, without creating it."""
        return f"{driver}://{ROLE}:{password or self.password}@127.0.0.1:{self.port}/{dbname}"


@contextmanager
def running_server(binaries: Path) -> Iterator[PostgresServer]:
    """Start a server in a new folder under the system temp dir (pytest's own folders are
    private to root, and the server may run as `postgres`); stop it and delete the folder
    whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix="course-postgres-"))
    server = PostgresServer(folder, binaries)
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
