"""The learner's path in a real browser, end to end.

A trainer releases module 2 to a temporary nbgrader exchange. A learner opens JupyterLab
(with nbgrader's extensions and lab/'s configuration, nothing else) in headless Chromium:
nothing covers the page on the first open. The learner fetches the module from the
Assignments list, runs every cell of the untouched copy (Run All reaches the last cell),
sees the privacy simulator rendered, changes the audience and sees who can read the post
change; answers one exercise wrongly and reads one plain sentence, types a text without its
quotes and reads what to change; validates and reads the same plain sentence, no traceback;
answers another exercise right, and submits. The trainer collects the submission and
grades it with `course grade`: the right answer scores, the wrong and unanswered ones do not.

Screenshots of every step go to test-artifacts/browser/learner/. Needs Debian's `chromium`
(tests/support/lab.py): in CI a missing browser fails the test, elsewhere it skips with
the command to install it.
"""

from __future__ import annotations

import os
import re
import subprocess
import urllib.error
import urllib.request

import nbformat
import pytest
from conftest import ROOT
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from support.gradebook import cell_scores
from support.lab import ARTIFACTS, BIN, Learner, browser_page, jupyter_lab

from course.coursedir import run_nbgrader
from course.trainer.demo import prepare_course
from course.trainer.release import publish_to_exchange

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MODULE = "02-who-can-see-this-post"
SHOTS = ARTIFACTS / "learner"
# The exercise answered wrongly: X posts left public (right type, wrong content), then with a
# missing pair of quotes (a beginner's NameError).
WRONG_X = 'x_settings = {"network": "x", "protected": False}'
UNQUOTED_X = 'x_settings = {"network": x}'
# What a learner must never read: a traceback, or the course's own code.
INTERNALS = ("Traceback", "course/learner", "site-packages", 'File "')


