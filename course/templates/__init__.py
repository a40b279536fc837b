"""The HTML the course writes, as Jinja2 templates in this folder, and `render`, the one
function that fills them in: feedback pages, the cohort report, certificates (layout
page.html), the charter page, and the simulator's fragments.

The trainer's pages (feedback, report, certificate) are one template each, in every
language: their words go through gettext (Jinja2's i18n extension: `{{ _("...") }}`,
`ngettext`), and `render(..., language="fr")` takes them from locale/fr.po (msgid = the
English). The learner's fragments (charter, simulator) use `_` in the learner's current
language (course.learner.language) instead.

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
import io
import re
from functools import cache, partial
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
LOCALE_DIR = FOLDER / "locale"  # the trainer's pages' catalogues: <language>.po


def number(value: float | None, digits: int = 1, decimal: str = ".") -> str:
    """Points as people write them: 2 rather than 2.0, 1.5 stays 1.5 (1,5 with decimal=",")."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text).replace(".", decimal)


@cache
def decimal_symbol(language: str) -> str:
    """The decimal separator of `language` (CLDR, through Babel): "." in English, "," in French."""
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(language)


def percent(rate: float | None) -> str:
    """A rate from 0 to 1 as a whole percentage: 0.333 -> "33 %"."""
    return "–" if rate is None else f"{100 * rate:.0f} %"


def escape(value: object):
    """A value as the pages show it: escaped as html.escape does (&quot; and &#x27; for
    quotes, where markupsafe writes &#34; and &#39;): the same text in a browser, and pages
    stay byte for byte what they were before templates, which certificates need (verifying
    one renders it again and compares). Markup is kept as it is."""
    from markupsafe import Markup

    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))


def code_spans(text: str):
    """`name` in a check's message, shown as code; the rest of the text escaped."""
    from markupsafe import Markup

    # str(): re.sub on a Markup would join its pieces with Markup.join, escaping the tags.
    return Markup(re.sub(r"`([^`<>]+)`", r"<code>\1</code>", str(escape(text))))


def format_datetime(moment, pattern: str, language: str) -> str:
    """A date and time with a CLDR pattern (the catalogue gives each language its own)."""
    from babel.dates import format_datetime as babel_format

    return babel_format(moment, str(pattern), locale=language)


@cache
def translations(language: str):
    """The trainer's pages' words in `language`, from locale/<language>.po (compiled in
    memory; no .mo file to keep in step). A language without a catalogue is English."""
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    from ..learner.language import read_catalogue

    compiled = io.BytesIO()
    write_mo(compiled, read_catalogue(LOCALE_DIR / f"{language}.po"))
    compiled.seek(0)
    return Translations(compiled)


class Words:
    """The trainer's words written in Python (the report's plots, the pass rule, lateness) in
    `language`, from the same catalogue, called as the templates call theirs (newstyle): the
    values named in the call fill the message's %(name)s, a literal % is written %%, and
    ngettext's count is %(num)s."""

    def __init__(self, language: str):
        self._catalogue = translations(language)

    def gettext(self, message: str, **values: object) -> str:
        return self._catalogue.gettext(message) % values

    def ngettext(self, singular: str, plural: str, num: int, **values: object) -> str:
        return self._catalogue.ngettext(singular, plural, num) % {"num": num, **values}

    def pgettext(self, context: str, message: str, **values: object) -> str:
        return self._catalogue.pgettext(context, message) % values


def _escaping_values(translate):
    """`translate` (an installed gettext, ngettext or pgettext) with the values put into a message
    escaped as every other value is (escape), not with markupsafe's entities."""
    from jinja2 import pass_context

    @pass_context
    def with_escaped_values(context, *args, **values):
        return context.call(translate, *args, **{name: escape(v) for name, v in values.items()})

    return with_escaped_values


@cache
def environment(language: str | None = None):
    """The Jinja2 environment (built on first use, then kept with its compiled templates):
    without `language`, the learner's (`_` in the learner's current language); with one,
    the trainer's pages in that language (gettext from locale/<language>.po)."""
    import jinja2

    extensions = ["jinja2.ext.i18n"] if language else []
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(FOLDER), autoescape=True, finalize=escape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             extensions=extensions)
    env.filters.update(number=number, percent=percent, code_spans=code_spans, format_datetime=format_datetime)
    if language:
        env.filters["number"] = partial(number, decimal=decimal_symbol(language))  # 1,5 in French
        # newstyle: a message is a %-format string whose values the call names (%(title)s),
        # and its literal % are written %%.
        env.install_gettext_translations(translations(language), newstyle=True)
        env.globals.update({name: _escaping_values(env.globals[name]) for name in ("gettext", "ngettext", "pgettext")},
                           lang=language)
        return env
    # The learner's language (course.learner.language), read at each render, not when the page was compiled.
    from ..learner.language import _, language as learner_language

    env.globals.update(_=_, language=learner_language)
    return env


def render(name: str, language: str | None = None, **context: object) -> str:
    """The template `name` (a path under course/templates/) filled in with `context`;
    a trainer's page in `language` ("en", "fr")."""
    return environment(language).get_template(name).render(**context)
