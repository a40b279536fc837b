"""The course's library in French (course/learner/language.py and course/learner/locale/fr.po).

Every message a learner can see goes through `_()` (or is marked `N_()` in a constant and
translated where it is shown). These tests find those messages by reading the code, as a
translator's tool would, and check the French catalogue against them; then they switch a
process to French and read what a learner would see. English is what every other test reads.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from course.config import load
from course.learner import check, charter, language, plain_errors
from course.learner.language import _, use_language
from course.learner.visibility import SettingsError, who_can_see

ROOT = Path(__file__).resolve().parents[1]
LEARNER = ROOT / "course" / "learner"
TEMPLATES = ROOT / "course" / "templates"
# The learner's fragments; the trainer's pages (templates/*.html) have their own catalogue,
# checked by tests/test_trainer_pages_language.py.
LEARNER_TEMPLATES = (TEMPLATES / "charter", TEMPLATES / "simulator")
CATALOGUE = LEARNER / "locale" / "fr.po"
# A template's message: {{ _("...") }} (the templates' only use of `_`).
TEMPLATE_MESSAGE = re.compile(r'_\("((?:[^"\\]|\\.)*)"\)')


def code_messages() -> dict[str, list[str]]:
    """English message -> where it is, from every `_("...")` and `N_("...")` of course/learner
    and every `_("...")` of the learner's templates."""
    found: dict[str, list[str]] = {}
    for path in sorted(LEARNER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_") \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.setdefault(node.args[0].value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    for path in sorted(p for folder in LEARNER_TEMPLATES for p in folder.rglob("*.html")):
        for match in TEMPLATE_MESSAGE.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1).replace('\\"', '"'), []).append(str(path.relative_to(ROOT)))
    # nbgrader's stubs, which a French edition shows in French (coursedir.stubs_in).
    stubs = load(ROOT).config.ClearSolutions
    for text in [*stubs.code_stub.values(), stubs.text_stub]:
        found.setdefault(text, []).append("nbgrader_config.py")
    return found


def catalogue():
    with CATALOGUE.open("rb") as f:
        return read_po(f)


def placeholders(text: str) -> Counter:
    """The {fields} of a message, and the braces of code it quotes ({"key": "value"}), which
    must stay the same in every language ({{ and }} are literal braces in str.format)."""
    return Counter(re.findall(r"\{[^{}]*\}", text.replace("{{", "").replace("}}", "")))


@pytest.fixture
def french():
    use_language("fr")
    try:
        yield
    finally:
        use_language("en")


def test_the_code_has_messages_to_translate():
    messages = code_messages()
    assert len(messages) > 300
    assert "Not right yet." in messages and "Amis" not in messages  # English in the code


def test_every_message_has_a_french_entry_that_is_not_fuzzy():
    entries = {m.id: m for m in catalogue() if m.id}
    missing = {text: where for text, where in code_messages().items() if text not in entries}
    assert not missing, f"no French for: {missing}"
    empty = [m.id for m in entries.values() if not m.string or not m.string.strip()]
    fuzzy = [m.id for m in entries.values() if m.fuzzy]
    assert not empty and not fuzzy, (empty, fuzzy)


def test_placeholders_and_quoted_code_are_the_same_in_french():
    wrong = {m.id: m.string for m in catalogue() if m.id and placeholders(m.id) != placeholders(m.string)}
    assert not wrong, wrong


def test_no_french_entry_is_unused():
    unused = {m.id for m in catalogue() if m.id} - set(code_messages())
    assert not unused, f"entries no code uses any more: {unused}"


def test_french_typography_no_plain_space_before_high_punctuation():
    # A French trainer writes « : », « ; », « ? » with a no-break space, and quotes in « ».
    bad = [m.string for m in catalogue() if m.id and re.search(r" [:;?!]|« | »", m.string)]
    assert not bad, bad


def test_only_english_and_french_are_offered():
    with pytest.raises(ValueError, match="'en' and 'fr'"):
        use_language("de")
    assert language.language() == "en"


def test_english_is_the_default_and_a_message_without_french_stays_english(french):
    assert _("Not right yet.") == "Pas encore juste."
    assert _("A sentence nobody translated.") == "A sentence nobody translated."
    use_language("en")
    assert _("Not right yet.") == "Not right yet."


def test_a_wrong_answer_is_explained_in_french(french):
    with pytest.raises(check.AnswerError) as caught:
        check.is_type(3, str, "work_network")
    message = str(caught.value)
    assert message == ('`work_network` doit être un texte entre guillemets, comme "LinkedIn", '
                       "mais c'est un nombre entier.")
    assert "should be" not in message
    rendered = "".join(caught.value._render_traceback_())
    assert "Pas encore juste." in rendered and "Not right yet" not in rendered