def solution_of(answer_cell: str) -> str:
    """The model answer of one answer cell, from the source notebook (the test plays a
    learner who got this one right)."""
    nb = nbformat.read(ROOT / "source" / MODULE / f"{MODULE}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == answer_cell:
            solution = cell.source.split("### BEGIN SOLUTION\n", 1)[1].split("### END SOLUTION", 1)[0]
            return solution.strip()
    raise KeyError(answer_cell)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """A trainer's course folder with module 2 released to an exchange, and a learner's
    home with JupyterLab running on it."""
    tmp = tmp_path_factory.mktemp("browser")
    exchange, trainer, learner = tmp / "exchange", tmp / "trainer", tmp / "learner"
    exchange.mkdir(mode=0o777)
    learner.mkdir()
    prepare_course(ROOT, trainer, [MODULE])
    exchange_config = f"\nc.Exchange.root = {str(exchange)!r}\n"
    with open(trainer / "nbgrader_config.py", "a", encoding="utf-8") as f:
        f.write(exchange_config)
    publish_to_exchange(trainer, [MODULE])  # what `course release --exchange` does

    # The learner's Jupyter knows the exchange and the course, nothing of the trainer's folder.
    jupyter_config = tmp / "jupyter-config"
    jupyter_config.mkdir()
    (jupyter_config / "nbgrader_config.py").write_text(
        "c = get_config()\n" + exchange_config
        + "c.CourseDirectory.course_id = 'social-media-accounts'\n", encoding="utf-8")
    with jupyter_lab(learner, tmp, jupyter_config) as lab:
        yield {"lab": lab, "trainer": trainer, "learner": learner, "exchange": exchange}


@pytest.fixture(scope="module")
def me(classroom):
    with browser_page(SHOTS) as page:
        yield Learner(page, classroom["lab"], SHOTS)


def cell_index(me: Learner, grade_id: str) -> int:
    """The position of the cell nbgrader knows as `grade_id`, in the open notebook."""
    index = me.page.evaluate(
        """(id) => window.jupyterapp.shell.currentWidget.content.widgets.findIndex(
               c => (c.model.getMetadata('nbgrader') || {}).grade_id === id)""", grade_id)
    assert index >= 0, f"no cell {grade_id}"
    return index


def run_cell(me: Learner, grade_id: str, source: str | None = None):
    """Set the text of the cell `grade_id` (if given), run it, and return the cell's locator
    once it has run."""
    index = cell_index(me, grade_id)
    if source is not None:
        me.page.evaluate("([i, s]) => window.jupyterapp.shell.currentWidget.content.widgets[i]"
                         ".model.sharedModel.setSource(s)", [index, source])
    me.page.evaluate("(i) => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = i; }", index)
    me.command("notebook:run-cell")
    cell = me.page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    return cell


def error_outputs(me: Learner) -> list[str]:
    """The text of every error the open notebook shows, as the learner reads it."""
    return me.page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()


def assert_plain(text: str, where: str) -> None:
    assert not any(word in text for word in INTERNALS), f"{where} shows a traceback or course code:\n{text}"


def test_first_open_is_quiet_and_offers_the_learner_tools(me, classroom):
    lab = classroom["lab"]
    me.open("lab?reset")
    me.shot("lab-opened")
    # lab/ alone keeps the first open quiet (tests/support/lab.py sets no notification setting):
    # the plugin that asks "Would you like to get notified about official Jupyter news?" is off,
    # so it cannot ask later either, and no dialog or toast covers the page.
    assert me.interruptions() == {"dialogs": [], "toasts": [], "announcements": False}

    # The learner's lab (lab/, as in `make lab`) offers the learner's tools, not the trainer's:
    # the Nbgrader menu holds the Assignment List only, and the formgrader is not served.
    assert me.menu_items("Nbgrader") == ["Assignment List"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(lab.address("formgrader"), timeout=10)
    assert refused.value.code == 404
    # What the learner sees when opening that menu (for the screenshot; nothing waits on it).
    me.page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.click()
    me.page.locator(".lm-Menu-itemLabel", has_text="Assignment List").wait_for()
    me.shot("learner-menu")
    me.close_menus()


def test_learner_fetches_works_validates_submits_and_is_graded(me, classroom):
    from playwright.sync_api import expect

    page, lab = me.page, classroom["lab"]
    me.open()
    # Fetch the module from nbgrader's Assignments list (the menu item's command).
    me.command("nbgrader:open-assignment-list")
    fetch = page.locator("#released_assignments_list button", has_text="Fetch")
    fetch.wait_for()
    me.shot("assignment-list")
    fetch.click()
    page.locator("#fetched_assignments_list", has_text=MODULE).wait_for()
    me.shot("fetched")
    notebook = classroom["learner"] / MODULE / f"{MODULE}.ipynb"
    assert notebook.is_file(), "Fetch did not put the notebook in the learner's folder"

    # Open the untouched copy and Run All (Run > Run All Cells): answer and test cells carry
    # the raises-exception tag, so every cell runs, down to the last one.
    page.goto(lab.address(f"lab/tree/{MODULE}/{MODULE}.ipynb"))
    me.wait_for_app()
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    me.wait_for_kernel()
    # Run All's promise settles at the first failing cell while the kernel still works
    # through the others: wait until every code cell has run (or the bound says it never will).
    me.command_started("notebook:run-all-cells")
    counts = """() => window.jupyterapp.shell.currentWidget.content.widgets
                 .filter(c => c.model.type === 'code').map(c => c.model.executionCount)"""
    try:
        page.wait_for_function(f"() => ({counts})().every(n => n !== null)", timeout=180_000)
    except PlaywrightTimeout:
        pass
    me.wait_for_kernel()
    ran = page.evaluate(counts)
    assert ran and all(count is not None for count in ran), \
        f"Run All stopped: {sum(c is None for c in ran)} of {len(ran)} code cells did not run"
    errors = error_outputs(me)
    assert errors, "the unanswered exercises' checks should say so"
    for text in errors:
        assert_plain(text, "an unanswered exercise's check")
    page.locator(".jp-Notebook .jp-Cell").last.scroll_into_view_if_needed()
    me.shot("run-all-reached-the-end")
    # What an unanswered exercise's check says: one red line.
    unanswered = page.locator(".jp-Notebook .jp-Cell").nth(cell_index(me, "test_holiday_settings"))
    unanswered.scroll_into_view_if_needed()
    unanswered.screenshot(path=str(SHOTS / "unanswered-check.png"))
    said = unanswered.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").inner_text()
    assert said.strip().startswith("✗") and len(said.strip().splitlines()) <= 6, said

    # The simulator widget rendered (not the "Loading widget..." placeholder).
    audience = page.locator(".course-sim-facebook-audience select")
    audience.scroll_into_view_if_needed()
    summary = page.locator(".course-simulator .widget-html b", has_text="of your contacts can see this post").first
    # Friends, the default audience: most contacts can read the post.
    expect(summary).to_have_text(re.compile(r"^[1-9]\d* of your contacts can see this post"))
    before = summary.inner_text()
    me.shot("simulator-rendered")
    assert audience.input_value() == "Friends"  # the DOM holds the labels
    audience.select_option(label="Only me")
    expect(summary).to_have_text(re.compile(r"^0 of your contacts can see this post"))
    me.shot("simulator-after-change")
    assert summary.inner_text() != before

    # A wrong answer (X left public): its check says what is wrong in one red line.
    run_cell(me, "answer_x_settings", WRONG_X)
    check = run_cell(me, "test_x_settings")
    message = check.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    expect(message).to_have_count(1)
    text = message.inner_text().strip()
    check.screenshot(path=str(SHOTS / "wrong-answer-check.png"))
    assert text.startswith("✗ Not right yet.") and len(text.splitlines()) <= 6, text
    assert_plain(text, "the check of a wrong answer")

    # A text without its quotes: Python's NameError, in plain words, in one line.
    answer = run_cell(me, "answer_x_settings", UNQUOTED_X)
    message = answer.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    expect(message).to_have_count(1)
    text = message.inner_text().strip()
    answer.screenshot(path=str(SHOTS / "missing-quotes-nameerror.png"))
    assert text.startswith("NameError:") and "put it in quotes" in text and len(text.splitlines()) <= 6, text
    assert_plain(text, "a NameError")

    # The wrong answer again, and a right one for exercise 6; then save.
    run_cell(me, "answer_x_settings", WRONG_X)
    going_private = solution_of("answer_going_private")
    run_cell(me, "answer_going_private", going_private)
    passed = run_cell(me, "test_going_private")
    expect(passed.locator(".jp-OutputArea-output")).to_contain_text("✓ Right")
    me.shot("exercise-answered")
    me.command("docmanager:save")
    saved = nbformat.read(notebook, as_version=4)
    assert any(going_private in cell.source for cell in saved.cells), "the answer was not saved"
    assert any(WRONG_X in cell.source for cell in saved.cells), "the wrong answer was not saved"

    # Validate: nbgrader runs the notebook and lists what still fails, in the same plain words.
    dialog, report = me.validate("validate-dialog.txt")
    me.shot("validated")
    # The failure of the wrong answer, further down the dialog's list.
    dialog.get_by_text("The posts are still public").last.scroll_into_view_if_needed()
    me.shot("validated-wrong-answer")
    assert "Not right yet." in report and "The posts are still public" in report, report
    assert_plain(report, "Validate")
    me.close_dialog(dialog)

    # Submit from the Assignments list.
    me.command("nbgrader:open-assignment-list")
    submit = page.locator("#fetched_assignments_list button", has_text="Submit").first
    submit.wait_for()
    submit.click()
    page.locator("#submitted_assignments_list", has_text=MODULE).wait_for()
    me.shot("submitted")
    inbound = list((classroom["exchange"] / "social-media-accounts" / "inbound").iterdir())
    assert len(inbound) == 1, f"expected one submission in the exchange, found {inbound}"

    # The trainer collects and grades it with `course grade`.
    trainer = classroom["trainer"]
    run_nbgrader(["collect", MODULE], trainer, trainer)
    env = dict(os.environ, COURSE_DIR=str(trainer))
    graded = subprocess.run([str(BIN / "course"), "grade", MODULE, "--quiet"], cwd=trainer, env=env,
                            capture_output=True, text=True, timeout=600)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    learner_id = next((trainer / "submitted").iterdir()).name
    db_url = f"sqlite:///{trainer / 'gradebook.db'}"
    scores = cell_scores(db_url, MODULE, MODULE, learner_id)
    assert scores["test_going_private"].auto_score == scores["test_going_private"].max_score > 0
    assert scores["test_x_settings"].auto_score == 0
    assert scores["test_holiday_settings"].auto_score == 0
