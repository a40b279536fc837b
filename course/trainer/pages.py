"""The one HTML page layout the trainer outputs share (feedback, report, certificates).

Every value that comes from a learner or a notebook goes through `esc` before it is
placed in a page: a name or an answer must never become markup.
"""

from __future__ import annotations

import html
from pathlib import Path

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; color: #1d2430; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.muted { color: #5b6473; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid #d9dee7; padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f9; }
td.num, th.num { text-align: right; white-space: nowrap; }
.ok { color: #16703a; font-weight: 600; } .ko { color: #b3261e; font-weight: 600; }
.wait { color: #8a5a00; font-weight: 600; }
.box { border: 2px solid #b3261e; border-radius: .5rem; padding: .8rem 1rem; background: #fff6f5; }
.good { border-color: #16703a; background: #f3fbf5; }
td p { margin: 0 0 .4rem; }
code, pre { background: #f3f5f9; padding: .05rem .3rem; border-radius: .2rem; white-space: pre-wrap; }
img { max-width: 100%; border: 1px solid #d9dee7; margin: .5rem 0; }
"""


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def number(value: float | None, digits: int = 1) -> str:
    """Points as people write them: 2 rather than 2.0, 1.5 stays 1.5."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def page(title: str, body: str, style: str = STYLE) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
