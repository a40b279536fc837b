"""`course report`: a static HTML report on a cohort, with plots.

The first screen names the exercise the cohort got wrong most often, with its most
common wrong answer: that is the idea to explain again. Below: completion and pass
rates, the score distribution per module, the success rate of every exercise (hardest
first), the most common wrong answers on choice exercises, and hand-in times against
each module's deadline. Every number is also written to report.json.
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

from ..coursedir import find_root
from .feedback import with_code
from .pages import esc, number, page, write
from .results import Cohort, load_cohort, pass_rule

TOP_WRONG_ANSWERS = 5
RED, ORANGE, GREEN, GREY = "#b3261e", "#d98200", "#16703a", "#8a94a6"


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def cohort_statistics(cohort: Cohort) -> dict:
    """Every number the report shows, as plain JSON-ready values."""
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
    return {"course_id": cohort.settings.course_id, "learners": roster, "pass_rule": cohort.pass_rule,
            "pass_mark": cohort.pass_mark, "modules": modules, "exercises": exercises, "hardest": hardest}


def _save(fig: Figure, path: Path) -> str:
    FigureCanvasAgg(fig)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return path.name


def _no_data(ax, text: str = "no graded submission yet") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", color=GREY, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def plot_scores(stats: dict, path: Path) -> str:
    mods = stats["modules"]
    cols = max(1, min(3, len(mods)))
    rows = max(1, -(-len(mods) // cols))
    fig = Figure(figsize=(4.2 * cols, 3 * rows))
    for i, m in enumerate(mods or [None]):
        ax = fig.add_subplot(rows, cols, i + 1)
        if m is None or not m["percents"]:
            _no_data(ax)
            continue
        ax.hist(m["percents"], bins=list(range(0, 101, 10)), color="#3b6fb6", edgecolor="white")
        ax.axvline(100 * stats["pass_mark"], color=RED, linestyle="--", label="pass mark")
        ax.set_title(f"{m['assignment']} (n={len(m['percents'])})", fontsize=10)
        ax.set_xlabel("auto-graded score (%)")
        ax.set_ylabel("learners")
        ax.set_xlim(0, 100)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, loc="upper left")
    return _save(fig, path)


def plot_exercises(stats: dict, path: Path) -> str:
    rows = [e for e in stats["exercises"] if e["success_rate"] is not None]
    fig = Figure(figsize=(9, 1.2 + 0.38 * max(1, len(rows))))
    ax = fig.add_subplot()
    if not rows:
        _no_data(ax)
        return _save(fig, path)
    labels = [f"{e['assignment'][:2]} · {e['title'][:52]}" for e in rows]
    rates = [100 * e["success_rate"] for e in rows]
    colors = [RED if r < 50 else ORANGE if r < 100 * stats["pass_mark"] else GREEN for r in rates]
    ax.barh(range(len(rows)), rates, color=colors)
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.invert_yaxis()  # hardest at the top
    ax.set_xlim(0, 100)
    ax.set_xlabel("learners with full marks (%)")
    ax.set_title("Success rate per exercise, hardest first")
    return _save(fig, path)


def plot_completion(stats: dict, path: Path) -> str:
    mods = stats["modules"]
    fig = Figure(figsize=(max(5, 1.6 * len(mods) + 2), 3.4))
    ax = fig.add_subplot()
    if not mods or not stats["learners"]:
        _no_data(ax)
        return _save(fig, path)
    width = 0.27
    xs = range(len(mods))
    for k, (key, label, color) in enumerate([("submitted", "handed in", GREY), ("graded", "graded", "#3b6fb6"),
                                             ("passed", "passed", GREEN)]):
        ax.bar([x + (k - 1) * width for x in xs], [100 * m[key] / stats["learners"] for m in mods],
               width, label=label, color=color)
    ax.set_xticks(list(xs), [m["assignment"][:2] for m in mods])
    ax.set_ylim(0, 118)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(f"% of the {stats['learners']} learners")
    ax.set_xlabel("module")
    ax.legend(fontsize=8, ncols=3, loc="upper center")
    ax.set_title("Completion and pass rates per module")
    return _save(fig, path)


def plot_timing(stats: dict, path: Path) -> str:
    mods = [m for m in stats["modules"] if m["hours_from_deadline"]]
    fig = Figure(figsize=(8, 3.4))
    ax = fig.add_subplot()
    if not mods:
        _no_data(ax, "no hand-in times or deadlines")
        return _save(fig, path)
    ax.hist([m["hours_from_deadline"] for m in mods], bins=20, stacked=True,
            label=[m["assignment"][:2] for m in mods])
    ax.axvline(0, color=RED, linestyle="--")
    ax.annotate("deadline", (0, 1), xycoords=("data", "axes fraction"), xytext=(3, -12),
                textcoords="offset points", color=RED, fontsize=8)
    ax.set_xlabel("hours from the deadline (negative: before)")
    ax.set_ylabel("submissions")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8, title="module")
    ax.set_title("Hand-in times against the deadline")
    return _save(fig, path)


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{100 * rate:.0f} %"


def _headline(stats: dict) -> str:
    hardest = stats["hardest"]
    if hardest is None:
        return "<div class=\"box\"><p>No graded submission yet: grade the cohort, then run the report again.</p></div>"
    text = (f"<p><strong>The idea the cohort did not get:</strong> {esc(hardest['title'])} "
            f"<span class=\"muted\">(module {esc(hardest['assignment'])}, exercise {hardest['number']}, "
            f"<code>{esc(hardest['grade_id'])}</code>)</span></p>"
            f"<p>Only <strong>{hardest['full_marks']} of {hardest['attempted']}</strong> graded learners "
            f"({_pct(hardest['success_rate'])}) got it fully right.")
    if hardest["wrong_answers"]:
        answer, n = hardest["wrong_answers"][0]
        text += f" Most common wrong answer: <code>{esc(answer)}</code> ({n} learner{'s' if n > 1 else ''})."
    if hardest["not_answered"]:
        text += f" {hardest['not_answered']} left it unanswered."
    text += "</p>"
    if hardest["most_common_message"]:
        text += f"<p class=\"muted\">What most of them were told: {with_code(esc(hardest['most_common_message']))}</p>"
    good = hardest["success_rate"] >= stats["pass_mark"]
    return f"<div class=\"box{' good' if good else ''}\">{text}</div>"


def report_html(stats: dict, images: dict[str, str], generated: str) -> str:
    parts = [f"<h1>Cohort report · {esc(stats['course_id'])}</h1>",
             f"<p class=\"muted\">{stats['learners']} learners · {len(stats['modules'])} module(s) · "
             f"generated {esc(generated)} · pass rule: {esc(stats['pass_rule'])}</p>",
             _headline(stats)]

    rows = "".join(
        f"<tr><td>{esc(m['title'])}<br><span class=\"muted\">{esc(m['assignment'])}</span></td>"
        f"<td class=\"num\">{m['submitted']}</td>"
        f"<td class=\"num\">{m['graded']}</td><td class=\"num\">{m['could_not_be_graded']}</td>"
        f"<td class=\"num\">{_pct(m['completion_rate'])}</td><td class=\"num\">{m['passed']}</td>"
        f"<td class=\"num\">{_pct(m['pass_rate'])}</td>"
        f"<td class=\"num\">{number(m['mean_percent'], 0)}{' %' if m['mean_percent'] is not None else ''}</td>"
        f"<td class=\"num\">{m['late']}</td></tr>" for m in stats["modules"])
    parts.append("<h2>Completion and pass rates</h2><table><tr><th>Module</th>"
                 "<th class=\"num\">Handed in</th><th class=\"num\">Graded</th><th class=\"num\">Unreadable</th>"
                 "<th class=\"num\">Completion</th><th class=\"num\">Passed</th><th class=\"num\">Pass rate</th>"
                 "<th class=\"num\">Mean score</th><th class=\"num\">Late</th></tr>" + rows + "</table>"
                 "<p class=\"muted\">Rates are out of every learner in the gradebook; completion counts the "
                 "notebooks that could be graded.</p>"
                 f"<img src=\"{images['completion']}\" alt=\"Completion and pass rates per module\">")
    parts.append(f"<h2>Scores per module</h2><img src=\"{images['scores']}\" alt=\"Score distribution per module\">")

    rows = "".join(
        f"<tr><td>{esc(e['assignment'])}</td><td class=\"num\">{e['number']}</td><td>{esc(e['title'])}</td>"
        f"<td><code>{esc(e['grade_id'])}</code></td><td class=\"num\">{e['full_marks']} / {e['attempted']}</td>"
        f"<td class=\"num\">{_pct(e['success_rate'])}</td><td class=\"num\">{e['not_answered']}</td></tr>"
        for e in stats["exercises"])
    parts.append(f"<h2>Exercises, hardest first</h2><img src=\"{images['exercises']}\" "
                 "alt=\"Success rate per exercise, hardest first\"><table><tr><th>Module</th>"
                 "<th class=\"num\">#</th><th>Exercise</th><th>Check</th><th class=\"num\">Full marks</th>"
                 "<th class=\"num\">Success</th><th class=\"num\">Not answered</th></tr>" + rows + "</table>")

    rows = "".join(
        f"<tr><td>{esc(e['assignment'])} · {e['number']}. {esc(e['title'])}</td><td>"
        + "<br>".join(f"<code>{esc(text)}</code> × {n}" for text, n in e["wrong_answers"]) + "</td></tr>"
        for e in stats["exercises"] if e["wrong_answers"])
    parts.append("<h2>Most common wrong answers (choice exercises)</h2>"
                 + (f"<table><tr><th>Exercise</th><th>Wrong answer × learners</th></tr>{rows}</table>" if rows
                    else "<p class=\"muted\">No wrong answer given as a plain value.</p>"))

    rows = "".join(f"<tr><td>{esc(m['assignment'])}</td><td>{esc(m['deadline'] or '–')} UTC</td>"
                   f"<td class=\"num\">{m['submitted']}</td><td class=\"num\">{m['late']}</td></tr>"
                   for m in stats["modules"])
    parts.append(f"<h2>Hand-in times against the deadline</h2><img src=\"{images['timing']}\" "
                 "alt=\"Hand-in times against the deadline\"><table><tr><th>Module</th><th>Deadline</th>"
                 "<th class=\"num\">Handed in</th><th class=\"num\">Late</th></tr>" + rows + "</table>"
                 "<p class=\"muted\">All the numbers of this page: <a href=\"report.json\">report.json</a>.</p>")
    return page(f"Cohort report · {stats['course_id']}", "\n".join(parts))


def write_report(cohort: Cohort, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = cohort_statistics(cohort)
    images = {
        "completion": plot_completion(stats, out_dir / "completion.png"),
        "scores": plot_scores(stats, out_dir / "scores.png"),
        "exercises": plot_exercises(stats, out_dir / "exercises.png"),
        "timing": plot_timing(stats, out_dir / "timing.png"),
    }
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    write(out_dir / "report.json", json.dumps(stats, indent=1, ensure_ascii=False) + "\n")
    return write(out_dir / "index.html", report_html(stats, images, generated))


def cmd_report(args: argparse.Namespace) -> int:
    root = find_root()
    cohort, _ = load_cohort(root)
    path = write_report(cohort, Path(args.output) if args.output else root / "build" / "report")
    print(f"Report: {path}")
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "report", help="write a static HTML report on the cohort, with plots",
        description="Write an HTML report (index.html, PNG plots, report.json) from the gradebook and the "
                    "autograded notebooks: the exercise the cohort got wrong most often and its most common "
                    "wrong answer first, then completion and pass rates, scores per module, success rate per "
                    f"exercise, wrong answers on choice exercises, and hand-in times. Pass rule: {pass_rule()}.")
    p.add_argument("-o", "--output", metavar="DIR", help="where to write (default: build/report/, git-ignored)")
    p.set_defaults(func=cmd_report)
