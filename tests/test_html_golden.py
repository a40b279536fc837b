"""Every HTML page and fragment the course writes is byte for byte the committed golden
file (tests/golden/*.html, otter-grader style), and user text in it is escaped.

The inputs are small and fixed (tests/golden/cases.py): no grading, so this runs in
seconds. After changing a page on purpose: `make golden`, then review the diff."""

from __future__ import annotations

import html

import pytest
from golden.cases import FOLDER, HOSTILE, SHOW_USER_TEXT, render_all

REFRESH = "make golden (or .venv/bin/python -m tests.golden.refresh), then review `git diff tests/golden/`"


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return render_all()


def test_every_golden_file_is_rendered_and_nothing_else(rendered):
    committed = {p.stem for p in FOLDER.glob("*.html")}
    assert committed == set(rendered), (
        f"golden files without a case: {sorted(committed - set(rendered))}; cases without a golden file: "
        f"{sorted(set(rendered) - committed)}. To refresh: {REFRESH}")


@pytest.mark.parametrize("name", sorted(p.stem for p in FOLDER.glob("*.html")))
def test_page_is_byte_for_byte_its_golden_file(rendered, name):
    expected = (FOLDER / f"{name}.html").read_bytes()
    got = rendered[name].encode("utf-8")
    if got != expected:
        at = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
        pytest.fail(f"{name}.html differs from the golden file from byte {at}:\n"
                    f"  golden: {expected[max(0, at - 60):at + 60]!r}\n"
                    f"  now:    {got[max(0, at - 60):at + 60]!r}\n"
                    f"If the change is intended: {REFRESH}", pytrace=False)


@pytest.mark.parametrize("name", SHOW_USER_TEXT)
def test_user_text_is_escaped(rendered, name):
    """A learner's name, answer or message, a charter's text, a contact's name: shown as
    text, never as markup, whatever page or fragment shows it."""
    text = rendered[name]
    # The charter preview shows the text as Python writes it (\' for '), the others as typed.
    shown = repr(HOSTILE)[1:-1] if name.startswith("charter_preview") else HOSTILE
    assert html.escape(shown) in text, f"{name} does not show the user text, escaped"
    assert "<script>alert" not in text and '"&' not in text, f"{name} shows user text as markup"
    assert "<script" not in text.replace('<script type="application/json" id="certificate-data">', "")
