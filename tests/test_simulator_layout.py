"""The privacy simulator is readable at 1280, 1440 and 1920 px wide in JupyterLab, with
the file browser open or closed, on every network (issue 15, item 6).

A learner's JupyterLab (lab/, tests/support/lab.py) opens module 2's release notebook in
headless Chromium and runs the cells up to the simulator. For each width, file-browser
state and network, the test measures every box the widget draws, in the page itself
(getBoundingClientRect, scrollWidth against clientWidth, the width of each dropdown's and
list's text against the room its control gives it):
- no element is wider than its parent, and no text runs out of its element;
- no element cuts its content (a label shortened to "Add locat", a list item to
  "close frier", a box that scrolls sideways);
- every dropdown's value and every list item fits its control;
- the chart's image is inside its output area and not shrunk below readability.
A screenshot of each width and state goes to test-artifacts/browser/layout/.
"""

from __future__ import annotations

import shutil

import pytest
from support.lab import ARTIFACTS, ROOT, Learner, browser_page, jupyter_lab

from course.learner.visibility import NETWORK_NAMES

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MODULE = "02-who-can-see-this-post"
SIMULATOR_CELL = "simulator = build_simulator()"
WIDTHS = (1280, 1440, 1920)
# Tall enough to show the whole simulator in a screenshot; the widths are what is tested.
HEIGHT = 1900
SHOTS = ARTIFACTS / "layout"
# The chart may shrink with its column, but not below this share of its drawn size
# (its 9-point labels would drop under about 7 px).
CHART_MIN_SCALE = 0.6
# The control that only the chosen network's panel has: the panel is shown when it is.
PANEL_MARK = {"facebook": "facebook-audience", "instagram": "instagram-share_to", "x": "x-protected",
              "linkedin": "linkedin-audience", "tiktok": "tiktok-audience", "whatsapp": "whatsapp-audience"}

# Everything measured in the page. `root` is the simulator's top element, `area` the output
# area it is drawn in. Returns one plain sentence per problem found.
MEASURE = """
([root, area, minScale]) => {
    const problems = [];
    const name = (el) => {
        const cls = Array.from(el.classList).filter(c => c.startsWith('course-sim') || c.startsWith('widget-')
            || c.startsWith('jupyter-widget')).slice(0, 3).join('.');
        const text = (el.innerText || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
        return `<${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}>${text ? ' "' + text + '"' : ''}`;
    };
    const shown = (el) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const SLACK = 1;  // sub-pixel rounding
    const elements = [root, ...root.querySelectorAll('*')].filter(el =>
        !['STYLE', 'SCRIPT', 'OPTION', 'BR'].includes(el.tagName) && shown(el));
    const outer = area.getBoundingClientRect();
    // Only the outermost element of an overflow is named: its children overflow with it.
    const flagged = new Set();
    const inside_flagged = (el) => {
        for (let a = el.parentElement; a; a = a.parentElement) if (flagged.has(a)) return true;
        return false;
    };
    for (const el of elements) {
        const r = el.getBoundingClientRect();
        const parent = el.parentElement;
        if (!inside_flagged(el)) {
            if (r.left < outer.left - SLACK || r.right > outer.right + SLACK) {
                flagged.add(el);
                problems.push(`outside the output area: ${name(el)} spans ${Math.round(r.left)}-${Math.round(r.right)}, the area ${Math.round(outer.left)}-${Math.round(outer.right)}`);
            } else if (el !== root && parent) {
                const p = parent.getBoundingClientRect();
                if (r.left < p.left - SLACK || r.right > p.right + SLACK) {
                    flagged.add(el);
                    problems.push(`wider than its parent: ${name(el)} spans ${Math.round(r.left)}-${Math.round(r.right)}, its parent ${name(parent)} ${Math.round(p.left)}-${Math.round(p.right)}`);
                }
            }
        }
        const style = getComputedStyle(el);
        if (el.tagName !== 'SELECT' && style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + SLACK)
            problems.push(`cuts its content: ${name(el)} shows ${el.clientWidth} px of ${el.scrollWidth}`);
        // Text that runs out of its own element (overflow visible: nothing cuts it, it spills).
        for (const node of el.childNodes) {
            if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            const t = range.getBoundingClientRect();
            if (t.width > 0 && (t.left < r.left - SLACK || t.right > r.right + SLACK))
                problems.push(`text runs out of its element: "${node.textContent.trim().slice(0, 40)}" in ${name(el)}`);
        }
    }
    // Dropdown values and list items: the text of each option against the room its control gives.
    const canvas = document.createElement('canvas').getContext('2d');
    for (const select of root.querySelectorAll('select')) {
        if (!shown(select)) continue;
        const s = getComputedStyle(select);
        canvas.font = s.font;
        const room = select.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)
            - (select.multiple ? 4 : 0);  // Chromium pads list items by 2 px a side
        const options = select.multiple ? Array.from(select.options)
            : Array.from(select.options).filter(o => o.selected);
        for (const option of options) {
            const width = canvas.measureText(option.text).width;
            if (width > room + SLACK)
                problems.push(`${select.multiple ? 'list item' : 'dropdown value'} cut: "${option.text}" needs ${Math.ceil(width)} px, ${name(select.parentElement)} gives ${Math.floor(room)}`);
        }
    }
    const images = Array.from(root.querySelectorAll('img')).filter(shown);
    if (images.length !== 1) problems.push(`expected one chart image, found ${images.length}`);
    for (const img of images) {
        const r = img.getBoundingClientRect();
        if (!img.complete || img.naturalWidth === 0) problems.push('the chart image is not loaded');
        else if (r.width < img.naturalWidth * minScale - SLACK)
            problems.push(`the chart is shrunk to ${Math.round(100 * r.width / img.naturalWidth)} % of its size`);
        if (Math.abs(r.width / r.height - img.naturalWidth / img.naturalHeight) > 0.02)
            problems.push('the chart is stretched');
    }
    if (area.scrollWidth > area.clientWidth + SLACK)
        problems.push(`the output area scrolls sideways: ${area.clientWidth} px shown of ${area.scrollWidth}`);
    return problems;
}
"""

