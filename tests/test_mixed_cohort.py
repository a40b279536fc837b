"""A cohort where some learners work in French and the others in English, graded as one:
one module per pair of editions, one row per learner with the language handed in, feedback
and certificates in each learner's language. The French edition here is a stand-in
translation (tests/support/editions.py), generated as `course translate` does."""

from __future__ import annotations

import csv
import io

import pytest
from support.editions import course_copy, pseudo_translate

from course.coursedir import edition_name, source_notebook
from course.trainer import notebooks, translate
from course.trainer.certificates import verify, write_certificates
from course.trainer.demo import build_cohort_course
from course.trainer.export import to_csv
from course.trainer.feedback import write_feedback
from course.trainer.results import load_cohort
from course.trainer.synthetic import make_learners

MODULE = "00-getting-started"
FRENCH = edition_name(MODULE, "fr")


def test_a_learners_latest_hand_in_across_editions_counts():
    from datetime import datetime

    from course.trainer.results import Exercise, Module, Submission, one_module_per_edition_pair

    def module(name, title, heading):
        return Module(name, title, name, None, [Exercise(name, "test_a", 1, heading, 2.0, True, "answer_a")])

    def handed(assignment, day, score):
        return Submission("ann", assignment, datetime(2026, 11, day), 0.0, True, {"test_a": score})

    modules, subs = one_module_per_edition_pair(
        [module(MODULE, "Getting started", "Exercise 1"), module(FRENCH, "Premiers pas", "Exercice 1")],
        {("ann", MODULE): handed(MODULE, 2, 0.0), ("ann", FRENCH): handed(FRENCH, 3, 2.0),
         ("bob", FRENCH): handed(FRENCH, 1, 1.0)})
    (merged,) = modules
    assert (merged.name, merged.title, merged.title_in("fr")) == (MODULE, "Getting started", "Premiers pas")
    assert merged.exercises[0].assignment == MODULE
    assert merged.exercise_title(merged.exercises[0], "fr") == "Exercice 1"
    assert sorted(subs) == [("ann", MODULE), ("bob", MODULE)]
    assert subs[("ann", MODULE)].language == "fr" and subs[("ann", MODULE)].scores == {"test_a": 2.0}
    assert subs[("bob", MODULE)].assignment == FRENCH


def test_the_courses_own_words_on_a_failed_check_follow_the_edition():
    from course.trainer.results import failure_message

    crashed = [{"output_type": "error", "ename": "NameError", "evalue": "name 'x' is not defined"}]
    assert failure_message(crashed).startswith("Python does not know a name used here (name 'x'")
    assert failure_message(crashed, "fr").startswith("Python ne connaît pas un nom utilisé ici (name 'x'")
    assert failure_message([{"output_type": "error", "ename": "AssertionError", "evalue": ""}], "fr") == (
        "Cette vérification a échoué ; relisez l'exercice et votre réponse.")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mixed")
    root = course_copy(tmp / "source-course", [MODULE])
    english = notebooks.read(source_notebook(root, MODULE))
    catalog = translate.updated_catalogue(MODULE, english, "here", None)
    pseudo_translate(catalog)
    path = translate.french_path(root, MODULE)
    path.parent.mkdir(parents=True)
    notebooks.write(translate.french_notebook(root, MODULE, english, catalog), path)
    learners = make_learners(9)
    settings = build_cohort_course(root, tmp / "course", learners, names=[MODULE, FRENCH])
    cohort, _ = load_cohort(settings.root, settings=settings)
    return settings, cohort, learners


@pytest.mark.slow
def test_the_two_editions_are_one_module_with_one_row_per_learner(graded):
    settings, cohort, learners = graded
    assert [m.name for m in cohort.modules] == [MODULE]
    assert cohort.modules[0].editions == {"en": MODULE, "fr": FRENCH}
    rows = list(csv.DictReader(io.StringIO(to_csv(cohort))))
    assert [r["id"] for r in rows] == [ln.id for ln in learners]
    by_id = {r["id"]: r for r in rows}
    for learner in learners:
        assert by_id[learner.id][f"{MODULE}/language"] == learner.language, learner
    assert {ln.language for ln in learners} == {"en", "fr"}
    # Solved notebooks score full marks whichever the edition.
    for learner in learners:
        if learner.kind == "solved":
            result = cohort.result(learner.id, cohort.modules[0])
            assert result.auto_score == result.auto_max, (learner.id, learner.language)


@pytest.mark.slow
def test_feedback_and_certificates_come_in_the_learners_language(graded, tmp_path):
    settings, cohort, learners = graded
    pages = write_feedback(cohort, tmp_path / "feedback")
    for learner in learners:
        if learner.kind == "corrupt":
            continue
        edition = FRENCH if learner.language == "fr" else MODULE
        page = (tmp_path / "feedback" / learner.id / edition / "index.html").read_text(encoding="utf-8")
        assert (('<html lang="fr">' in page and "vos résultats" in page) if learner.language == "fr"
                else ('<html lang="en">' in page and "your results" in page)), learner
    assert len(pages) == len(learners)
    written = write_certificates(cohort, tmp_path / "certificates")
    languages = set()
    for path in written:
        text = path.read_text(encoding="utf-8")
        learner = next(ln for ln in learners if ln.id == path.stem)
        assert ("Attestation de réussite" in text) == (learner.language == "fr")
        languages.add(learner.language)
        ok, _ = verify(path, settings.root)
        assert ok
    assert languages == {"en", "fr"}, "the cohort should have passed learners in both languages"


@pytest.mark.slow
def test_the_report_comes_in_french_on_request(graded, tmp_path, monkeypatch):
    from course.cli import main

    settings, cohort, learners = graded
    monkeypatch.setenv("COURSE_DIR", str(settings.root))
    assert main(["report", "--language", "fr", "-o", str(tmp_path / "fr")]) == 0
    page = (tmp_path / "fr" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "Bilan de la promotion" in page and "règle de validation" in page
    assert "Cohort report" not in page and "pass rule" not in page
    assert main(["report", "-o", str(tmp_path / "en")]) == 0  # c.Course.language: English
    assert "Cohort report" in (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
