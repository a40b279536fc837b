"""The trainer's pages in French (course/templates/{feedback,report,certificate}.html and
course/templates/locale/fr.po).

Each page is one template whose words go through gettext (`{{ _("...") }}`, `ngettext`,
`pgettext`); the few written in Python (the report's plots and pass rule, lateness on
feedback pages) go through the same catalogue (course.templates.Words). These tests find
those messages as Babel's extractors do, from the templates parsed by the environment that
renders them and from the Python of course/trainer/, and check the French catalogue
against them, as tests/test_language.py does for the learner's messages. What the French
pages say, word for word, is in tests/golden/fr_*.html.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po
from jinja2.ext import extract_from_ast

from course.config import Course
from course.trainer.feedback import _late
from course.trainer.report import pass_rule_in
from course.trainer.results import pass_rule
from course.templates import FOLDER, LOCALE_DIR, Words, environment, render, translations

CATALOGUE = LOCALE_DIR / "fr.po"
TRAINER_PAGES = sorted(FOLDER.glob("*.html"))  # the learner's fragments are in charter/ and simulator/
TRAINER_CODE = sorted((FOLDER.parent / "trainer").glob("*.py"))
# Translated in code from a variable, which no extractor can see: the default course title on certificates.
VARIABLE_MESSAGES = {(None, Course.title.default_value): "course/trainer/certificates.py (course_title)"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def template_messages() -> dict[tuple, str]:
    """(context, msgid) -> where; a plural's msgid is (singular, plural)."""
    env = environment("en")
    found: dict[tuple, str] = {}
    for path in TRAINER_PAGES:
        tree = env.parse(path.read_text(encoding="utf-8"), path.name)
        for line, function, message in extract_from_ast(tree, babel_style=True):
            strings = tuple(m for m in (message if isinstance(message, tuple) else (message,)) if isinstance(m, str))
            context, strings = (strings[0], strings[1:]) if function in ("pgettext", "npgettext") else (None, strings)
            found.setdefault((context, strings[0] if len(strings) == 1 else strings), f"{path.name}:{line}")
    return found


def code_messages() -> dict[tuple, str]:
    """The messages of course/trainer/*.py (Words(...).gettext("..."), ngettext, pgettext), as
    Babel's Python extractor finds them, and the ones translated from a variable."""
    found: dict[tuple, str] = {}
    for path in TRAINER_CODE:
        with path.open("rb") as f:
            for line, message, _, context in extract("python", f):
                found.setdefault((context, message), f"{path.name}:{line}")
    return {**found, **VARIABLE_MESSAGES}


def used_messages() -> dict[tuple, str]:
    return {**template_messages(), **code_messages()}


def entries(path: Path = CATALOGUE) -> dict[tuple, object]:
    with path.open("rb") as f:
        return {(m.context, m.id): m for m in read_po(f) if m.id}


def placeholders(text: str) -> set[str]:
    return {m.group(0) for m in PLACEHOLDER.finditer(text)}


def test_the_trainer_pages_have_messages_to_translate():
    messages = template_messages()
    assert {p.name for p in TRAINER_PAGES} >= {"feedback.html", "report.html", "certificate.html"}
    assert len(messages) > 70
    assert (None, "Module passed.") in messages and ("heading", "Hand-in times against the deadline") in messages
    assert any(isinstance(msgid, tuple) for _, msgid in messages)  # plurals are found too


def test_the_messages_written_in_python_are_found():
    messages = code_messages()
    plurals_and_contexts = {key: where.split(":")[0] for key, where in messages.items()
                            if key[0] == "plot" or isinstance(key[1], tuple)}
    assert plurals_and_contexts == {
        ("plot", "Success rate per exercise, hardest first"): "report.py",
        (None, ("%% of the %(num)s learner", "%% of the %(num)s learners")): "report.py",
        (None, ("%(num)s hour", "%(num)s hours")): "feedback.py"}
    assert messages[(None, "%(days)s days")].startswith("feedback.py:")
    assert sum(where.startswith("report.py:") for where in messages.values()) > 20


def missing(catalogue: Path = CATALOGUE) -> dict[tuple, str]:
    """The messages the pages use that have no entry in `catalogue`: (context, msgid) -> where."""
    french = entries(catalogue)
    return {key: where for key, where in used_messages().items() if key not in french}


def test_every_message_has_a_french_entry_that_is_not_fuzzy():
    assert not missing(), f"no French in {CATALOGUE.name} for: {missing()}"
    french = entries()
    empty = [key for key, m in french.items() if not all(s.strip() for s in
                                                         (m.string if isinstance(m.string, tuple) else (m.string,)))]
    fuzzy = [key for key, m in french.items() if m.fuzzy]
    assert not empty and not fuzzy, (empty, fuzzy)