# Resolves once the simulator and the notebook have kept the same size for two frames:
# JupyterLab lays out on animation frames after a resize or a panel opening.
SETTLED = """
async (root) => {
    const frame = () => new Promise(r => requestAnimationFrame(r));
    const size = () => {
        const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
        return JSON.stringify([root.getBoundingClientRect(), nb && nb.getBoundingClientRect()]);
    };
    let last = size();
    for (let stable = 0; stable < 2;) {
        await frame();
        const now = size();
        stable = now === last ? stable + 1 : 0;
        last = now;
    }
}
"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("layout")
    home = tmp / "learner"
    (home / MODULE).mkdir(parents=True)
    shutil.copy(ROOT / "release" / MODULE / f"{MODULE}.ipynb", home / MODULE)
    with jupyter_lab(home, tmp) as lab:
        yield lab


@pytest.fixture(scope="module")
def learner(lab):
    with browser_page(SHOTS, {"width": WIDTHS[0], "height": HEIGHT}) as page:
        me = Learner(page, lab, SHOTS)
        me.open()
        yield me


class Simulator:
    """The simulator as drawn in the page."""

    def __init__(self, me: Learner):
        self.me, self.page = me, me.page
        self.root = self.page.locator(".course-simulator").first
        self.area = self.page.locator(".jp-OutputArea-output", has=self.root).first

    def settle(self) -> None:
        self.page.evaluate(SETTLED, self.root.element_handle())

    def chart_loaded(self) -> str:
        """Waits until the chart's image is loaded, and returns its address (a new chart, a new one)."""
        self.page.wait_for_function(
            "(root) => { const img = root.querySelector('img'); return img && img.complete && img.naturalWidth > 0; }",
            arg=self.root.element_handle())
        return self.root.locator("img").first.get_attribute("src")

    def choose(self, control: str, label: str) -> None:
        """Pick `label` in a dropdown, as a learner would, and wait until the kernel has
        redrawn the simulator (a new chart image)."""
        select = self.page.locator(f".course-sim-{control} select")
        # ipywidgets writes a dropdown's spaces as no-break spaces.
        if select.evaluate("(s) => s.options[s.selectedIndex].text.replace(/\\u00a0/g, ' ')") == label:
            return
        before = self.chart_loaded()
        select.select_option(label=label)
        self.page.wait_for_function(
            "([root, before]) => { const img = root.querySelector('img');"
            " return img && img.getAttribute('src') !== before && img.complete && img.naturalWidth > 0; }",
            arg=[self.root.element_handle(), before])
        self.settle()

    def pick(self, control: str, labels: list[str]) -> None:
        """Select `labels` in a list (as a learner ctrl-clicks them), and wait for the redraw."""
        before = self.chart_loaded()
        self.page.locator(f".course-sim-{control} select").select_option(label=labels)
        self.page.wait_for_function(
            "([root, before]) => { const img = root.querySelector('img');"
            " return img && img.getAttribute('src') !== before && img.complete && img.naturalWidth > 0; }",
            arg=[self.root.element_handle(), before])
        self.settle()

    def problems(self) -> list[str]:
        self.settle()
        return self.page.evaluate(MEASURE, [self.root.element_handle(), self.area.element_handle(), CHART_MIN_SCALE])

    def shot(self, name: str) -> None:
        self.root.scroll_into_view_if_needed()
        self.page.evaluate("(root) => root.scrollIntoView({block: 'start'})", self.root.element_handle())
        self.settle()
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))


