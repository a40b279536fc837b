"""The learner's path in a real browser, end to end.

A trainer releases module 2 to a temporary nbgrader exchange. A learner opens JupyterLab
(with nbgrader's extensions) in headless Chromium, fetches the module from the Assignments
list, runs every cell, sees the privacy simulator rendered, changes the audience and sees
who can read the post change, answers an exercise, validates, and submits. The trainer
collects the submission and grades it with `course grade`; the gradebook must show the
answered exercise scored and an unanswered one not.

Screenshots of every step go to test-artifacts/browser/. Needs Debian's `chromium`
(Playwright's own browser download is not used): in CI a missing browser fails the test,
elsewhere it skips with the command to install it.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, missing_tool

from course.coursedir import run_nbgrader
from course.trainer.demo import prepare_course
from support.gradebook import cell_scores
from course.trainer.release import publish_to_exchange

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MODULE = "02-who-can-see-this-post"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# JupyterLab's news and update checks would open a pop-up over the notebook (and go online).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        '{"fetchNews": "false", "checkForUpdates": false}',
    # Render every cell, so the test finds cells below the fold.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
}


def chromium_path() -> str:
    for candidate in (os.environ.get("COURSE_CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    message = ("Chromium is not installed. Install Debian's package: sudo apt-get install chromium "
               "(or set COURSE_CHROMIUM to a Chromium executable).")
    missing_tool(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    settings = tmp / "lab-settings"
    for name, text in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}",
               JUPYTER_CONFIG_DIR=str(jupyter_config), JUPYTER_CONFIG_PATH=str(ROOT / "lab"),
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), HOME=str(learner))
    env.pop("COURSE_DIR", None)
    log = open(tmp / "lab.log", "w")
    server = subprocess.Popen(
        [str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={learner}", "--allow-root",
         "--LabApp.expose_app_in_browser=True"],  # the test drives JupyterLab's command registry
        cwd=learner, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a condition with a generous bound: start-up is slow on a busy machine
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n" + (tmp / "lab.log").read_text())
                time.sleep(0.3)
        yield {"url": url, "token": token, "trainer": trainer, "learner": learner, "exchange": exchange}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def page(classroom):
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        # Every wait is on a condition; these bounds only end a test that would wait forever,
        # so they are generous for a busy machine (expect's own default is 5 s).
        page.set_default_timeout(120_000)
        from playwright.sync_api import expect
        expect.set_options(timeout=120_000)
        yield page
        page.screenshot(path=str(ARTIFACTS / "last-state.png"))  # what the page showed at the end, or at a failure
        browser.close()


class Learner:
    """What the learner does, with a screenshot after each step.

    Opening menus and typing are where a loaded machine loses events (a key press that
    reaches the page before the widget that should take it has the focus). So the test
    reads and runs JupyterLab's own model, as the menu items and keys would: the command
    registry (`window.jupyterapp`, exposed by `--LabApp.expose_app_in_browser`) opens the
    Assignment List and runs cells, each command's promise resolving when the work is
    done; cell text is set through the notebook's model. Buttons are clicked (Playwright
    waits until each is visible and enabled), and what the learner sees is read in the page.
    """

    def __init__(self, page, classroom):
        self.page, self.room, self.step = page, classroom, 0

    def shot(self, name: str) -> Path:
        self.step += 1
        path = ARTIFACTS / f"{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def wait_for_app(self) -> None:
        """JupyterLab has loaded every extension and restored its layout."""
        self.page.wait_for_function("() => window.jupyterapp !== undefined")
        self.page.evaluate("async () => { await window.jupyterapp.restored; }")

    def command(self, command: str, args: dict | None = None):
        """Run a JupyterLab command, as its menu item or key would, and wait until it is done."""
        return self.page.evaluate(
            "async ([command, args]) => { const r = await window.jupyterapp.commands.execute(command, args);"
            " return r === undefined || r === null || typeof r !== 'object' ? r : null; }",
            [command, args or {}])

    def menu_items(self, menu: str) -> list[str]:
        """The labels of the items `menu` shows in the menu bar (read from the menu's model,
        so nothing needs opening)."""
        return self.page.evaluate(
            """(title) => {
                const bar = Array.from(window.jupyterapp.shell.widgets('menu')).find(w => Array.isArray(w.menus));
                const menu = bar && bar.menus.find(m => m.title.label === title);
                return menu ? menu.items.filter(i => i.type === 'command' && i.isVisible).map(i => i.label) : null;
            }""", menu)

    def close_menus(self) -> None:
        """Close the open drop-down menu through the menu bar (not a key press, which a busy
        page may deliver before the menu has the focus), and wait until none shows."""
        self.page.evaluate(
            """() => {
                const bar = Array.from(window.jupyterapp.shell.widgets('menu')).find(w => Array.isArray(w.menus));
                if (bar && bar.childMenu) bar.childMenu.close();
            }""")
        self.page.wait_for_function("() => !document.querySelector('.lm-Menu')")

    def wait_for_kernel(self, timeout: float = 120) -> None:
        """The open notebook's kernel is connected and idle."""
        self.page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
            " return !!k && k.connectionStatus === 'connected' && k.status === 'idle'; }",
            timeout=timeout * 1000)

    def answer(self, marker: str, code: str) -> None:
        """Replace the text of the cell holding `marker` by `code`, as typing would."""
        found = self.page.evaluate(
            """([marker, code]) => {
                const cells = window.jupyterapp.shell.currentWidget.content.widgets;
                const cell = cells.find(c => c.model.sharedModel.getSource().includes(marker));
                if (!cell) return false;
                cell.model.sharedModel.setSource(code);
                return true;
            }""", [marker, code])
        assert found, f"no cell holds {marker!r}"

    def run_cell_with(self, marker: str) -> None:
        """Select the cell holding `marker` and run it (Shift+Enter's command), until it is done."""
        index = self.page.evaluate(
            """(marker) => {
                const nb = window.jupyterapp.shell.currentWidget.content;
                const i = nb.widgets.findIndex(c => c.model.sharedModel.getSource().includes(marker));
                if (i >= 0) nb.activeCellIndex = i;
                return i;
            }""", marker)
        assert index >= 0, f"no cell holds {marker!r}"
        self.command("notebook:run-cell")

    def cell_with(self, text: str):
        return self.page.locator(".jp-CodeCell", has=self.page.locator(".cm-content", has_text=text)).first


