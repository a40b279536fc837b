"""`course feedback`: one page per learner and module, with each check's message, and
never the code of a test (hidden or not), even when learner code tries to leak it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from course.cli import main
from course.coursedir import source_notebook
from course.trainer.feedback import feedback_path, write_feedback
from course.trainer.results import WITHHELD_MESSAGE, HiddenText, failure_message, read_answer
from support.trainer_cohort import ASSIGNMENTS as TEST_ASSIGNMENTS
from support.trainer_cohort import HOSTILE_NAME

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("trainer_cohort")  # one graded cohort for the four files
graded_cohort = pytest.mark.assignment


def hidden_regions(assignment: str) -> list[str]:
    nb = nbformat.read(str(source_notebook(ROOT, assignment)), as_version=4)
    found = []
    for cell in nb.cells:
        found += re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, re.S)
    return found


def visible_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.fixture(scope="session")
def course(trainer_cohort):
    """The shared graded cohort (tests/support/trainer_cohort.py): one learner with markup
    in their name, one whose first answer cell tries to leak the hidden tests."""
    out = trainer_cohort["settings"].root / "feedback"
    write_feedback(trainer_cohort["cohort"], out)
    return {**trainer_cohort, "out": out}


@graded_cohort
def test_every_handed_in_notebook_gets_a_page(course):
    for name in TEST_ASSIGNMENTS:
        for learner in course["learners"]:
            page = feedback_path(course["out"], learner.id, name)
            assert page.is_file(), f"no feedback page for {learner.id} ({learner.kind}) on {name}"
            text = visible_text(page.read_text(encoding="utf-8"))
            if learner.kind == "corrupt":
                assert "could not be graded" in text
            else:
                assert "Exercise by exercise" in text


@graded_cohort
def test_no_hidden_test_source_reaches_any_feedback_file(course):
    lines = {re.sub(r"\s+", "", ln) for name in TEST_ASSIGNMENTS for region in hidden_regions(name)
             for ln in region.splitlines()}
    lines = {ln for ln in lines if len(ln) >= 10}
    assert lines, "the test assignments have no hidden tests to look for"
    files = list(course["out"].rglob("*"))
    pages = [p for p in files if p.is_file()]
    assert len(pages) == len(course["learners"]) * len(TEST_ASSIGNMENTS)
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        for text in (raw, html.unescape(raw), visible_text(raw)):
            squeezed = re.sub(r"\s+", "", text)
            assert "HIDDENTESTS" not in squeezed, page
            leaked = [ln for ln in lines if ln in squeezed]
            assert not leaked, f"{page} shows hidden test code: {leaked[0]}"


@graded_cohort
def test_a_message_quoting_the_test_is_withheld(course):
    leaker, first = course["leaker"], TEST_ASSIGNMENTS[0]
    autograded = nbformat.read(str(course["settings"].autograded_dir / leaker.id / first
                                   / source_notebook(ROOT, first).name), as_version=4)
    evalues = [o.get("evalue", "") for c in autograded.cells if c.cell_type == "code" for o in c.outputs
               if o.get("output_type") == "error"]
    # The attack worked on the grader: a failure message carries the hidden tests...
    assert any("BEGIN HIDDEN TESTS" in v for v in evalues)
    # ...and the feedback page says the check failed without showing that message.
    page = feedback_path(course["out"], leaker.id, first).read_text(encoding="utf-8")
    assert WITHHELD_MESSAGE in visible_text(page)


@graded_cohort
def test_failed_checks_show_their_message_and_points(course):
    empty = next(ln for ln in course["learners"] if ln.kind == "empty")
    with Gradebook(course["settings"].db_url) as gb:
        for name in TEST_ASSIGNMENTS:
            nb_path = course["settings"].autograded_dir / empty.id / name / source_notebook(ROOT, name).name
            autograded = nbformat.read(str(nb_path), as_version=4)
            page = visible_text(feedback_path(course["out"], empty.id, name).read_text(encoding="utf-8"))
            module = course["cohort"].module(name)
            for ex in module.auto_exercises:
                cell = next(c for c in autograded.cells
                            if c.metadata.get("nbgrader", {}).get("grade_id") == ex.grade_id)
                errors = [o for o in cell.outputs if o.get("output_type") == "error"]
                assert errors, f"{ex.grade_id}: an untouched answer should fail its check"
                # `name` in a message is shown as code: compare without the backticks.
                assert errors[0]["evalue"].replace("`", "") in page
                grade = gb.find_grade(ex.grade_id, module.notebook, name, empty.id)
                assert grade.auto_score == 0
                assert f"0 / {grade.max_score:g}" in page


@graded_cohort
def test_learner_text_cannot_inject_markup(course):
    named = course["learners"][0]
    page = feedback_path(course["out"], named.id, TEST_ASSIGNMENTS[0]).read_text(encoding="utf-8")
    assert "<script" not in page
    assert html.escape(HOSTILE_NAME) in page


@graded_cohort
def test_command_writes_pages_for_one_assignment(course, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DIR", str(course["settings"].root))
    out = tmp_path / "fb"
    assert main(["feedback", TEST_ASSIGNMENTS[0][:2], "-o", str(out)]) == 0
    written = sorted(p.relative_to(out).parts[1] for p in out.rglob("index.html"))
    assert written == [TEST_ASSIGNMENTS[0]] * len(course["learners"])
    assert "feedback page" in capsys.readouterr().out


def test_an_unknown_assignment_is_a_trainer_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DIR", str(ROOT))
    assert main(["feedback", "99-no-such-module"]) == 2
    assert "Unknown assignment" in capsys.readouterr().err


def test_read_answer_reads_values_expressions_and_blanks():
    assert read_answer('# Replace ...\nwork_network = ...\n### BEGIN SOLUTION\nwork_network = "X"\n'
                       '### END SOLUTION') == read_answer('work_network = "X"')
    assert read_answer('work_network = "Facebook"').text == "'Facebook'"
    assert read_answer("count = ...").kind == "blank"
    assert read_answer("nets = {'b', 'a'}").text == "{'a', 'b'}"
    assert read_answer('rows = posts[posts["network"] == "X"]').kind == "expression"
    assert read_answer("count = (").kind == "unreadable"


def test_failure_message_speaks_plainly():
    assert failure_message([{"output_type": "error", "ename": "AnswerError",
                             "evalue": "\x1b[0mCount again."}]) == "Count again."
    assert "Run your answer cell" in failure_message([{"output_type": "error", "ename": "NameError",
                                                        "evalue": "name 'count' is not defined"}])
    assert failure_message([{"output_type": "stream", "name": "stdout", "text": "hi"}]) is None


def test_hidden_text_is_found_whatever_the_spacing():
    hidden = HiddenText(["visible()\n### BEGIN HIDDEN TESTS\ncheck.equal(count, 3, 'Count again.')\n"
                         "### END HIDDEN TESTS"])
    assert hidden.quoted_in("Error: check.equal( count,  3,\n 'Count again.')")
    assert not hidden.quoted_in("Count again.")
    assert not hidden.quoted_in("visible()")