def networks_in(simulator: Simulator) -> list[str]:
    """The networks the simulator's network control offers, by their names as shown."""
    options = simulator.page.locator(".course-sim-network select option").all_inner_texts()
    return [t.replace("\u00a0", " ") for t in options]


def test_the_simulator_fits_every_width_with_the_file_browser_open_or_closed(learner):
    me = learner
    # lab/ alone keeps the first open quiet: no news question, no dialog (tests/support/lab.py
    # sets no notification setting).
    quiet = me.interruptions()
    assert quiet == {"dialogs": [], "toasts": [], "announcements": False}, quiet
    me.open_notebook(f"{MODULE}/{MODULE}.ipynb")
    me.run_up_to(SIMULATOR_CELL)
    sim = Simulator(me)
    sim.root.wait_for()
    sim.chart_loaded()
    offered = networks_in(sim)
    assert set(offered) >= set(NETWORK_NAMES.values()) and "WhatsApp" in offered, offered
    # A tag: the notes and the chart's lower panel have the most to say.
    sim.pick("tags", ["Anna R."])

    found: dict[str, list[str]] = {}
    for width in WIDTHS:
        me.page.set_viewport_size({"width": width, "height": HEIGHT})
        for browser_open in (True, False):
            me.set_file_browser(browser_open)
            sim.settle()
            state = f"{width}px-files-{'open' if browser_open else 'closed'}"
            for network in offered:
                key = next(k for k, v in NETWORK_NAMES.items() if v == network)
                sim.choose("network", network)
                me.page.locator(f".course-sim-{PANEL_MARK[key]}").wait_for()
                if key == "facebook":
                    # Both friend lists show with Custom: Facebook's fullest panel.
                    sim.choose("facebook-audience", "Custom")
                    if not me.page.locator(".course-sim-facebook-specific select").evaluate(
                            "(s) => s.selectedOptions.length"):
                        sim.pick("facebook-specific", ["family", "close friend", "list: Close Friends"])
                if key == "whatsapp":
                    sim.choose("whatsapp-audience", "My contacts except...")
                    if not me.page.locator(".course-sim-whatsapp-except select").evaluate(
                            "(s) => s.selectedOptions.length"):
                        sim.pick("whatsapp-except", ["manager", "client"])
                found[f"{state} {network}"] = sim.problems()
                sim.shot(f"{state}-{key}")
            sim.choose("network", "Facebook")
            sim.choose("facebook-audience", "Friends")
    failures = {where: problems for where, problems in found.items() if problems}
    assert not failures, "\n".join(f"{where}:\n  " + "\n  ".join(problems) for where, problems in failures.items())
