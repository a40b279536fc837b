"""Rewrite the golden HTML files from the renderers as they are now.

    make golden        (or: .venv/bin/python -m tests.golden.refresh)

Then review `git diff tests/golden/`: every changed line is a change learners or
trainers will see.
"""

from __future__ import annotations

from tests.golden.cases import FOLDER, render_all


def refresh() -> list[str]:
    rendered = render_all()
    changed = []
    for stale in FOLDER.glob("*.html"):
        if stale.stem not in rendered:
            stale.unlink()
            changed.append(f"{stale.name} (removed)")
    for name, text in sorted(rendered.items()):
        path = FOLDER / f"{name}.html"
        data = text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            changed.append(path.name)
    return changed


if __name__ == "__main__":
    changed = refresh()
    print(f"{len(changed)} golden file(s) rewritten in {FOLDER}: {', '.join(changed) or 'none changed'}")