def test_an_unanswered_question_is_explained_in_french(french):
    with pytest.raises(check.AnswerError, match=r"Vous n'avez pas encore répondu\u00a0: remplacez les \.\.\. après "
                                                r"`my_answer =`"):
        check.answered(..., "my_answer")


def test_settings_the_model_cannot_read_are_explained_in_french(french):
    with pytest.raises(SettingsError) as caught:
        who_can_see({"network": "facebok", "audience": "friends"})
    message = str(caught.value)
    assert message.startswith('Ce cours ne connaît pas le réseau "facebok". Vouliez-vous dire "facebook"\u202f?')
    assert "is not one this course knows" not in message
    with pytest.raises(SettingsError, match="Facebook demande une audience pour chaque publication"):
        who_can_see({"network": "facebook"})


def test_a_misspelt_name_is_explained_in_french(french):
    message = plain_errors.explain(NameError("name 'LinkdIn' is not defined"), None, ["LinkedIn"])
    assert message == ("Python ne connaît pas le nom `LinkdIn`. Vouliez-vous dire `LinkedIn`\u202f? "
                       "Les noms s'écrivent exactement, majuscules comprises.")
    assert "does not know" not in message
    assert plain_errors.explain_syntax(SyntaxError("invalid syntax", ("<cell>", 2, 1, "x = ,"))).startswith(
        "Python ne peut pas lire cette ligne (ligne 2).")


def test_the_simulator_shows_the_platforms_french_labels(french):
    from course.learner.simulator import build_simulator

    sim = build_simulator()
    labels = lambda control: [label for label, _value in control.options]  # noqa: E731
    assert labels(sim.facebook["audience"]) == ["Public", "Amis", "Amis sauf…", "Amis spécifiques",
                                                "Moi uniquement", "Personnalisé", "Dans un groupe"]
    assert "liste\u00a0: Amis proches" in labels(sim.facebook["except"])
    assert "Story, Amis proches uniquement" in labels(sim.instagram["share_to"])
    assert labels(sim.whatsapp["audience"]) == ["Mes contacts", "Mes contacts sauf…", "Partager uniquement avec…"]
    assert labels(sim.linkedin["audience"]) == ["Tout le monde", "Relations uniquement"]
    assert sim.x["protected"].description == "Protéger vos posts"
    assert "Confidentialité du statut" in sim.fields["whatsapp"]["audience"].children[0].value
    # What it shows for the default post (Facebook, Friends): French, and no English sentence.
    assert "de vos contacts peuvent voir cette publication" in sim.summary.value
    assert "of your contacts" not in sim.summary.value
    assert "<th>famille</th>" in sim.table.value and "sur ce réseau" in sim.table.value
    assert "Bon à savoir" in sim.notes.value and "Good to know" not in sim.notes.value
    assert sim.chart.title.get_text().startswith("Facebook\u00a0: ")
    assert sim.chart.top.get_legend().get_texts()[0].get_text() == "sur ce réseau"
    sim.network.value = "tiktok"
    sim.tiktok["audience"].value = "everyone"
    assert "le public\u00a0: oui" in sim.summary.value


def test_every_label_of_the_simulator_is_french(french):
    # Any control added in English only would show up here: every label is a French entry,
    # a contact's name or a network's own name.
    import ipywidgets as widgets

    from course.learner.simulator import build_simulator
    from course.learner.visibility import NETWORK_NAMES

    sim = build_simulator()
    french_texts = {m.string for m in catalogue() if m.id}
    allowed = french_texts | {c.name for c in sim.contacts.contacts} | set(NETWORK_NAMES.values())
    shown = []
    for control in sim._controls():
        if isinstance(control, widgets.Checkbox):
            shown.append(control.description)
        elif hasattr(control, "options"):
            shown += [option[0] if isinstance(option, tuple) else option for option in control.options]
    for network, fields in sim.fields.items():
        for field in fields.values():
            if isinstance(field, widgets.VBox):
                shown.append(re.sub(r"<[^>]+>", "", field.children[0].value))
    unlisted = sorted({label for label in shown if label not in allowed and not label.startswith("liste\u00a0: ")})
    assert not unlisted, unlisted
    assert len(shown) > 60


def test_the_charter_document_is_in_french(french):
    mine = charter.make_charter({"LinkedIn": "work", "Instagram": "private"},
                                ["courtesy", "quiet_hours", "consent_photos"], 19, 8,
                                "Téléphone éteint le dimanche.")
    text = charter.to_markdown(mine)
    assert text.startswith("# Ma charte d'usage des réseaux sociaux\n")
    assert "- **LinkedIn**\u00a0: travail" in text and "- **Instagram**\u00a0: vie privée" in text
    assert "J'arrête de lire les messages professionnels à 19\u00a0h et je reprends à 8\u00a0h" in text
    assert "I stop reading" not in text and "My rules" not in text
    page = charter.to_html(mine)
    assert '<html lang="fr">' in page and "<h2>Mes règles</h2>" in page
    assert "<li><b>LinkedIn</b>\u00a0: travail</li>" in page
    assert "Je reste courtois(e)" in page and "I stay courteous" not in page
    problems = charter.charter_problems({**mine, "rules": ["courtesy"]})
    assert problems == ["Choisissez au moins 3 règles."]


