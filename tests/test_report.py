"""`course report`: the numbers of the report are the gradebook's, the hardest exercise
is named first, wrong answers are the learners' own, and the plots are real PNGs."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from nbgrader.api import Gradebook, MissingEntry

from course.cli import main
from course.trainer.report import write_report
from course.trainer.results import read_answer
from course.trainer.synthetic import wrong_answers
from support.trainer_cohort import ASSIGNMENTS as TEST_ASSIGNMENTS

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("trainer_cohort")  # one graded cohort for the four files
graded_cohort = pytest.mark.assignment
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="session")
def course(trainer_cohort, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    index = write_report(trainer_cohort["cohort"], out)
    return {**trainer_cohort, "out": out, "index": index,
            "stats": json.loads((out / "report.json").read_text(encoding="utf-8"))}


def gradebook_numbers(db_url: str, learners) -> dict:
    """Per module and per auto-graded exercise, counted straight from nbgrader's gradebook."""
    modules, exercises = {}, {}
    with Gradebook(db_url) as gb:
        for name in TEST_ASSIGNMENTS:
            notebook = gb.find_assignment(name).notebooks[0]
            solutions = {c.name for c in notebook.solution_cells}
            auto = [c for c in notebook.grade_cells if c.cell_type == "code" and c.name not in solutions]
            auto_max = sum(c.max_score for c in auto)
            submitted = graded = passed = late = 0
            per_cell = {c.name: [0, 0] for c in auto}  # full marks, graded
            for learner in learners:
                try:
                    sub = gb.find_submission(name, learner.id)
                except MissingEntry:
                    continue
                submitted += 1
                late += sub.total_seconds_late > 0
                scores = {c.name: gb.find_grade(c.name, notebook.name, name, learner.id).auto_score for c in auto}
                if all(s is None for s in scores.values()):
                    continue
                graded += 1
                passed += sum(scores.values()) >= 0.8 * auto_max
                for c in auto:
                    per_cell[c.name][0] += scores[c.name] >= c.max_score
                    per_cell[c.name][1] += 1
            modules[name] = {"submitted": submitted, "graded": graded, "passed": passed, "late": late}
            for gid, (full, n) in per_cell.items():
                exercises[(name, gid)] = (full, n)
    return {"modules": modules, "exercises": exercises}


@graded_cohort
def test_module_numbers_match_the_gradebook(course):
    expected = gradebook_numbers(course["settings"].db_url, course["learners"])["modules"]
    n = len(course["learners"])
    assert course["stats"]["learners"] == n
    for module in course["stats"]["modules"]:
        want = expected[module["assignment"]]
        got = {k: module[k] for k in want}
        assert got == want, module["assignment"]
        assert module["completion_rate"] == pytest.approx(want["graded"] / n)
        assert module["pass_rate"] == pytest.approx(want["passed"] / n)
        assert len(module["hours_from_deadline"]) == want["submitted"]


@graded_cohort
def test_exercise_success_rates_match_the_gradebook_hardest_first(course):
    expected = gradebook_numbers(course["settings"].db_url, course["learners"])["exercises"]
    rows = course["stats"]["exercises"]
    assert {(e["assignment"], e["grade_id"]) for e in rows} == set(expected)
    for e in rows:
        full, n = expected[(e["assignment"], e["grade_id"])]
        assert (e["full_marks"], e["attempted"]) == (full, n)
        assert e["success_rate"] == pytest.approx(full / n)
    rates = [e["success_rate"] for e in rows]
    assert rates == sorted(rates)
    assert course["stats"]["hardest"] == rows[0]


@graded_cohort
def test_the_hardest_exercise_is_named_before_anything_else(course):
    page = course["index"].read_text(encoding="utf-8")
    hardest = course["stats"]["hardest"]
    headline = page[: page.index("<h2>")]
    assert "The idea the cohort did not get" in headline
    assert hardest["grade_id"] in headline and f"{100 * hardest['success_rate']:.0f} %" in headline
    if hardest["wrong_answers"]:
        assert hardest["wrong_answers"][0][0] in html.unescape(headline)


@graded_cohort
def test_wrong_answers_are_the_ones_learners_gave(course):
    # course.trainer.synthetic records which learners got the plausible wrong answer of each exercise;
    # the report must count exactly those (the ones written as a plain value).
    graded = [ln for ln in course["learners"] if ln.kind != "corrupt"]
    checked = 0
    for name in TEST_ASSIGNMENTS:
        for test_id, entries in wrong_answers(name).items():
            for wrong in entries:
                answer = read_answer(wrong["code"])
                if answer.kind != "value":
                    continue
                gave_it = sum(ln.wrong_code.get(test_id) == wrong["code"] for ln in graded)
                row = next(e for e in course["stats"]["exercises"] if (e["assignment"], e["grade_id"]) == (name, test_id))
                counted = dict((text, n) for text, n in row["wrong_answers"]).get(answer.text, 0)
                assert counted == gave_it, f"{name}/{test_id}: {answer.text}"
                checked += gave_it
    assert checked > 0, "the cohort should hold at least one wrong answer given as a value"


@graded_cohort
def test_plots_are_pngs_the_page_shows(course):
    page = course["index"].read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', page)
    assert sorted(images) == ["completion.png", "exercises.png", "scores.png", "timing.png"]
    for image in images:
        data = (course["out"] / image).read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 5000, image


@graded_cohort
def test_command_writes_the_report(course, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DIR", str(course["settings"].root))
    assert main(["report", "-o", str(tmp_path / "r")]) == 0
    again = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert again == course["stats"]
    assert Counter(p.suffix for p in (tmp_path / "r").iterdir()) == {".png": 4, ".html": 1, ".json": 1}


def test_a_course_without_gradebook_is_a_trainer_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "source").mkdir()
    (tmp_path / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text(encoding="utf-8"))
    monkeypatch.setenv("COURSE_DIR", str(tmp_path))
    assert main(["report", "-o", str(tmp_path / "r")]) == 2
    assert "No gradebook" in capsys.readouterr().err
    assert not (tmp_path / "gradebook.db").exists()
