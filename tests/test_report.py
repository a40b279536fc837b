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
    assert sorted(images) == ["completion.png", "exercises.png", "knowledge.png", "scores.png", "timing.png"]
    for image in images:
        data = (course["out"] / image).read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 5000, image


@graded_cohort
def test_command_writes_the_report(course, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DIR", str(course["settings"].root))
    assert main(["report", "-o", str(tmp_path / "r")]) == 0
    again = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert again == course["stats"]
    assert Counter(p.suffix for p in (tmp_path / "r").iterdir()) == {".png": 5, ".html": 1, ".json": 1}


def test_a_course_without_gradebook_is_a_trainer_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "source").mkdir()
    (tmp_path / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text(encoding="utf-8"))
    monkeypatch.setenv("COURSE_DIR", str(tmp_path))
    assert main(["report", "-o", str(tmp_path / "r")]) == 2
    assert "No gradebook" in capsys.readouterr().err
    assert not (tmp_path / "gradebook.db").exists()


# --- Knowledge before and after, and the charters' rules (no grading: cohorts built here) ----

from course.learner import knowledge as learner_knowledge  # noqa: E402
from course.trainer.intervals import paired_change, wilson  # noqa: E402
from course.trainer.knowledge import KnowledgeAnswer  # noqa: E402
from course.trainer.report import cohort_statistics, knowledge_statistics  # noqa: E402
from support.knowledge_notebooks import a_cohort, a_notebook, write_bank  # noqa: E402


@pytest.mark.parametrize("right, n, low, high", [
    # Newcombe, Statistics in Medicine 17 (1998) 857-872, Table I, method 3 (Wilson's score interval)
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718),
])
def test_wilson_interval_matches_published_values(right, n, low, high):
    got = wilson(right, n)
    assert got == pytest.approx((low, high), abs=5e-5)


def test_wilson_interval_without_data_or_with_impossible_counts():
    assert wilson(0, 0) is None
    with pytest.raises(ValueError, match="between 0 and n"):
        wilson(4, 3)


def test_bootstrap_over_learners_spans_the_learners_own_changes():
    """Two learners: a resample is one of them twice (probability 1/4 each) or both, so the
    2.5th and 97.5th percentiles are the two learners' own changes."""
    low, high = paired_change([(1, 3, 3), (2, 3, 3)])   # +2/3 and +1/3
    assert (low, high) == pytest.approx((1 / 3, 2 / 3))
    assert paired_change([(1, 2, 4)] * 5) == pytest.approx((0.25, 0.25))  # no spread: a point
    assert paired_change([(1, 3, 3), (2, 3, 3)]) == (low, high)  # fixed seed: the same on every run
    assert paired_change([]) is None and paired_change([(0, 0, 0)]) is None


def marks(learner_id, assignment, before, after):
    return [KnowledgeAnswer(learner_id, assignment, phase, n, None if m is None else "a",
                            None if m is None else bool(m), None)
            for phase, row in (("before", before), ("after", after)) for n, m in enumerate(row, start=1)]


def test_knowledge_shares_are_paired_and_counted_by_hand(tmp_path):
    cohort = a_cohort(tmp_path, {"l1": None, "l2": None, "l3": None, "l4": None})
    answers = (marks("l1", "99-sample", [1, 0, 0], [1, 1, 1])            # +2 of 3
               + marks("l2", "99-sample", [0, 0, 1], [1, 0, 1])          # +1 of 3
               + marks("l3", "99-sample", [1, 1, None], [None] * 3)      # never after: left out
               + marks("l4", "99-sample", [0, None, 1], [1, 1, 0])       # q2 only after: q1, q3 count
               + marks("l1", "98-not-in-this-report", [1, 1, 1], [1, 1, 1]))
    [m] = knowledge_statistics(cohort, answers)
    # Paired answers: 3 + 3 + 2 = 8; right before 1 + 1 + 1 = 3, after 3 + 2 + 1 = 6.
    assert (m["assignment"], m["questions"], m["learners"], m["answers"]) == ("99-sample", 3, 3, 8)
    assert (m["before"]["right"], m["before"]["share"]) == (3, 3 / 8)
    assert (m["after"]["right"], m["after"]["share"]) == (6, 6 / 8)
    assert (m["before"]["low"], m["before"]["high"]) == wilson(3, 8)
    assert m["change"]["share"] == 3 / 8
    # Each learner's own change: +2/3, +1/3, 0. A resample of one learner three times has
    # probability 1/27 > 2.5 %, so the interval runs from l4's change to l1's.
    assert (m["change"]["low"], m["change"]["high"]) == pytest.approx((0.0, 2 / 3))


def test_a_module_answered_only_before_shows_no_share(tmp_path):
    cohort = a_cohort(tmp_path, {"l1": None})
    [m] = knowledge_statistics(cohort, marks("l1", "99-sample", [1, 0, 1], [None] * 3))
    assert (m["learners"], m["answers"], m["before"]["share"], m["change"]["low"]) == (0, 0, None, None)
    assert knowledge_statistics(cohort, []) == []


