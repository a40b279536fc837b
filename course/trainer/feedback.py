"""`course feedback`: one HTML page per learner and module, without the tests' code.

nbgrader's own feedback renders the graded notebook, hidden tests included. Here a page
shows, for each exercise, the result, the points, and the plain-language message of the
check that failed (the `AnswerError` message from course.check); the source of test
cells is never read into a page.
"""

from __future__ import annotations

import argparse
import re
from datetime import timedelta
from pathlib import Path

from ..coursedir import find_root, resolve_assignments
from .pages import esc, number, page, write
from .results import Cohort, Learner, Module, load_cohort


def with_code(escaped: str) -> str:
    """`name` in a check's message, shown as code (the text is already escaped)."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", escaped)


def _late(seconds: float) -> str:
    late = timedelta(seconds=round(seconds))
    hours = late.total_seconds() / 3600
    return f"{hours:.0f} hour(s)" if hours < 48 else f"{hours / 24:.1f} days"


def feedback_page(cohort: Cohort, learner: Learner, module: Module) -> str:
    sub = cohort.submission(learner.id, module.name)
    result = cohort.result(learner.id, module)
    title = f"{module.title}: your results"
    parts = [f"<h1>{esc(title)}</h1>",
             f"<p class=\"muted\">{esc(learner.name)} · module {esc(module.name)}"]
    if sub is not None and sub.timestamp is not None:
        parts.append(f" · handed in {esc(sub.timestamp.strftime('%d %b %Y, %H:%M'))} UTC")
        if sub.seconds_late > 0:
            parts.append(f" · <span class=\"wait\">{esc(_late(sub.seconds_late))} after the deadline</span>")
    parts.append("</p>")

    needed = cohort.pass_mark * module.auto_max
    if result.status != "graded":
        parts.append("<div class=\"box\"><p><strong>Your notebook could not be graded.</strong> "
                     "The file could not be opened or run (it may be damaged or incomplete). Open your "
                     "copy in JupyterLab, check that it opens, save it (File > Save Notebook) and hand "
                     "it in again, or ask your trainer.</p></div>")
        return page(title, "\n".join(parts))
    verdict = (f"<span class=\"ok\">Module passed.</span>" if result.passed else
               f"<span class=\"ko\">Not passed yet:</span> passing needs {number(needed)} of "
               f"{number(module.auto_max)} points. Fix the exercises below and hand the notebook in again.")
    parts.append(f"<div class=\"box{' good' if result.passed else ''}\"><p>You scored "
                 f"<strong>{number(result.auto_score)} / {number(module.auto_max)}</strong> points on the "
                 f"automatically checked exercises ({number(result.percent, 0)} %). {verdict}</p></div>")

    rows = []
    for ex in module.exercises:
        score = sub.scores.get(ex.grade_id)
        if not ex.auto_graded:
            status = ("<span class=\"wait\">Waiting for your trainer</span>" if score is None else
                      "<span class=\"ok\">Reviewed</span>")
            detail = "A written answer: your trainer reads it and gives the points."
        elif score is not None and score >= ex.max_score:
            status, detail = "<span class=\"ok\">✓ Right</span>", ""
        else:
            status = "<span class=\"ko\">✗ Not yet</span>"
            detail = f"<p>{with_code(esc(sub.messages.get(ex.grade_id, '')))}</p>"
            answer = sub.answers.get(ex.answer_cell) if ex.answer_cell else None
            if answer is not None:
                detail += f"<p class=\"muted\">Your answer: <code>{esc(answer.text)}</code></p>"
        rows.append(f"<tr><td class=\"num\">{ex.number}</td><td>{esc(ex.title)}</td><td>{status}</td>"
                    f"<td class=\"num\">{number(score)} / {number(ex.max_score)}</td><td>{detail}</td></tr>")
    parts.append("<h2>Exercise by exercise</h2><table><tr><th class=\"num\">#</th><th>Exercise</th>"
                 "<th>Result</th><th class=\"num\">Points</th><th>What to look at</th></tr>"
                 + "\n".join(rows) + "</table>")
    parts.append("<p class=\"muted\">Messages come from the checks your notebook ran. "
                 "Written answers count for your trainer's review, not for passing the module.</p>")
    return page(title, "\n".join(parts))


def feedback_path(out_dir: Path, learner_id: str, assignment: str) -> Path:
    return out_dir / learner_id / assignment / "index.html"


def write_feedback(cohort: Cohort, out_dir: Path, assignments: list[str] | None = None,
                   learner_ids: list[str] | None = None) -> list[Path]:
    """Write a page for every learner who handed in each module; return the paths."""
    written = []
    modules = [cohort.module(a) for a in assignments] if assignments else cohort.modules
    for module in modules:
        for learner in cohort.learners:
            if learner_ids and learner.id not in learner_ids:
                continue
            if cohort.submission(learner.id, module.name) is None:
                continue
            written.append(write(feedback_path(out_dir, learner.id, module.name),
                                 feedback_page(cohort, learner, module)))
    return written


def cmd_feedback(args: argparse.Namespace) -> int:
    root = find_root()
    names = resolve_assignments(root, args.assignments) if args.assignments else None
    cohort, _ = load_cohort(root, names)
    out_dir = Path(args.output) if args.output else cohort.settings.feedback_dir
    written = write_feedback(cohort, out_dir, names, args.learner or None)
    print(f"Wrote {len(written)} feedback page(s) under {out_dir}/<learner>/<assignment>/index.html")
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "feedback", help="write one HTML feedback page per learner and module (no test code)",
        description="Write feedback/<learner>/<assignment>/index.html for every learner who handed the "
                    "module in: each exercise's result, points, and the plain-language message of each "
                    "failed check, hidden checks included. The code of the checks is never shown, and a "
                    "message that quotes it is withheld. Reads the nbgrader gradebook and autograded/.")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                   help="assignment folder name or number (e.g. 00); default: every graded assignment")
    p.add_argument("-o", "--output", metavar="DIR", help="where to write (default: the course's feedback/)")
    p.add_argument("--learner", action="append", metavar="ID", help="only this learner (repeatable)")
    p.set_defaults(func=cmd_feedback)
