"""Ralph's LRS app for the tests, run by .venv-lrs's uvicorn (not by the course's Python).

Ralph 5.1's file-system LRS backend writes every POST with the "create" operation to the
same file (fs_lrs.jsonl), so it takes one POST and refuses every later one with a 500
("already exists and overwrite is not allowed"). Its other backends (Elasticsearch,
MongoDB, ClickHouse) append. Here the file-system backend appends too, so the store
behaves like a production one; Ralph's own API code (validation, duplicates, conflicts,
queries) is unchanged.
"""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402

__all__ = ["app"]  # uvicorn serves ralph_lrs_app:app
