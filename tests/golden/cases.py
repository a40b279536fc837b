"""The fixed inputs of the golden HTML files, and the HTML each renderer makes of them.

No grading and no gradebook: the cohort, a certificate's data, charters and simulator
states are built in memory, with the shapes the renderers take. Some inputs carry
markup and quotes (HOSTILE), so the files also show how user text is escaped.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from traitlets.config import Config  # noqa: E402

from course.learner import charter  # noqa: E402
from course.config import Course, Settings  # noqa: E402
from course.learner.simulator import PrivacySimulator, render  # noqa: E402
from course.trainer.certificates import certificate_data, certificate_hash  # noqa: E402
from course.trainer.certificates import render as render_certificate  # noqa: E402
from course.trainer.charter_choices import rule_counts  # noqa: E402
from course.trainer.feedback import feedback_page  # noqa: E402
from course.trainer.knowledge import KnowledgeAnswer  # noqa: E402
from course.trainer.report import cohort_statistics, in_language, report_html  # noqa: E402
from course.trainer.results import Answer, Cohort, Exercise, Learner, Module, Submission  # noqa: E402
from course.learner.visibility import ContactBook, alex_contacts  # noqa: E402

FOLDER = Path(__file__).resolve().parent
HOSTILE = "<script>alert(1)</script> \"&'"
# The pages and fragments that show HOSTILE where a user (learner, trainer) typed text.
SHOW_USER_TEXT = ("feedback_l2_01-basics", "feedback_l5_02-charter", "report", "certificate_hostile",
                  "fr_feedback_l2_01-basics", "fr_report", "fr_certificate_hostile",
                  "charter_hostile", "simulator_hostile_contact",
                  "simulator_invalid_network")
CERTIFICATE_KEY = b"golden-course-secret"  # the course secret the golden certificates are signed with
IMAGES = {"completion": "completion.png", "scores": "scores.png", "exercises": "exercises.png",
          "timing": "timing.png", "knowledge": "knowledge.png"}
# Right (1), wrong (0) or unanswered (None) per question, before and after: 01-basics is
# answered both times by l1 and l2 (l5's question 3 only before); 02-charter only before.
KNOWLEDGE = {("l1", "01-basics"): ([1, 0, 0], [1, 1, 1]), ("l2", "01-basics"): ([0, 0, 1], [1, 0, 1]),
             ("l5", "01-basics"): ([0, None, 1], [None, None, None]),
             ("l1", "02-charter"): ([1, 1, 0], [None, None, None])}
CHARTER_RULES = {"courtesy": 6, "quiet_hours": 5, "consent_photos": 6, "secure_accounts": 2}


def cohort() -> Cohort:
    root = Path("/golden-course")
    config = Config({"CourseDirectory": {"course_id": "golden-course", "db_url": "sqlite://"}})
    settings = Settings(root, config, "", Course())  # the course's defaults (pass mark 80 %)
    basics = Module("01-basics", "Basics: who sees what", "basics.ipynb", datetime(2026, 3, 1, 12, 0), [
        Exercise("01-basics", "ex1", 1, "Audience of a post", 2.0, True, "ans1"),
        Exercise("01-basics", "ex2", 2, "Choose a setting", 1.0, True, "ans2"),
        Exercise("01-basics", "ex3", 3, 'Tags & "friends of friends" <b>', 1.5, True, None),
        Exercise("01-basics", "ref", 4, "Your reflection", 2.0, False, None)])
    charter_module = Module("02-charter", "Your charter", "charter.ipynb", None, [
        Exercise("02-charter", "c1", 1, "Offline hours", 1.0, True, "c1_answer"),
        Exercise("02-charter", "c2", 2, "Three rules", 1.0, True, None)])
    learners = [Learner("l1", "Ada", "Lovelace"), Learner("l2", HOSTILE, "O'Brien"),
                Learner("l3", "Grace", "Hopper"), Learner("l4", "Alan", ""), Learner("l5", "", "")]
    subs = [
        Submission("l1", "01-basics", datetime(2026, 3, 1, 10, 0), 0.0, True,
                   {"ex1": 2.0, "ex2": 1.0, "ex3": 1.5, "ref": None}),
        Submission("l2", "01-basics", datetime(2026, 3, 2, 15, 30), 27.5 * 3600, True,
                   {"ex1": 0.0, "ex2": 1.0, "ex3": 0.5, "ref": 1.5},
                   {"ex1": "The audience should be `friends`, not `public`: see <section 2> & \"tags\".",
                    "ex3": HOSTILE},
                   {"ans1": Answer("value", "'public'"), "ans2": Answer("value", "'friends'")}),
        Submission("l3", "01-basics", None, 0.0, False, {}),
        Submission("l5", "01-basics", datetime(2026, 3, 4, 18, 0), 3.25 * 86400, True,
                   {"ex1": 0.0, "ex2": 0.0, "ex3": 0.0, "ref": 0.0},
                   {"ex1": "You left `answer` as `...`.", "ex2": "Pick one of the settings."},
                   {"ans1": Answer("blank", "..."), "ans2": Answer("value", "'public'")}),
        Submission("l1", "02-charter", datetime(2026, 3, 8, 9, 15), 0.0, True, {"c1": 1.0, "c2": 1.0}),
        Submission("l2", "02-charter", datetime(2026, 3, 8, 9, 30), 0.0, True, {"c1": 1.0, "c2": 1.0}),
        Submission("l5", "02-charter", datetime(2026, 3, 9, 20, 0), 0.0, True, {"c1": 0.0, "c2": 1.0},
                   {"c1": HOSTILE}, {"c1_answer": Answer("value", HOSTILE)}),
    ]
    return Cohort(settings, [basics, charter_module], learners,
                  {(s.learner, s.assignment): s for s in subs})


# The French editions' titles (NN-slug-fr), as the gradebook would have them.
FRENCH_TITLES = {"01-basics": ("Les bases : qui voit quoi", {"ex1": "Audience d'une publication",
                                                             "ex2": "Choisir un réglage",
                                                             "ex3": 'Identifications & "amis d\'amis" <b>',
                                                             "ref": "Votre réflexion"}),
                 "02-charter": ("Votre charte", {"c1": "Heures hors ligne", "c2": "Trois règles"})}


def french_cohort() -> Cohort:
    """The same cohort, every learner having handed in the French edition of each module."""
    c = cohort()
    for module in c.modules:
        title, exercises = FRENCH_TITLES[module.name]
        module.editions = {"en": module.name, "fr": f"{module.name}-fr"}
        module.titles = {"en": module.title, "fr": title}
        module.exercise_titles = {"en": {e.grade_id: e.title for e in module.exercises}, "fr": exercises}
    c.submissions = {key: dataclasses.replace(sub, assignment=f"{sub.assignment}-fr")
                     for key, sub in c.submissions.items()}
    return c


def knowledge_answers() -> list[KnowledgeAnswer]:
    answers = []
    for (learner_id, assignment), phases in KNOWLEDGE.items():
        for phase, marks in zip(("before", "after"), phases):
            for number, mark in enumerate(marks, start=1):
                answer = None if mark is None else "a" if mark else "b"
                right = None if mark is None else bool(mark)
                answers.append(KnowledgeAnswer(learner_id, assignment, phase, number, answer, right, None))
    return answers


def trainer_pages() -> dict[str, str]:
    pages = {}
    c = cohort()
    for (learner_id, assignment) in c.submissions:
        learner = next(ln for ln in c.learners if ln.id == learner_id)
        pages[f"feedback_{learner_id}_{assignment}"] = feedback_page(c, learner, c.module(assignment))
    stats = cohort_statistics(c, knowledge_answers(), rule_counts(6, Counter(CHARTER_RULES)))
    pages["report"] = report_html(stats, IMAGES, "2026-03-10 08:00 UTC")
    empty = Cohort(c.settings, [], [], {})
    pages["report_empty"] = report_html(cohort_statistics(empty, [], rule_counts(0, Counter())), IMAGES,
                                        "2026-03-10 08:00 UTC")
    for name, learner_id, title in [("certificate", "l1", Course().title), ("certificate_hostile", "l2", HOSTILE)]:
        data = certificate_data(c, learner_id, date(2026, 3, 10), title)
        pages[name] = render_certificate(data, certificate_hash(CERTIFICATE_KEY, data))
    return pages


def french_trainer_pages() -> dict[str, str]:
    """The trainer's pages in French: feedback on French editions (every kind of row and
    status), the report with `--language fr`, and certificates of French-speaking learners."""
    pages = {}
    c = french_cohort()
    for learner_id, assignment in [("l1", "01-basics"), ("l2", "01-basics"), ("l3", "01-basics"),
                                   ("l5", "01-basics")]:
        learner = next(ln for ln in c.learners if ln.id == learner_id)
        pages[f"fr_feedback_{learner_id}_{assignment}"] = feedback_page(c, learner, c.module(assignment))
    stats = cohort_statistics(c, knowledge_answers(), rule_counts(6, Counter(CHARTER_RULES)))
    pages["fr_report"] = report_html(in_language(stats, c, "fr"), IMAGES, "2026-03-10 08:00 UTC")
    empty = Cohort(c.settings, [], [], {})
    empty_stats = cohort_statistics(empty, [], rule_counts(1, Counter({"courtesy": 1})))
    pages["fr_report_empty"] = report_html(in_language(empty_stats, empty, "fr"), IMAGES, "2026-03-10 08:00 UTC")
    for name, learner_id, title in [("fr_certificate", "l1", Course().title), ("fr_certificate_hostile", "l2", HOSTILE)]:
        data = certificate_data(c, learner_id, date(2026, 3, 10), title)
        pages[name] = render_certificate(data, certificate_hash(CERTIFICATE_KEY, data))
    return pages


def a_charter(own_words: str) -> dict:
    return charter.make_charter({"LinkedIn": "work", "Instagram": "private", "WhatsApp": "private"},
                                ["courtesy", "quiet_hours", "consent_photos"], 19, 8, own_words)


def charter_pages() -> dict[str, str]:
    pages = {"charter": charter.to_html(a_charter("Phone off on Sundays.")),
             "charter_hostile": charter.to_html(a_charter(HOSTILE), title=HOSTILE)}
    return pages


def fragments(**parts: str) -> str:
    """Several widget values as one file, each under a comment naming it."""
    return "".join(f"<!-- {name} -->\n{value}\n" for name, value in parts.items())


def widget_view(sim: PrivacySimulator) -> str:
    return fragments(summary=sim.summary.value, table=sim.table.value, at_risk=sim.at_risk.value,
                     notes=sim.notes.value)


def simulator_fragments() -> dict[str, str]:
    sim = PrivacySimulator()
    pages = {"simulator_facebook_tags_help": fragments(help=sim.panels.children[0].children[-1].value),
             "simulator_default": widget_view(sim)}
    sim.tags.value = ("Anna R.",)
    sim.location.value = True
    sim.facebook["audience"].value = "public"
    pages["simulator_facebook_public_tagged"] = widget_view(sim)
    sim.network.value = "tiktok"
    sim.tiktok["private"].value = True
    pages["simulator_invalid_settings"] = widget_view(sim)
    sim.network.value = "linkedin"
    pages["simulator_linkedin"] = widget_view(sim)

    book = alex_contacts()
    manager = next(c for c in book.contacts if c.group == "manager")
    renamed = ContactBook(tuple(dataclasses.replace(c, name=HOSTILE, employer=HOSTILE) if c is manager else c
                                for c in book.contacts))
    sim = PrivacySimulator(renamed)
    sim.facebook["audience"].value = "public"
    pages["simulator_hostile_contact"] = widget_view(sim)
    view = render({"network": HOSTILE}, sim.chart, renamed)
    pages["simulator_invalid_network"] = fragments(table=view.table_html, at_risk=view.at_risk_html,
                                                   notes=view.notes_html)
    return pages


def render_all() -> dict[str, str]:
    """Every golden case: file name without .html -> the HTML rendered now."""
    return {**trainer_pages(), **french_trainer_pages(), **charter_pages(), **simulator_fragments()}
