"""`course report`: a static HTML report on a cohort, with plots.

The first screen names the exercise the cohort got wrong most often, with its most
common wrong answer: that is the idea to explain again. Below: completion and pass
rates, the score distribution per module, the success rate of every exercise (hardest
first), the most common wrong answers on choice exercises, and hand-in times against
each module's deadline; what learners knew before and after each module (the ungraded
knowledge checks: knowledge, not behaviour); and, anonymously, which rules the cohort kept
in its charters. Every number is also written to report.json.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from statistics import mean

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..config import LANGUAGES
from ..coursedir import SOURCE_LANGUAGE, find_root
from ..learner.language import messages as learner_messages
from ..templates import Words, decimal_symbol, render
from .charter_choices import MIN_CHARTERS, chosen_rules
from .intervals import RESAMPLES, paired_change, wilson
from .knowledge import KnowledgeAnswer, cohort_knowledge
from .pages import write
from .results import Cohort, load_cohort, pass_rule

TOP_WRONG_ANSWERS = 5
RED, ORANGE, GREEN, GREY = "#b3261e", "#d98200", "#16703a", "#8a94a6"


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _share(right: int, n: int) -> dict:
    interval = wilson(right, n)
    return {"right": right, "share": _rate(right, n), "low": interval[0] if interval else None,
            "high": interval[1] if interval else None}


def knowledge_statistics(cohort: Cohort, answers: list[KnowledgeAnswer]) -> list[dict]:
    """Per module with a knowledge check: the share of right answers before and after, over
    the questions each learner answered both times (paired), with 95 % Wilson intervals,
    and the change with a 95 % bootstrap interval over learners (see intervals.py)."""
    by_item: dict[tuple[str, str, int], dict[str, bool | None]] = {}
    questions: dict[str, set[int]] = {}
    for a in answers:
        by_item.setdefault((a.assignment, a.learner_id, a.number), {})[a.phase] = a.right
        questions.setdefault(a.assignment, set()).add(a.number)
    modules = []
    for module in cohort.modules:
        if module.name not in questions:
            continue
        per_learner: dict[str, list[int]] = {}
        for (assignment, learner_id, _), phases in by_item.items():
            before, after = phases.get("before"), phases.get("after")
            if assignment != module.name or before is None or after is None:
                continue
            row = per_learner.setdefault(learner_id, [0, 0, 0])
            row[0] += before
            row[1] += after
            row[2] += 1
        n = sum(r[2] for r in per_learner.values())
        right_before = sum(r[0] for r in per_learner.values())
        right_after = sum(r[1] for r in per_learner.values())
        change = paired_change([tuple(r) for r in per_learner.values()])
        modules.append({
            "assignment": module.name, "title": module.title, "questions": len(questions[module.name]),
            "learners": len(per_learner), "answers": n,
            "before": _share(right_before, n), "after": _share(right_after, n),
            "change": {"share": _rate(right_after - right_before, n),
                       "low": change[0] if change else None, "high": change[1] if change else None},
        })
    return modules


def cohort_statistics(cohort: Cohort, knowledge: list[KnowledgeAnswer] | None = None,
                      charters: dict | None = None) -> dict:
    """Every number the report shows, as plain JSON-ready values. `knowledge` and `charters`
    default to what the learners' graded notebooks hold."""
    roster = len(cohort.learners)
    modules, exercises = [], []
    for module in cohort.modules:
        results = {ln.id: cohort.result(ln.id, module) for ln in cohort.learners}
        graded_ids = [i for i, r in results.items() if r.status == "graded"]
        submitted = [cohort.submission(i, module.name) for i in results if cohort.submission(i, module.name)]
        passed = sum(r.passed for r in results.values())
        percents = [results[i].percent for i in graded_ids if results[i].percent is not None]
        hours = [(s.timestamp - module.duedate).total_seconds() / 3600 for s in submitted
                 if s.timestamp is not None and module.duedate is not None]
        modules.append({
            "assignment": module.name, "title": module.title, "auto_max": module.auto_max,
            "learners": roster, "submitted": len(submitted), "graded": len(graded_ids),
            "could_not_be_graded": sum(r.status == "could not be graded" for r in results.values()),
            "passed": passed,
            "completion_rate": _rate(len(graded_ids), roster),
            "pass_rate": _rate(passed, roster),
            "mean_percent": mean(percents) if percents else None,
            "percents": percents,
            "deadline": module.duedate.isoformat() if module.duedate else None,
            "late": sum(s.seconds_late > 0 for s in submitted),
            "hours_from_deadline": hours,
        })
        for ex in module.auto_exercises:
            subs = [cohort.submission(i, module.name) for i in graded_ids]
            scores = [s.scores.get(ex.grade_id) or 0.0 for s in subs]
            full = sum(sc >= ex.max_score for sc in scores)
            failing = [s for s, sc in zip(subs, scores) if sc < ex.max_score]
            answers = [s.answers.get(ex.answer_cell) for s in failing if ex.answer_cell]
            wrong = Counter(a.text for a in answers if a is not None and a.kind == "value")
            messages = Counter(s.messages[ex.grade_id] for s in failing if ex.grade_id in s.messages)
            exercises.append({
                "assignment": module.name, "grade_id": ex.grade_id, "number": ex.number, "title": ex.title,
                "max_score": ex.max_score, "attempted": len(subs), "full_marks": full,
                "success_rate": _rate(full, len(subs)),
                "mean_score": mean(scores) if scores else None,
                "not_answered": sum(a is not None and a.kind == "blank" for a in answers),
                "wrong_answers": [[text, n] for text, n in wrong.most_common(TOP_WRONG_ANSWERS)],
                "most_common_message": messages.most_common(1)[0][0] if messages else None,
            })
    order = {m.name: i for i, m in enumerate(cohort.modules)}
    exercises.sort(key=lambda e: (e["success_rate"] is None, e["success_rate"] or 0.0,
                                  (e["mean_score"] or 0.0) / e["max_score"], order[e["assignment"]], e["number"]))
    hardest = next((e for e in exercises if e["success_rate"] is not None), None)
    knowledge = cohort_knowledge(cohort) if knowledge is None else knowledge
    return {"course_id": cohort.settings.course_id, "learners": roster, "pass_rule": cohort.pass_rule,
            "pass_mark": cohort.pass_mark, "modules": modules, "exercises": exercises, "hardest": hardest,
            "knowledge": knowledge_statistics(cohort, knowledge),
            "charter_rules": chosen_rules(cohort) if charters is None else charters}


