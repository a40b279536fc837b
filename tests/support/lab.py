"""A learner's JupyterLab in headless Chromium, for the browser tests.

`jupyter_lab(home, tmp)` starts JupyterLab on `home` with the learner's configuration
(lab/, as `make lab` adds it to JUPYTER_CONFIG_PATH) and nothing else of this machine's:
its own settings, runtime and home folders. `browser_page(artifacts)` opens Chromium
(Debian's `chromium`; Playwright's own download is not used). `Learner` drives the lab
as a learner would, through JupyterLab's command registry (`window.jupyterapp`, exposed by
`--LabApp.expose_app_in_browser`): every wait is on a condition, never a fixed sleep.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Only what the tests need: every cell rendered, so that cells below the fold are found.
# Nothing here hides a pop-up: lab/ alone must keep a learner's first open quiet.
TEST_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
}
# Every wait is on a condition; this bound only ends a test that would wait forever, so it
# is generous for a busy machine (Playwright's own default is 5 s).
TIMEOUT_MS = 180_000


def missing_tool(message: str) -> None:
    from conftest import missing_tool as fail_or_skip

    fail_or_skip(message)


def chromium_path() -> str:
    for candidate in (os.environ.get("COURSE_CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    missing_tool("Chromium is not installed. Install Debian's package: sudo apt-get install chromium "
                 "(or set COURSE_CHROMIUM to a Chromium executable).")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    url: str
    token: str
    home: Path
    log: Path

    def address(self, path: str = "lab") -> str:
        joiner = "&" if "?" in path else "?"
        return f"{self.url}/{path}{joiner}token={self.token}"


@contextmanager
def jupyter_lab(home: Path, tmp: Path, jupyter_config: Path | None = None, language: str = "en"):
    """JupyterLab serving `home`, with lab/'s configuration; `jupyter_config`: the
    learner's own Jupyter configuration folder (nbgrader's exchange), if any; `language`
    "fr": the French learner's lab, lab/fr/ first (as `make lab LANG=fr`)."""
    home.mkdir(parents=True, exist_ok=True)
    settings = tmp / "lab-settings"
    for name, text in TEST_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if jupyter_config is None:
        jupyter_config = tmp / "jupyter-config"
        jupyter_config.mkdir(exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    config_path = os.pathsep.join([str(ROOT / "lab" / "fr")] * (language == "fr") + [str(ROOT / "lab")])
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}",
               JUPYTER_CONFIG_DIR=str(jupyter_config), JUPYTER_CONFIG_PATH=config_path,
               JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), HOME=str(home))
    env.pop("COURSE_DIR", None)
    log_path = tmp / "lab.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={home}", "--allow-root",
         "--LabApp.expose_app_in_browser=True"],  # the tests drive JupyterLab's command registry
        cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a condition with a generous bound: start-up is slow on a busy machine
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n" + log_path.read_text())
                time.sleep(0.3)  # polling interval of the condition above, not a wait for an effect
        yield Lab(url, token, home, log_path)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@contextmanager
