"""Every HTML page and fragment the course writes is byte for byte the committed golden
file (tests/golden/*.html, otter-grader style), and user text in it is escaped.

The inputs are small and fixed (tests/golden/cases.py): no grading, so this runs in
seconds. After changing a page on purpose: `make golden`, then review the diff."""

from __future__ import annotations

import html

import jinja2
import pytest
from golden.cases import CERTIFICATE_KEY, FOLDER, HOSTILE, SHOW_USER_TEXT, render_all
from markupsafe import Markup

from course.templates import environment
from course.trainer.certificates import verify
from course.trainer.secret import SECRET_NAME

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
    assert html.escape(HOSTILE) in text, f"{name} does not show the user text, escaped"
    assert "<script>alert" not in text and '"&' not in text, f"{name} shows user text as markup"
    assert "<script" not in text.replace('<script type="application/json" id="certificate-data">', "")


def test_the_environment_escapes_keeps_markup_and_refuses_unknown_names():
    env = environment()
    assert env.autoescape is True
    assert env.from_string("<p>{{ x }}</p>").render(x=HOSTILE) == f"<p>{html.escape(HOSTILE)}</p>"
    assert env.from_string("<p>{{ x }}</p>").render(x=Markup("<b>HTML on purpose</b>")) == \
        "<p><b>HTML on purpose</b></p>"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ misspelt }}").render(spelt="")


@pytest.mark.parametrize("name", ["certificate", "certificate_hostile", "fr_certificate", "fr_certificate_hostile"])
def test_golden_certificates_verify(tmp_path, name):
    """Verifying renders a certificate again and compares the text: the golden ones (first
    written by the f-string code) still verify, quotes in names included."""
    (tmp_path / SECRET_NAME).write_text(CERTIFICATE_KEY.hex() + "\n", encoding="ascii")
    ok, why = verify(FOLDER / f"{name}.html", tmp_path)
    assert ok, why


def test_the_refresh_command_runs():
    # `make golden` is `python -m tests.golden.refresh` from the repository's root.
    import subprocess
    import sys

    from conftest import ROOT

    done = subprocess.run([sys.executable, "-c", "import tests.golden.refresh"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_french_certificate_issued_with_the_english_title_still_verifies(tmp_path):
    """French certificates once showed the course's English title (it is in their signed data)
    and wrote points with a decimal point (4.5; theirs have no "numbers" key): tests/golden/issued/
    keeps one as issued then; the page it renders to is still the same."""
    (tmp_path / SECRET_NAME).write_text(CERTIFICATE_KEY.hex() + "\n", encoding="ascii")
    issued = FOLDER / "issued" / "fr_certificate_english_title.html"
    assert "running your accounts well" in issued.read_text(encoding="utf-8")
    assert "4.5 / 4.5" in issued.read_text(encoding="utf-8")
    ok, why = verify(issued, tmp_path)
    assert ok, why
