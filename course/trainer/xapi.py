"""Results as xAPI statements (ADL xAPI 1.0.3, IEEE 9274.1.1), for a company's learning
record store (LRS) and learning management system.

Pure functions of the cohort: `course export --format xapi` writes them, `course send`
posts them (course/trainer/lrs.py). What a statement says:

- per graded exercise: the learner *answered* it, with the score (an exercise a trainer
  has not graded yet has no statement);
- per graded module: *completed*, then *passed* or *failed* by the pass rule, with the
  module's auto-graded score (a module not handed in, or that could not be graded, has none);
- per knowledge-check answer: *answered*, right or wrong, before or after the module.

Learners are accounts on the company's home page (c.Course.xapi_home_page), named by their
learner id or, pseudonymized, by the export's keyed pseudonym. Every statement's id is a
UUID derived from what it records (name-based, uuid5), so exporting the same gradebook again
gives the same ids and an LRS stores a re-sent statement once; a regrade that changes a score
makes a new statement, not a conflicting one.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Iterable, Protocol

from .results import Cohort, Exercise, Module
from .secret import course_secret, pseudonym

VERB_IRI = "http://adlnet.gov/expapi/verbs/"
ACTIVITY_TYPE_IRI = "http://adlnet.gov/expapi/activities/"
PLATFORM = "Jupyter notebooks graded by nbgrader"
# Fixed once: changing it would change every statement id, and an LRS would store
# re-sent results twice.
ID_NAMESPACE = uuid.UUID("5c1f0c52-9d0e-4b39-9a5e-0d7b6a2f4e11")


class KnowledgeAnswer(Protocol):
    """One answer to a knowledge-check question (course.trainer.knowledge provides them)."""
    learner_id: str
    assignment: str
    phase: str                  # "before" or "after" the module
    number: int                 # the question's number in the module's check
    answer: str | None          # None: not answered
    right: bool | None          # None: the question has no right answer
    timestamp: datetime | None


class Vocabulary:
    """Who the learners are and what the activities are called, from the course's settings."""

    def __init__(self, course_id: str, title: str, language: str, home_page: str, activity_base: str,
                 module_titles: dict[str, str], key: bytes | None = None):
        self.course_id, self.title, self.language, self.home_page = course_id, title, language, home_page
        self.base = f"{activity_base}/{course_id}"
        self._module_titles = module_titles
        self._key = key  # the course secret, to name learners by pseudonym

    @classmethod
    def of(cls, cohort: Cohort, pseudonymize: bool = False) -> "Vocabulary":
        settings, course = cohort.settings, cohort.settings.course
        return cls(settings.course_id, course.title, course.language, course.xapi_home_page,
                   course.xapi_activity_base, {m.name: m.title for m in cohort.modules},
                   course_secret(settings.root) if pseudonymize else None)

    def account_name(self, learner_id: str) -> str:
        return learner_id if self._key is None else pseudonym(self._key, learner_id)

    def actor(self, learner_id: str) -> dict:
        # The account only: no name or e-mail, the LMS knows who the account is.
        return {"objectType": "Agent", "account": {"homePage": self.home_page, "name": self.account_name(learner_id)}}

    def activity(self, iri: str, kind: str, name: str) -> dict:
        return {"objectType": "Activity", "id": iri,
                "definition": {"type": ACTIVITY_TYPE_IRI + kind, "name": {self.language: name}}}

    def course(self) -> dict:
        return self.activity(self.base, "course", self.title)

    def module(self, assignment: str) -> dict:
        return self.activity(f"{self.base}/{assignment}", "module", self._module_titles.get(assignment, assignment))

    def exercise(self, exercise: Exercise) -> dict:
        return self.activity(f"{self.base}/{exercise.assignment}/{exercise.grade_id}", "question",
                             exercise.title or exercise.grade_id)

    def question(self, assignment: str, number: int) -> dict:
        module = self._module_titles.get(assignment, assignment)
        return self.activity(f"{self.base}/{assignment}/knowledge-check/{number}", "question",
                             f"{module}: knowledge check, question {number}")

    def phase_extension(self) -> str:
        return f"{self.base}/extensions/knowledge-check-phase"

    def context(self, parents: list[dict], extensions: dict | None = None) -> dict:
        context = {"contextActivities": {"parent": parents[:1], "grouping": parents[1:]},
                   "platform": PLATFORM, "language": self.language}
        if not context["contextActivities"]["grouping"]:
            del context["contextActivities"]["grouping"]
        if extensions:
            context["extensions"] = extensions
        return context

    def statement(self, learner_id: str, verb: str, obj: dict, when: datetime | None, result: dict,
                  context: dict, *identity) -> dict:
        """A statement whose id is derived from the store it is meant for (home page, activity),
        the learner, the verb, the time and `identity` (the score, the answer)."""
        name = "|".join(map(str, (self.home_page, obj["id"], self.account_name(learner_id), verb, _iso(when),
                                  *identity)))
        statement = {"id": str(uuid.uuid5(ID_NAMESPACE, name)), "actor": self.actor(learner_id),
                     "verb": {"id": VERB_IRI + verb, "display": {"en-US": verb}},
                     "object": obj, "result": result, "context": context}
        if when is not None:
            statement["timestamp"] = _iso(when)
        return statement