def test_learner_fetches_works_validates_submits_and_is_graded(page, classroom):
    from playwright.sync_api import expect

    me = Learner(page, classroom)
    url, token = classroom["url"], classroom["token"]
    page.goto(f"{url}/lab?token={token}&reset")
    me.wait_for_app()
    me.shot("lab-opened")

    # The learner's lab (lab/, as in `make lab`) offers the learner's tools, not the trainer's:
    # the Nbgrader menu holds the Assignment List only, and the formgrader is not served.
    assert me.menu_items("Nbgrader") == ["Assignment List"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{url}/formgrader?token={token}", timeout=10)
    assert refused.value.code == 404
    # What the learner sees when opening that menu (for the screenshot; nothing waits on it).
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").wait_for()
    me.shot("learner-menu")
    me.close_menus()

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

    # Open it and run every cell (Run > Run All Cells), once the kernel is ready.
    page.goto(f"{url}/lab/tree/{MODULE}/{MODULE}.ipynb?token={token}")
    me.wait_for_app()
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    me.wait_for_kernel()
    me.command("notebook:run-all-cells")
    # Run All stops at the first exercise left unanswered; the simulator comes before it.
    simulator_cell = me.cell_with("simulator = build_simulator()")
    expect(simulator_cell.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"))

    # The simulator widget rendered (not the "Loading widget..." placeholder).
    audience = page.locator(".widget-dropdown", has=page.locator("label", has_text="Audience")).first
    audience.scroll_into_view_if_needed()
    summary = page.locator(".widget-html b", has_text="of your contacts can see this post").first
    # Friends, the default audience: most contacts can read the post.
    expect(summary).to_have_text(re.compile(r"^[1-9]\d* of your contacts can see this post"))
    before = summary.inner_text()
    me.shot("simulator-rendered")
    assert audience.locator("select").input_value() == "Friends"  # the DOM holds the labels

    audience.locator("select").select_option(label="Only me")
    expect(summary).to_have_text(re.compile(r"^0 of your contacts can see this post"))
    me.shot("simulator-after-change")
    assert summary.inner_text() != before

    # Answer exercise 6, run it and its test.
    answer = solution_of("answer_going_private")
    me.answer("going_private = ...", answer)
    me.run_cell_with(answer)
    me.run_cell_with("check.one_of(going_private")
    test_cell = me.cell_with("check.one_of(going_private")
    test_cell.scroll_into_view_if_needed()
    expect(test_cell.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"))
    me.shot("exercise-answered")
    assert "Error" not in test_cell.locator(".jp-OutputArea").inner_text()
    me.command("docmanager:save")
    saved = nbformat.read(notebook, as_version=4)
    assert any(answer in cell.source for cell in saved.cells), "the answer was not saved"

    # Validate: nbgrader runs the notebook and lists what still fails.
    page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=180_000)
    page.locator(".jp-Dialog-body").wait_for()
    me.shot("validated")
    report = dialog.inner_text()
    assert "holiday_settings" in report, "Validate should list the exercises still unanswered"
    dialog.locator("button", has_text="OK").or_(dialog.locator(".jp-Dialog-button")).first.click()

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
    assert scores["test_holiday_settings"].auto_score == 0
