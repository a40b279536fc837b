"""JSON lines between the grading processes: framing, deadlines and size limits.

Every pipe between the worker and its children carries one JSON object per line. The
reading side never trusts the writing side: a line may never come (deadline), may be
endless (size limit) or may not be JSON at all (`parse` says None).
"""

from __future__ import annotations

import json
import os
import select
import time

MAX_MESSAGE = 256 << 20


class LineReader:
    """Lines from a pipe, with a deadline and a size limit."""

    def __init__(self, fd: int, max_bytes: int = MAX_MESSAGE):
        self.fd = fd
        self.max_bytes = max_bytes
        self.buffer = b""
        self.eof = False

    def readline(self, deadline: float | None) -> bytes | None:
        """A line (without newline); b"" at end of file; None when the deadline passed.
        A message longer than the size limit ends the stream: b"" then and afterwards."""
        while b"\n" not in self.buffer:
            if self.eof:
                return b""
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                return None
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                self.eof = True
                continue
            self.buffer += chunk
            if len(self.buffer) > self.max_bytes:
                self.eof = True
                self.buffer = b""
                return b""
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def send(fd: int, message: dict) -> None:
    """One message, as one JSON line."""
    write_all(fd, json.dumps(message).encode() + b"\n")


def parse(line: bytes | None) -> dict | None:
    """The message of a line, or None for anything that is not a JSON object."""
    if not line:
        return None
    try:
        msg = json.loads(line)
    except ValueError:
        return None
    return msg if isinstance(msg, dict) else None