def test_the_language_is_per_process_and_french_costs_nothing_until_used():
    # A grading worker imports the whole library before it forks learners: it must stay in
    # English, without Babel, and a learner's `use_language("fr")` reads fr.po only then.
    code = ("import sys\n"
            "from course.grading.warmup import warm_imports\n"
            "warm_imports()\nimport course.learner.simulator\n"
            "from course.learner.language import _, language, use_language\n"
            "print(language(), 'babel' in sys.modules)\n"
            "use_language('fr')\n"
            "print(_('Right.'), 'babel.messages.pofile' in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["en False", "Bonne réponse. True"]


def test_tables_a_notebook_shows_describe_in_french_and_keep_their_column_names(french):
    from course.learner import exif, networks
    from course.learner.visibility import before_after

    table = networks.as_table()
    assert list(table.columns) == ["main use today", "by default", "audience controls", "status", "source"]
    assert table.loc["LinkedIn", "main use today"] == "travail"
    assert table.loc["LinkedIn", "source"] == "Centre d'aide LinkedIn"
    assert table.loc["Facebook", "audience controls"].startswith("Public; Friends")  # the answers' vocabulary
    channels = exif.channel_table().set_index("channel")["how the photo is sent"]
    assert channels["email"] == "jointe à un e-mail"
    change = before_after(who_can_see({"network": "facebook", "audience": "public"}),
                          who_can_see({"network": "facebook", "audience": "friends"}))
    assert list(change.columns) == ["avant", "après"]
    assert change.loc["le public peut voir les nouvelles publications"].tolist() == ["oui", "non"]


def test_the_knowledge_check_speaks_french(french, tmp_path, capsys):
    from course.learner import knowledge

    knowledge.noted("99-nothing", {1: "a"}, folder=tmp_path)
    said = capsys.readouterr().out
    assert said.startswith("Les questions de 99-nothing n'ont pas pu être lues.")
    assert "could not be read" not in said


@pytest.mark.slow
def test_a_french_notebook_kernel_shows_french_messages_instead_of_tracebacks(tmp_path):
    # What a French edition's setup cell does, then three beginner mistakes, in a real kernel:
    # the plain-words handler (installed only in ipykernel) speaks French too.
    import nbformat
    from nbclient import NotebookClient
    from support.kernels import ipc_kernels

    cells = ['from course.learner.language import use_language; use_language("fr")\nfrom course.learner import check',
             "work_network = LinkdIn",
             'check.answered(..., "work_network")',
             "x = (1,"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3", config=ipc_kernels(), allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown = ["\n".join(o.get("traceback", [])) for c in nb.cells for o in c.outputs if o.output_type == "error"]
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", text) for text in shown]
    assert len(plain) == 3, plain
    assert "Python ne connaît pas le nom `LinkdIn`." in plain[0] and "does not know" not in plain[0]
    assert "✗ Pas encore juste. Vous n'avez pas encore répondu" in plain[1]
    assert "Une parenthèse ou un crochet ouvert (ligne 1) n'est jamais fermé." in plain[2]


def test_type_words_keep_their_example_after_a_comma_in_french(french):
    # `_describe` names a learner's value by the words before the example ("un texte entre
    # guillemets"): a French entry has that one comma where the English has it.
    for english in check._TYPE_WORDS.values():
        words = _(english).split(",")[0]
        assert ("," in _(english)) == ("," in english) and words and "comme" not in words, _(english)
    with pytest.raises(check.AnswerError, match="mais c'est une liste entre crochets\\.$"):
        check.is_type(["a"], str, "x")


@pytest.mark.parametrize("settings", [
    {"network": "instagram", "account": "public"},
    {"network": "linkedin", "audience": "anyone"},
    {"network": "facebook", "audience": "friends", "tags": ["Anna R."], "tag_review": True,
     "tags_by_others": ["Nora P."]},
])
def test_the_french_chart_keeps_every_word_inside_the_picture(french, settings):
    # French runs longer than English: no title, label or count may be cut at the edge.
    from course.learner.simulator import VisibilityChart, render

    chart = VisibilityChart(scale=9)
    render(settings, chart)
    figure = chart.figure
    edge = figure.bbox
    renderer = figure.canvas.get_renderer()
    texts = [chart.title, *chart.beyond_texts, chart.bottom.xaxis.label,
             *chart.bottom.get_yticklabels(), *chart.top.get_yticklabels()]
    for text in texts:
        box = text.get_window_extent(renderer)
        assert text.get_text() == "" or (box.x0 >= edge.x0 and box.x1 <= edge.x1), text.get_text()