def test_report_shows_knowledge_from_the_graded_notebooks(tmp_path, monkeypatch):
    monkeypatch.setattr(learner_knowledge, "QUESTIONS_DIR", write_bank(tmp_path / "bank"))  # right: b, c, a
    cohort = a_cohort(tmp_path / "course", {
        "l1": a_notebook(('"b"', '"a"', '"b"'), ('"b"', '"c"', '"a"')),    # 1 right before, 3 after
        "l2": a_notebook(('"a"', '"c"', "..."), ('"b"', '"c"', '"b"')),    # q3 unanswered before
    })
    out = tmp_path / "report"
    write_report(cohort, out)
    stats = json.loads((out / "report.json").read_text(encoding="utf-8"))
    [m] = stats["knowledge"]
    assert (m["learners"], m["answers"], m["before"]["right"], m["after"]["right"]) == (2, 5, 2, 5)
    assert (out / "knowledge.png").read_bytes().startswith(PNG_MAGIC)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Knowledge is not behaviour." in page and "d = 0.36" in page and "Prümmer" in page
    assert '<img src="knowledge.png"' in page
    assert "40 %" in page and "100 %" in page  # 2 of 5 before, 5 of 5 after


def test_report_without_knowledge_checks_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(learner_knowledge, "QUESTIONS_DIR", tmp_path / "no-bank")
    cohort = a_cohort(tmp_path / "course", {"l1": a_notebook(('"b"', '"a"', '"b"'))})
    stats = cohort_statistics(cohort)
    assert stats["knowledge"] == []
    out = tmp_path / "report"
    write_report(cohort, out)
    assert "No module of this report has a knowledge check answered yet." in (out / "index.html").read_text()
    assert (out / "knowledge.png").read_bytes().startswith(PNG_MAGIC)


@graded_cohort
def test_knowledge_shares_are_what_the_learners_wrote(course):
    """The report's paired counts, recomputed from the answers each synthetic learner wrote
    into its notebook before nbgrader graded it (modules without a question bank have none)."""
    expected = {}
    for name in TEST_ASSIGNMENTS:
        given = [ln.knowledge[name] for ln in course["learners"] if name in ln.knowledge and ln.kind != "corrupt"]
        if not any(name in ln.knowledge for ln in course["learners"]):
            continue
        paired = [(n, phases["before"][n], phases["after"][n]) for phases in given for n in phases["before"]
                  if phases["before"][n] is not None and phases["after"][n] is not None]
        expected[name] = (len(paired), sum(learner_knowledge.is_right(name, n, b) for n, b, _ in paired),
                          sum(learner_knowledge.is_right(name, n, a) for n, _, a in paired))
    got = {m["assignment"]: (m["answers"], m["before"]["right"], m["after"]["right"])
           for m in course["stats"]["knowledge"]}
    assert got == expected


def plot_texts(stats: dict, folder: Path, monkeypatch) -> set[str]:
    """Every text the report's plots draw for `stats` once saved: titles, axis labels, tick
    labels, legends, notes."""
    from matplotlib.text import Text

    from course.trainer import report

    figures, save = [], report._save
    monkeypatch.setattr(report, "_save", lambda fig, path: figures.append(fig) or save(fig, path))
    folder.mkdir()
    for plot in (report.plot_completion, report.plot_scores, report.plot_exercises, report.plot_timing,
                 report.plot_knowledge):
        plot(stats, folder / f"{plot.__name__}.png")
    return {text.get_text() for fig in figures for text in fig.findobj(Text)} - {""}


@pytest.mark.parametrize("empty", [False, True], ids=["cohort", "empty"])
def test_a_french_reports_plots_have_no_english_left(tmp_path, monkeypatch, empty):
    """The same cohort plotted in English and in French: no text with English words is in
    both, apart from the module names (data) and "module" (the same word in French)."""
    from collections import Counter

    from golden.cases import CHARTER_RULES, french_cohort, knowledge_answers

    from course.trainer.charter_choices import rule_counts
    from course.trainer.report import cohort_statistics, in_language
    from course.trainer.results import Cohort

    cohort = french_cohort()
    if empty:
        cohort = Cohort(cohort.settings, [], [], {})

    def statistics() -> dict:
        return cohort_statistics(cohort, [] if empty else knowledge_answers(), rule_counts(6, Counter(CHARTER_RULES)))

    english = plot_texts(statistics(), tmp_path / "en", monkeypatch)
    french = plot_texts(in_language(statistics(), cohort, "fr"), tmp_path / "fr", monkeypatch)
    modules = [m.name for m in cohort.modules]

    def english_words(text: str) -> set[str]:
        for name in modules:
            text = text.replace(name, "")
        return set(re.findall(r"[A-Za-z]{2,}", text)) - {"module"}

    assert not {text for text in english & french if english_words(text)}
    if empty:
        assert {"no graded submission yet", "no hand-in times or deadlines"} <= english
        assert {"aucun rendu corrigé pour l'instant", "ni heures de rendu ni échéances"} <= french
    else:
        assert {"% of the 5 learners", "pass mark", "deadline"} <= english
        assert {"% des 5 apprenants", "seuil de validation", "échéance", "Connaissances : bonnes réponses avant et "
                "après chaque module", "01 · Audience d'une publication"} <= french
