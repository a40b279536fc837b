"""The course secret: a random key kept in the course folder (`.course-secret`, git-ignored).

It keys the pseudonyms of exports and the verification hashes of certificates, so that
nobody without the course folder can link a pseudonym to a learner id or forge a
certificate. Created on first use; losing it changes every pseudonym and makes issued
certificates unverifiable, so back it up with the gradebook.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from ..coursedir import CourseError

SECRET_NAME = ".course-secret"


def course_secret(root: Path) -> bytes:
    path = Path(root) / SECRET_NAME
    if not path.exists():
        # O_EXCL: two commands starting at once must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_hex(32) + "\n")
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise CourseError(f"{path} is not a valid course secret (64 hex digits expected). Restore it "
                          "from a backup; deleting it changes every pseudonym and voids issued certificates.")
    return key


def keyed_hash(key: bytes, message: str) -> str:
    """HMAC-SHA256 of `message`, in hex."""
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonym(key: bytes, learner_id: str) -> str:
    """A stable pseudonym for a learner id: the same id always gives the same pseudonym
    with the same secret; without the secret it reveals nothing about the id."""
    return "p-" + keyed_hash(key, "pseudonym:" + learner_id)[:16]