def pass_rule_in(language: str, pass_mark: float) -> str:
    """The pass rule in `language` (in English: the words of results.pass_rule)."""
    return Words(language).gettext(
        "a module is passed with at least %(percent)s %% of its auto-graded points; manually graded cells "
        "(written reflections) are shown but do not count towards passing",
        percent=f"{100 * pass_mark:.4g}".replace(".", decimal_symbol(language)))


def in_language(stats: dict, cohort: Cohort, language: str) -> dict:
    """`stats` with the module and exercise titles, the charter rules and the pass rule in
    `language` (the titles of that edition of each module; the English ones where it has none)."""
    if language == SOURCE_LANGUAGE:
        return stats
    modules = {m.name: m for m in cohort.modules}
    for key in ("modules", "knowledge"):
        for row in stats.get(key) or []:
            if row.get("assignment") in modules:
                row["title"] = modules[row["assignment"]].title_in(language)
    for row in stats["exercises"]:  # the hardest exercise is one of these rows
        module = modules[row["assignment"]]
        exercise = next(e for e in module.exercises if e.grade_id == row["grade_id"])
        row["title"] = module.exercise_title(exercise, language)
    for rule in stats["charter_rules"]["rules"]:  # the French the learners read in their charters
        rule["text"] = learner_messages(language).get(rule["text"], rule["text"])
    stats["pass_rule"] = pass_rule_in(language, stats["pass_mark"])
    stats["language"] = language
    return stats


# The plots' words go through gettext where each is written, in the report's language (in_language
# puts it in stats), from the catalogue of the report's page: a label with a number gets the plural
# that number needs, and tests/test_trainer_pages_language.py finds every message in this file.
def _words(stats: dict) -> Words:
    return Words(stats.get("language", SOURCE_LANGUAGE))