def _iso(when: datetime | None) -> str:
    if when is None:
        return ""
    if when.tzinfo is None:  # nbgrader stores naive UTC
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


def score(raw: float, maximum: float) -> dict:
    points = {"raw": _number(raw), "min": 0, "max": _number(maximum)}
    if maximum > 0:
        points["scaled"] = round(raw / maximum, 6)
    return points


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(float(value), 6)


def cohort_statements(cohort: Cohort, pseudonymize: bool = False,
                      knowledge: Iterable[KnowledgeAnswer] = ()) -> tuple[list[dict], dict[str, int]]:
    """Every statement of the cohort, learner by learner, then the knowledge checks' answers;
    and what was left out, counted by reason."""
    words = Vocabulary.of(cohort, pseudonymize)
    statements: list[dict] = []
    left_out = {"exercises not graded yet": 0, "modules not handed in": 0, "modules that could not be graded": 0,
                "knowledge questions not answered": 0}
    for learner in cohort.learners:
        for module in cohort.modules:
            sub = cohort.submission(learner.id, module.name)
            if sub is None:
                left_out["modules not handed in"] += 1
                continue
            if not sub.graded:
                left_out["modules that could not be graded"] += 1
                continue
            for exercise in module.exercises:
                points = sub.scores.get(exercise.grade_id)
                if points is None:
                    left_out["exercises not graded yet"] += 1
                    continue
                statements.append(_answered(words, learner.id, module, exercise, points, sub.timestamp))
            statements += _module_statements(words, cohort, learner.id, module, sub.timestamp)
    answers = list(knowledge)
    statements += knowledge_statements(answers, words)
    left_out["knowledge questions not answered"] = sum(a.answer is None for a in answers)
    return statements, {reason: n for reason, n in left_out.items() if n}


def _answered(words: Vocabulary, learner_id: str, module: Module, exercise: Exercise, points: float,
              when: datetime | None) -> dict:
    result = {"score": score(points, exercise.max_score), "success": points >= exercise.max_score - 1e-9,
              "completion": True}
    context = words.context([words.module(module.name), words.course()])
    return words.statement(learner_id, "answered", words.exercise(exercise), when, result, context,
                           _number(points), _number(exercise.max_score))


def _module_statements(words: Vocabulary, cohort: Cohort, learner_id: str, module: Module,
                       when: datetime | None) -> list[dict]:
    outcome = cohort.result(learner_id, module)
    obj, context = words.module(module.name), words.context([words.course()])
    completed = words.statement(learner_id, "completed", obj, when, {"completion": True}, context)
    # The pass rule counts the auto-graded points only, so the score is those.
    result = {"score": score(outcome.auto_score, module.auto_max), "success": outcome.passed, "completion": True}
    verb = "passed" if outcome.passed else "failed"
    judged = words.statement(learner_id, verb, obj, when, result, context,
                             _number(outcome.auto_score), _number(module.auto_max), cohort.pass_mark)
    return [completed, judged]


def knowledge_statements(answers: Iterable[KnowledgeAnswer], words: Vocabulary) -> list[dict]:
    """One *answered* statement per knowledge-check answer given (an unanswered question has
    none): the question is an activity of its module, the phase a context extension."""
    statements = []
    for a in answers:
        if a.answer is None:
            continue
        result: dict = {"response": a.answer, "completion": True}
        if a.right is not None:
            result["success"] = a.right
        context = words.context([words.module(a.assignment), words.course()],
                                {words.phase_extension(): a.phase})
        statements.append(words.statement(a.learner_id, "answered", words.question(a.assignment, a.number),
                                          a.timestamp, result, context, a.phase, a.answer, a.right))
    return statements


def cohort_knowledge(cohort: Cohort) -> list:
    """The knowledge checks' answers of the cohort (course.trainer.knowledge)."""
    from .knowledge import cohort_knowledge as answers

    return list(answers(cohort))
