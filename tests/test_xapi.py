"""xAPI statements (course/trainer/xapi.py): what each says, ids that are stable across
exports and new when a score changes, pseudonyms, knowledge-check answers, and Ralph's
xAPI model accepting every statement of the graded cohort."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timezone

import pytest
from test_config import course_folder

from course.cli import main
from course.config import load
from course.trainer.export import learner_records, to_xapi
from course.trainer.results import Cohort, Exercise, Learner, Module, Submission
from course.trainer.secret import course_secret, pseudonym
from course.trainer.xapi import Vocabulary, cohort_knowledge, cohort_statements, knowledge_statements
from support.lrs import ralph_validate

VERB = "http://adlnet.gov/expapi/verbs/"
HANDED_IN = datetime(2026, 3, 2, 9, 30, 15)  # naive UTC, as nbgrader stores it


def small_cohort(tmp_path, extra: str = "", auto_points: float = 6.0) -> Cohort:
    """Learner a hands in module m (6/10 auto-graded points, a reflection not graded yet,
    so fails at 80 %); b hands in nothing; c's notebook could not be graded."""
    exercises = [Exercise("m", "ex-auto", 1, "Spot the public post", 10.0, True, "ans-auto"),
                 Exercise("m", "ex-manual", 2, "Your reflection", 5.0, False, None)]
    module = Module("m", "Module one", "m", None, exercises)
    learners = [Learner("a", "Ann", "Lee"), Learner("b", "Bo", "Ray"), Learner("c", "Cy", "Oz")]
    subs = {("a", "m"): Submission("a", "m", HANDED_IN, 0.0, True, {"ex-auto": auto_points, "ex-manual": None}),
            ("c", "m"): Submission("c", "m", HANDED_IN, 0.0, False, {})}
    course_folder(tmp_path, 'c.Course.xapi_home_page = "https://lms.acme.test/"\n'
                            'c.Course.xapi_activity_base = "https://learn.acme.test/xapi"\n' + extra)
    return Cohort(load(tmp_path), [module], learners, subs)


def test_statements_say_who_did_what_with_which_score(tmp_path):
    statements, left_out = cohort_statements(small_cohort(tmp_path))
    assert left_out == {"exercises not graded yet": 1, "modules not handed in": 1,
                        "modules that could not be graded": 1}
    by_verb = {s["verb"]["id"].removeprefix(VERB): s for s in statements}
    assert sorted(by_verb) == ["answered", "completed", "failed"] and len(statements) == 3
    for s in statements:
        assert s["actor"] == {"objectType": "Agent", "account": {"homePage": "https://lms.acme.test", "name": "a"}}
        assert s["timestamp"] == "2026-03-02T09:30:15.000000+00:00"
        assert s["context"]["platform"] and s["context"]["language"] == "en"
    course_iri, module_iri = "https://learn.acme.test/xapi/test-course", "https://learn.acme.test/xapi/test-course/m"

    answered = by_verb["answered"]
    assert answered["object"]["id"] == module_iri + "/ex-auto"
    assert answered["object"]["definition"] == {"type": "http://adlnet.gov/expapi/activities/question",
                                                "name": {"en": "Spot the public post"}}
    assert answered["result"] == {"score": {"raw": 6, "min": 0, "max": 10, "scaled": 0.6}, "success": False,
                                  "completion": True}
    parents = answered["context"]["contextActivities"]
    assert [a["id"] for a in parents["parent"]] == [module_iri]
    assert [a["id"] for a in parents["grouping"]] == [course_iri]
    assert parents["parent"][0]["definition"]["type"] == "http://adlnet.gov/expapi/activities/module"

    failed = by_verb["failed"]
    assert failed["object"]["id"] == module_iri and failed["object"]["definition"]["name"] == {"en": "Module one"}
    assert failed["result"] == {"score": {"raw": 6, "min": 0, "max": 10, "scaled": 0.6}, "success": False,
                                "completion": True}
    assert [a["id"] for a in failed["context"]["contextActivities"]["parent"]] == [course_iri]
    assert by_verb["completed"]["result"] == {"completion": True}


def test_the_pass_mark_decides_passed_or_failed(tmp_path):
    statements, _ = cohort_statements(small_cohort(tmp_path, "c.Course.pass_mark = 0.6\n"))
    verbs = sorted(s["verb"]["id"].removeprefix(VERB) for s in statements)
    assert verbs == ["answered", "completed", "passed"]
    passed = next(s for s in statements if s["verb"]["id"] == VERB + "passed")
    assert passed["result"]["success"] is True


def test_ids_are_stable_unique_and_change_with_the_score(tmp_path):
    first, _ = cohort_statements(small_cohort(tmp_path))
    again, _ = cohort_statements(small_cohort(tmp_path))
    assert first == again, "exporting the same gradebook twice must give the same statements"
    ids = [s["id"] for s in first]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 5 for i in ids)

    regraded, _ = cohort_statements(small_cohort(tmp_path, auto_points=9.0))
    changed = {s["verb"]["id"].removeprefix(VERB) for s in regraded if s["id"] not in ids}
    # A new score is a new fact: new statements, never the old ids with other content.
    assert changed == {"answered", "passed"}
    kept = [s for s in regraded if s["id"] in ids]
    assert [s["verb"]["id"] for s in kept] == [VERB + "completed"]


def test_pseudonymized_statements_name_no_learner(tmp_path):
    cohort = small_cohort(tmp_path)
    statements, _ = cohort_statements(cohort, pseudonymize=True)
    # The pseudonym of `course export --pseudonymize` (only a has statements).
    exported = {r["id"] for r in learner_records(cohort, pseudonymize=True)}
    names = {s["actor"]["account"]["name"] for s in statements}
    assert names == {pseudonym(course_secret(tmp_path), "a")} and names < exported
    text = json.dumps(statements)
    for revealing in ('"a"', "Ann", "Lee"):
        assert revealing not in text
    plain, _ = cohort_statements(cohort)
    assert not {s["id"] for s in plain} & {s["id"] for s in statements}, "ids are derived from the pseudonym"