def _save(fig: Figure, path: Path) -> str:
    FigureCanvasAgg(fig)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return path.name


def _no_data(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", color=GREY, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def plot_scores(stats: dict, path: Path) -> str:
    mods = stats["modules"]
    cols = max(1, min(3, len(mods)))
    rows = max(1, -(-len(mods) // cols))
    words = _words(stats)
    fig = Figure(figsize=(4.2 * cols, 3 * rows))
    for i, m in enumerate(mods or [None]):
        ax = fig.add_subplot(rows, cols, i + 1)
        if m is None or not m["percents"]:
            _no_data(ax, words.gettext("no graded submission yet"))
            continue
        ax.hist(m["percents"], bins=list(range(0, 101, 10)), color="#3b6fb6", edgecolor="white")
        ax.axvline(100 * stats["pass_mark"], color=RED, linestyle="--", label=words.gettext("pass mark"))
        ax.set_title(f"{m['assignment']} (n={len(m['percents'])})", fontsize=10)
        ax.set_xlabel(words.gettext("auto-graded score (%%)"))
        ax.set_ylabel(words.gettext("learners"))
        ax.set_xlim(0, 100)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, loc="upper left")
    return _save(fig, path)


def plot_exercises(stats: dict, path: Path) -> str:
    rows = [e for e in stats["exercises"] if e["success_rate"] is not None]
    words = _words(stats)
    fig = Figure(figsize=(9, 1.2 + 0.38 * max(1, len(rows))))
    ax = fig.add_subplot()
    if not rows:
        _no_data(ax, words.gettext("no graded submission yet"))
        return _save(fig, path)
    labels = [f"{e['assignment'][:2]} · {e['title'][:52]}" for e in rows]
    rates = [100 * e["success_rate"] for e in rows]
    colors = [RED if r < 50 else ORANGE if r < 100 * stats["pass_mark"] else GREEN for r in rates]
    ax.barh(range(len(rows)), rates, color=colors)
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.invert_yaxis()  # hardest at the top
    ax.set_xlim(0, 100)
    ax.set_xlabel(words.gettext("learners with full marks (%%)"))
    # Shorter than the same words as the picture's alt text in report.html.
    ax.set_title(words.pgettext("plot", "Success rate per exercise, hardest first"))
    return _save(fig, path)


def plot_completion(stats: dict, path: Path) -> str:
    mods = stats["modules"]
    words = _words(stats)
    fig = Figure(figsize=(max(5, 1.6 * len(mods) + 2), 3.4))
    ax = fig.add_subplot()
    if not mods or not stats["learners"]:
        _no_data(ax, words.gettext("no graded submission yet"))
        return _save(fig, path)
    width = 0.27
    xs = range(len(mods))
    for k, (key, label, color) in enumerate([("submitted", words.gettext("handed in"), GREY),
                                             ("graded", words.gettext("graded"), "#3b6fb6"),
                                             ("passed", words.gettext("passed"), GREEN)]):
        ax.bar([x + (k - 1) * width for x in xs], [100 * m[key] / stats["learners"] for m in mods],
               width, label=label, color=color)
    ax.set_xticks(list(xs), [m["assignment"][:2] for m in mods])
    ax.set_ylim(0, 118)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(words.ngettext("%% of the %(num)s learner", "%% of the %(num)s learners", stats["learners"]))
    ax.set_xlabel(words.gettext("module"))
    ax.legend(fontsize=8, ncols=3, loc="upper center")
    ax.set_title(words.gettext("Completion and pass rates per module"))
    return _save(fig, path)


def plot_timing(stats: dict, path: Path) -> str:
    mods = [m for m in stats["modules"] if m["hours_from_deadline"]]
    words = _words(stats)
    fig = Figure(figsize=(8, 3.4))
    ax = fig.add_subplot()
    if not mods:
        _no_data(ax, words.gettext("no hand-in times or deadlines"))
        return _save(fig, path)
    ax.hist([m["hours_from_deadline"] for m in mods], bins=20, stacked=True,
            label=[m["assignment"][:2] for m in mods])
    ax.axvline(0, color=RED, linestyle="--")
    ax.annotate(words.gettext("deadline"), (0, 1), xycoords=("data", "axes fraction"), xytext=(3, -12),
                textcoords="offset points", color=RED, fontsize=8)
    ax.set_xlabel(words.gettext("hours from the deadline (negative: before)"))
    ax.set_ylabel(words.gettext("submissions"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8, title=words.gettext("module"))
    ax.set_title(words.gettext("Hand-in times against the deadline"))
    return _save(fig, path)


def plot_knowledge(stats: dict, path: Path) -> str:
    """The share right before and after, per module, with 95 % Wilson intervals."""
    mods = [m for m in stats["knowledge"] if m["answers"]]
    words = _words(stats)
    fig = Figure(figsize=(max(6.5, 1.3 * len(mods) + 2), 3.6))
    ax = fig.add_subplot()
    if not mods:
        _no_data(ax, words.gettext("no knowledge check answered before and after"))
        return _save(fig, path)
    width = 0.38
    xs = range(len(mods))
    for k, (phase, label, color) in enumerate([("before", words.gettext("before the module"), GREY),
                                               ("after", words.gettext("after the module"), "#3b6fb6")]):
        shares = [100 * m[phase]["share"] for m in mods]
        errors = [[s - 100 * m[phase]["low"] for s, m in zip(shares, mods)],
                  [100 * m[phase]["high"] - s for s, m in zip(shares, mods)]]
        ax.bar([x + (k - 0.5) * width for x in xs], shares, width, yerr=errors, capsize=3,
               label=label, color=color, error_kw={"elinewidth": 1})
    ax.set_xticks(list(xs), [f"{m['assignment'][:2]}\nn={m['learners']}" for m in mods])
    ax.set_ylim(0, 118)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(words.gettext("right answers (%%)"))
    ax.set_xlabel(words.gettext("module (n: learners who answered before and after)"))
    ax.legend(fontsize=8, ncols=2, loc="upper center")
    ax.set_title(words.gettext("Knowledge checks: right answers before and after each module"))
    return _save(fig, path)


def report_html(stats: dict, images: dict[str, str], generated: str) -> str:
    return render("report.html", stats.get("language", SOURCE_LANGUAGE), stats=stats, images=images,
                  generated=generated, pass_fraction=stats["pass_mark"], resamples=RESAMPLES)


def write_report(cohort: Cohort, out_dir: Path, language: str | None = None) -> Path:
    """The report in `language` (default: c.Course.language)."""
    language = language or cohort.settings.course.language
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = in_language(cohort_statistics(cohort), cohort, language)
    images = {
        "completion": plot_completion(stats, out_dir / "completion.png"),
        "scores": plot_scores(stats, out_dir / "scores.png"),
        "exercises": plot_exercises(stats, out_dir / "exercises.png"),
        "timing": plot_timing(stats, out_dir / "timing.png"),
        "knowledge": plot_knowledge(stats, out_dir / "knowledge.png"),
    }
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    write(out_dir / "report.json", json.dumps(stats, indent=1, ensure_ascii=False) + "\n")
    return write(out_dir / "index.html", report_html(stats, images, generated))


def cmd_report(args: argparse.Namespace) -> int:
    root = find_root()
    cohort, _ = load_cohort(root)
    path = write_report(cohort, Path(args.output) if args.output else root / "build" / "report", args.language)
    print(f"Report: {path}")
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "report", help="write a static HTML report on the cohort, with plots",
        description="Write an HTML report (index.html, PNG plots, report.json) from the gradebook and the "
                    "autograded notebooks: the exercise the cohort got wrong most often and its most common "
                    "wrong answer first, then completion and pass rates, scores per module, success rate per "
                    "exercise, wrong answers on choice exercises, hand-in times, the share of right answers to the "
                    "ungraded knowledge checks before and after each module (with 95 % intervals), and which "
                    f"rules the cohort kept in its charters (counts only, from {MIN_CHARTERS} charters on). "
                    f"Pass rule: {pass_rule()}.")
    p.add_argument("-o", "--output", metavar="DIR", help="where to write (default: build/report/, git-ignored)")
    p.add_argument("--language", choices=LANGUAGES,
                   help="language of the report (default: c.Course.language in nbgrader_config.py); a module's "
                        "French edition counts with its English one either way")
    p.set_defaults(func=cmd_report)
