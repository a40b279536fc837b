"""A French learner, once, in a real browser: JupyterLab in French (lab/fr/, as `make lab
LANG=fr`), the French edition of module 2: the menus read "Fichier", the module's title is
the French one, and a wrong answer's check speaks French (the catalogue's translation of the
test's message), in plain words.

Screenshots go to test-artifacts/browser/learner-fr/. Needs Debian's `chromium` (see
tests/support/lab.py) and the French edition of module 2 (`course translate`): while the
course releases English only (c.Course.editions), a module not translated yet is skipped.
"""

from __future__ import annotations

import ast

import pytest
from conftest import ROOT
from support.lab import ARTIFACTS, Learner, browser_page, jupyter_lab

from course.config import load
from course.coursedir import FRENCH, edition_name
from course.trainer import notebooks, translate
from course.trainer.release import generate

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MODULE = "02-who-can-see-this-post"
FRENCH_MODULE = edition_name(MODULE, FRENCH)
SHOTS = ARTIFACTS / "learner-fr"
WRONG_X = 'x_settings = {"network": "x", "protected": False}'
INTERNALS = ("Traceback", "course/learner", "site-packages", 'File "')
# The English message of test_x_settings for X posts left public: the check shows its French.
ENGLISH_MESSAGE = '"The posts are still public'


def french_message() -> tuple[str, str]:
    """The French of the test's message, as the catalogue has it, and the English."""
    catalog = translate.read_catalogue(translate.catalogue_path(ROOT, MODULE))
    message = next(m for m in catalog if m.id and m.id.startswith(ENGLISH_MESSAGE))
    return ast.literal_eval(message.string), ast.literal_eval(message.id)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    if not translate.french_path(ROOT, MODULE).is_file():
        assert FRENCH not in load(ROOT).course.editions, f"source/{FRENCH_MODULE}/ is missing: run `course translate`"
        pytest.skip(f"module 2 has no French edition yet (translations/fr/{MODULE}.po, `course translate`)")
    tmp = tmp_path_factory.mktemp("browser-fr")
    learner = tmp / "learner"
    learner.mkdir()
    generate(ROOT, [FRENCH_MODULE], learner)  # the learner's copy, as `course release` makes it
    with jupyter_lab(learner, tmp, language="fr") as lab:
        yield {"lab": lab, "learner": learner}


@pytest.fixture(scope="module")
def me(classroom):
    with browser_page(SHOTS) as page:
        yield Learner(page, classroom["lab"], SHOTS)


def test_a_french_learner_reads_the_lab_and_the_module_in_french(me, classroom):
    from playwright.sync_api import expect

    page = me.page
    me.open("lab?reset")
    menus = page.evaluate("""() => {
        const bar = Array.from(window.jupyterapp.shell.widgets('menu')).find(w => Array.isArray(w.menus));
        return bar ? bar.menus.map(m => m.title.label) : [];
    }""")
    me.shot("lab-in-french")
    assert "Fichier" in menus and "File" not in menus, menus

    me.open_notebook(f"{FRENCH_MODULE}/{FRENCH_MODULE}.ipynb")
    released = notebooks.read(classroom["learner"] / FRENCH_MODULE / f"{FRENCH_MODULE}.ipynb")
    title = translate._heading(released.cells[0].source)
    english = notebooks.read(ROOT / "source" / MODULE / f"{MODULE}.ipynb")
    assert title and title != translate._heading(english.cells[0].source), "the module's title is not translated"
    expect(page.locator(".jp-Notebook .jp-MarkdownOutput h1").first).to_contain_text(title)
    me.shot("module-2-in-french")

    # A wrong answer (X posts left public): the check says so in French, in plain words.
    me.run_up_to("x_settings = ...")
    me.answer("x_settings = ...", WRONG_X)
    me.run_cell_with(WRONG_X)
    me.run_cell_with('who_can_see_answer(x_settings, "x_settings")')
    test_cell = me.select_cell_with('who_can_see_answer(x_settings, "x_settings")')
    check = me.page.locator(".jp-Notebook .jp-Cell").nth(test_cell)
    message = check.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    expect(message).to_have_count(1)
    text = message.inner_text()
    check.screenshot(path=str(SHOTS / "wrong-answer-in-french.png"))
    french, english_text = french_message()
    assert french != english_text, "the message of test_x_settings is not translated in the catalogue"
    assert " ".join(french.split())[:40] in " ".join(text.split()), text
    assert english_text[:30] not in text, text
    assert not any(word in text for word in INTERNALS), text

    # Validate (nbgrader's button, which nbgrader leaves in English): it runs the saved
    # notebook and lists what fails, and the learner reads the same French words there.
    me.command("docmanager:save")
    dialog, report = me.validate("validate-dialog-fr.txt")
    me.shot("validated-in-french")
    assert " ".join(french.split())[:40] in " ".join(report.split()), report
    assert english_text[:30] not in report, report
    assert not any(word in report for word in INTERNALS), report
    me.close_dialog(dialog)