@dataclass(frozen=True)
class Answer:
    learner_id: str
    assignment: str
    phase: str
    number: int
    answer: str | None
    right: bool | None
    timestamp: datetime | None


def words(tmp_path) -> Vocabulary:
    return Vocabulary.of(small_cohort(tmp_path))


def test_knowledge_answers_are_answered_questions_of_their_module(tmp_path):
    when = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
    answers = [Answer("a", "m", "before", 1, "b", False, when), Answer("a", "m", "after", 1, "c", True, when),
               Answer("a", "m", "after", 2, None, None, when), Answer("a", "m", "after", 3, "anything", None, None)]
    statements = knowledge_statements(answers, words(tmp_path))
    assert len(statements) == 3, "an unanswered question has no statement"
    before, after, opinion = statements
    question = "https://learn.acme.test/xapi/test-course/m/knowledge-check/1"
    assert before["object"]["id"] == after["object"]["id"] == question
    assert before["verb"]["id"] == VERB + "answered"
    assert before["result"] == {"response": "b", "success": False, "completion": True}
    assert after["result"] == {"response": "c", "success": True, "completion": True}
    assert "success" not in opinion["result"] and "timestamp" not in opinion
    extension = "https://learn.acme.test/xapi/test-course/extensions/knowledge-check-phase"
    assert [s["context"]["extensions"] for s in (before, after)] == [{extension: "before"}, {extension: "after"}]
    assert before["context"]["contextActivities"]["parent"][0]["id"] == "https://learn.acme.test/xapi/test-course/m"
    assert before["timestamp"] == "2026-03-01T08:00:00.000000+00:00"
    assert len({s["id"] for s in statements}) == 3
    assert knowledge_statements(answers, words(tmp_path)) == statements
    changed = knowledge_statements([replace(answers[0], answer="c", right=True)], words(tmp_path))
    assert changed[0]["id"] != before["id"]


def test_the_export_includes_knowledge_answers_when_the_course_has_them(tmp_path, monkeypatch):
    import sys
    import types

    module = types.ModuleType("course.trainer.knowledge")
    module.cohort_knowledge = lambda cohort: [Answer("a", "m", "after", 1, "c", True, None)]
    monkeypatch.setitem(sys.modules, "course.trainer.knowledge", module)
    statements = json.loads(to_xapi(small_cohort(tmp_path)))
    assert [s["object"]["id"] for s in statements if "knowledge-check" in s["object"]["id"]] == [
        "https://learn.acme.test/xapi/test-course/m/knowledge-check/1"]


# -- the graded cohort: plain nbgrader's gradebook, every statement checked by Ralph's model ---

@pytest.mark.xdist_group("trainer_cohort")
@pytest.mark.assignment
@pytest.mark.slow
def test_export_of_the_graded_cohort_is_complete_and_valid_xapi(trainer_cohort, tmp_path, monkeypatch):
    cohort = trainer_cohort["cohort"]
    monkeypatch.setenv("COURSE_DIR", str(cohort.settings.root))
    out = tmp_path / "statements.json"
    assert main(["export", "--format", "xapi", "-o", str(out)]) == 0
    statements = json.loads(out.read_text(encoding="utf-8"))
    assert main(["export", "--format", "xapi", "-o", str(tmp_path / "again.json")]) == 0
    assert (tmp_path / "again.json").read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    ids = [s["id"] for s in statements]
    assert len(set(ids)) == len(ids)

    # One statement per graded exercise, two per graded module, none for the rest.
    expected = {}
    for record in json.loads(json.dumps(learner_records(cohort))):
        for name, module in record["modules"].items():
            if module["status"] != "graded":
                continue
            for gid, points in module["exercises"].items():
                if points is not None:
                    expected[(record["id"], f"{name}/{gid}", "answered")] = points
            expected[(record["id"], name, "completed")] = None
            expected[(record["id"], name, "passed" if module["passed"] else "failed")] = module["auto_score"]
    base = f"{cohort.settings.course.xapi_activity_base}/{cohort.settings.course_id}/"
    phase = f"{base}extensions/knowledge-check-phase"
    graded = [s for s in statements if phase not in s.get("context", {}).get("extensions", {})]
    found = {(s["actor"]["account"]["name"], s["object"]["id"].removeprefix(base), s["verb"]["id"].removeprefix(VERB)):
             s.get("result", {}).get("score", {}).get("raw") for s in graded}
    assert found == expected

    # Every knowledge-check answer given, before and after, is an *answered* statement with its success.
    given = {(a.learner_id, f"{a.assignment}/knowledge-check/{a.number}", a.phase): (a.answer, a.right)
             for a in cohort_knowledge(cohort) if a.answer is not None}
    assert given, "the graded cohort's learners answer the knowledge checks"
    knowledge = {(s["actor"]["account"]["name"], s["object"]["id"].removeprefix(base),
                  s["context"]["extensions"][phase]): (s["result"]["response"], s["result"].get("success"))
                 for s in statements if s not in graded}
    assert knowledge == given
    assert len(graded) + len(given) == len(statements)
    assert {v for (_, _, v) in found} == {"answered", "completed", "passed", "failed"}

    assert ralph_validate(statements) == []
    broken = [json.loads(json.dumps(next(s for s in statements if "score" in s["result"])))]
    broken[0]["result"]["score"]["scaled"] = 2  # scaled is at most 1: Ralph's model must say so
    assert len(ralph_validate(broken)) == 1