def browser_page(artifacts: Path, viewport: dict | None = None):
    """A Chromium page; `artifacts` is emptied first, and gets last-state.png at the end
    (what the page showed at the end, or at a failure)."""
    from playwright.sync_api import expect, sync_playwright

    executable = chromium_path()
    shutil.rmtree(artifacts, ignore_errors=True)
    artifacts.mkdir(parents=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=viewport or {"width": 1500, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            yield page
        finally:
            page.screenshot(path=str(artifacts / "last-state.png"))
            browser.close()


class Learner:
    """What the learner does, with a screenshot after each step.

    Opening menus and typing are where a loaded machine loses events (a key press that
    reaches the page before the widget that should take it has the focus). So the tests
    read and run JupyterLab's own model, as the menu items and keys would: the command
    registry opens panels and runs cells, each command's promise resolving when the work
    is done; cell text is set through the notebook's model. Buttons are clicked (Playwright
    waits until each is visible and enabled), and what the learner sees is read in the page.
    """

    def __init__(self, page, lab: Lab, artifacts: Path):
        self.page, self.lab, self.artifacts, self.step = page, lab, artifacts, 0

    def shot(self, name: str, full_page: bool = False) -> Path:
        self.step += 1
        path = self.artifacts / f"{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def open(self, path: str = "lab") -> None:
        self.page.goto(self.lab.address(path))
        self.wait_for_app()

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

    def command_started(self, command: str, args: dict | None = None) -> None:
        """Start a JupyterLab command without waiting for its promise (Run All's settles at
        the first failing cell, before the cells after it have run)."""
        self.page.evaluate("([command, args]) => { window.jupyterapp.commands.execute(command, args).catch(() => {}); }",
                           [command, args or {}])

    def open_notebook(self, path: str) -> None:
        """Open a notebook (as a double click in the file browser would) and wait for its kernel."""
        self.command("docmanager:open", {"path": path})
        self.page.wait_for_selector(".jp-Notebook .jp-Cell")
        self.wait_for_kernel()

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

    def validate(self, record_as: str):
        """Click nbgrader's Validate button (the notebook's toolbar), wait for its dialog and
        keep its text in the artifacts as `record_as`; returns (the dialog, its text)."""
        self.page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).click()
        dialog = self.page.locator(".jp-Dialog")
        dialog.wait_for()
        self.page.locator(".jp-Dialog-body").wait_for()
        report = dialog.inner_text()
        (self.artifacts / record_as).write_text(report, encoding="utf-8")
        return dialog, report

    @staticmethod
    def close_dialog(dialog) -> None:
        dialog.locator(".jp-Dialog-button").first.click()
        dialog.wait_for(state="detached")

    def wait_for_kernel(self, timeout: float = 180) -> None:
        """The open notebook's kernel is connected and idle."""
        self.page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
            " return !!k && k.connectionStatus === 'connected' && k.status === 'idle'; }",
            timeout=timeout * 1000)

    def set_file_browser(self, open_: bool) -> None:
        """Open or close the left side panel with the file browser, and wait until the
        notebook has taken the space it frees or gives."""
        self.page.evaluate(
            """(open) => {
                const shell = window.jupyterapp.shell;
                if (open) shell.activateById('filebrowser'); else shell.collapseLeft();
            }""", open_)
        self.page.wait_for_function(
            """(open) => {
                const panel = document.querySelector('#filebrowser');
                const shown = !!panel && panel.getBoundingClientRect().width > 0
                    && !panel.classList.contains('lm-mod-hidden');
                return shown === open;
            }""", arg=open_)

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

    def select_cell_with(self, marker: str) -> int:
        index = self.page.evaluate(
            """(marker) => {
                const nb = window.jupyterapp.shell.currentWidget.content;
                const i = nb.widgets.findIndex(c => c.model.sharedModel.getSource().includes(marker));
                if (i >= 0) nb.activeCellIndex = i;
                return i;
            }""", marker)
        assert index >= 0, f"no cell holds {marker!r}"
        return index

    def run_cell_with(self, marker: str) -> None:
        """Select the cell holding `marker` and run it (Shift+Enter's command), until it is done."""
        self.select_cell_with(marker)
        self.command("notebook:run-cell")

    def run_up_to(self, marker: str) -> None:
        """Run every cell above the one holding `marker`, then that one (Run > Run All Above,
        then Shift+Enter)."""
        self.select_cell_with(marker)
        self.command("notebook:run-all-above")
        self.select_cell_with(marker)
        self.command("notebook:run-cell")

    def cell_with(self, text: str):
        return self.page.locator(".jp-CodeCell", has=self.page.locator(".cm-content", has_text=text)).first

    def interruptions(self) -> dict:
        """What covers the notebook on a first open: dialogs, toasts, and whether the plugin
        that asks about Jupyter news is active at all (if it is not, it cannot ask later)."""
        return self.page.evaluate(
            """() => ({
                dialogs: Array.from(document.querySelectorAll('.jp-Dialog')).map(d => d.innerText),
                toasts: Array.from(document.querySelectorAll('.Toastify__toast, .jp-toast-message'))
                    .map(t => t.innerText),
                announcements: window.jupyterapp.hasPlugin('@jupyterlab/apputils-extension:announcements'),
            })""")