def test_no_french_entry_is_unused():
    unused = set(entries()) - set(used_messages())
    assert not unused, f"entries of {CATALOGUE.name} no template uses any more: {unused}"


def test_placeholders_are_the_same_in_french_and_every_message_formats():
    wrong = {}
    for key, m in entries().items():
        english = m.id if isinstance(m.id, tuple) else (m.id,)
        french = m.string if isinstance(m.string, tuple) else (m.string,)
        values = {name: "x" for text in english for name in re.findall(r"%\((\w+)\)s", text)}
        for text in french:
            if placeholders(text) != placeholders(english[-1]):
                wrong[key] = text
            text % values  # a lone % would fail only when the page is written
    assert not wrong, wrong


def test_the_french_plural_is_the_one_the_french_pages_used():
    # French: « 0 charte remplie », « 2 chartes remplies »; English: "0 charters", "1 charter".
    singular, plural = next(msgid for _, msgid in template_messages() if isinstance(msgid, tuple)
                            and msgid[0].startswith("%(num)s charter filled in"))
    french = [translations("fr").ngettext(singular, plural, n) for n in (0, 1, 2)]
    assert [text.split(" :")[0] for text in french] == ["%(num)s charte remplie", "%(num)s charte remplie",
                                                       "%(num)s chartes remplies"]
    assert [translations("en").ngettext(singular, plural, n) for n in (0, 1, 2)] == [plural, singular, plural]


def test_a_message_without_french_stays_english_and_its_values_are_escaped():
    env = environment("fr")
    page = env.from_string('{{ _("Module passed.") }} {{ _("Nobody translated %(this)s.", this=x) }}')
    assert page.render(x="<b>\"it's\"</b>") == "Module validé. Nobody translated &lt;b&gt;&quot;it&#x27;s&quot;&lt;/b&gt;."


def test_an_unknown_language_gets_the_english_pages():
    assert "Certificate of completion" in render("certificate.html", "de", data={
        "course": "C", "learner_name": "N", "learner_id": "n", "modules": [], "date": "2026-01-01"},
        verification="0", embedded="{}", pass_mark="80%")


@pytest.mark.parametrize("drop", [(None, "Module passed."), (None, "Certificate"),  # templates
                                  (None, "pass mark"), ("plot", "Success rate per exercise, hardest first"),
                                  (None, ("%(num)s hour", "%(num)s hours"))])  # Python
def test_the_check_finds_a_missing_entry(tmp_path, drop):
    """The parity check above fails when an entry is taken out of the catalogue."""
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    context, msgid = drop
    assert catalogue.get(msgid, context) is not None
    catalogue.delete(msgid, context)
    with (tmp_path / "fr.po").open("wb") as f:
        write_po(f, catalogue)
    assert list(missing(tmp_path / "fr.po")) == [drop]


@pytest.mark.parametrize("language, seconds, late", [
    ("en", 1, "less than an hour"), ("en", 3599, "less than an hour"), ("en", 3600, "1 hour"), ("en", 7200, "2 hours"), ("en", 47 * 3600, "47 hours"),
    ("en", 48 * 3600, "2.0 days"), ("en", 3.5 * 86400, "3.5 days"),
    ("fr", 1800, "moins d'une heure"), ("fr", 3600, "1 heure"), ("fr", 7200, "2 heures"), ("fr", 47 * 3600, "47 heures"),
    ("fr", 48 * 3600, "2,0 jours"), ("fr", 3.5 * 86400, "3,5 jours")])
def test_lateness_has_the_plural_and_the_decimal_sign_of_its_language(language, seconds, late):
    assert _late(seconds, language) == late


def test_the_pass_rule_is_the_same_sentence_in_english_and_has_a_decimal_comma_in_french():
    assert pass_rule_in("en", 0.755) == pass_rule(0.755)
    assert pass_rule_in("fr", 0.755).startswith("un module est validé avec au moins 75,5 % de ses points")


def test_python_messages_format_as_the_templates_do():
    words = Words("fr")
    assert words.ngettext("%% of the %(num)s learner", "%% of the %(num)s learners", 1) == "% de 1 apprenant"
    assert words.ngettext("%% of the %(num)s learner", "%% of the %(num)s learners", 12) == "% des 12 apprenants"
    assert Words("en").gettext("right answers (%%)") == "right answers (%)"
    title = "Success rate per exercise, hardest first"
    assert words.pgettext("plot", title) != words.gettext(title)  # the plot's title is shorter than the alt text
