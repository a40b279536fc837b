"""The HTML the course writes, as Jinja2 templates in this folder, and `render`, the one
function that fills them in: feedback pages, the cohort report, certificates (layout
page.html), the charter page, and the simulator's fragments.

Every value a template shows is escaped, whoever wrote it (learner, trainer, notebook):
a name or an answer never becomes markup. A value that is already HTML is wrapped in
`markupsafe.Markup` by its caller, on purpose, with a comment saying why.

The templates write the HTML byte for byte as tests/golden/*.html has it (`make golden`
rewrites those files after a change on purpose). Blocks and comments alone on a line
leave nothing (trim_blocks, lstrip_blocks); a line starting with `{{- "" }}` continues
the line before it, for HTML that has no line break there.

Learners' notebooks import the simulator and the charter, so jinja2 is imported on the
first render, not with this module.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


def number(value: float | None, digits: int = 1) -> str:
    """Points as people write them: 2 rather than 2.0, 1.5 stays 1.5."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(rate: float | None) -> str:
    """A rate from 0 to 1 as a whole percentage: 0.333 -> "33 %"."""
    return "–" if rate is None else f"{100 * rate:.0f} %"


@cache
def environment():
    """The one Jinja2 environment (built on first use, then kept with its compiled templates)."""
    import jinja2
    from markupsafe import Markup

    def escape(value: object) -> Markup:
        # Escapes as html.escape does (&quot; and &#x27; for quotes, where markupsafe writes
        # &#34; and &#39;): the same text in a browser, and pages stay byte for byte what
        # they were before templates, which certificates need (verifying one renders it
        # again and compares). Autoescape then leaves the Markup as it is. (Filters that
        # escape on their own, such as join, would use markupsafe's entities: the
        # templates do not use them on user text.)
        if hasattr(value, "__html__"):
            return value
        return Markup(html.escape(str(value)))

    def code_spans(text: str) -> Markup:
        """`name` in a check's message, shown as code; the rest of the text escaped."""
        # str(): re.sub on a Markup would join its pieces with Markup.join, escaping the tags.
        return Markup(re.sub(r"`([^`<>]+)`", r"<code>\1</code>", str(escape(text))))

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(FOLDER), autoescape=True, finalize=escape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=number, percent=percent, code_spans=code_spans)
    # The learner's language (course.learner.language), read at each render, not when the page was compiled.
    from ..learner.language import _, language

    env.globals.update(_=_, language=language)
    return env


def render(name: str, **context: object) -> str:
    """The template `name` (a path under course/templates/) filled in with `context`."""
    return environment().get_template(name).render(**context)
