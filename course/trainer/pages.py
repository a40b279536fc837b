"""Writing the trainer's pages. Their HTML is in course/templates/ (the layout they share
is page.html), filled in by `course.templates.render`, which escapes every value."""

from __future__ import annotations

from pathlib import Path

from ..templates import number  # noqa: F401  (export formats points as the pages do)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
