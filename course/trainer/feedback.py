"""`course feedback`: one HTML page per learner and module, without the tests' code.

nbgrader's own feedback renders the graded notebook, hidden tests included. Here a page
shows, for each exercise, the result, the points, and the plain-language message of the
check that failed (the `AnswerError` message from course.learner.check); the source of test
cells is never read into a page.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..coursedir import SOURCE_LANGUAGE, find_root, resolve_assignments
from ..templates import Words, decimal_symbol, render
from .pages import write
from .results import Cohort, Learner, Module, load_cohort


def _late(seconds: float, language: str = SOURCE_LANGUAGE) -> str:
    """How late a hand-in was, in hours under two days, in days (one decimal) from then."""
    words = Words(language)
    hours = round(seconds) / 3600
    if hours < 1:  # rather than "0 hours"
        return words.gettext("less than an hour")
    if hours < 48:
        return words.ngettext("%(num)s hour", "%(num)s hours", round(hours))
    days = f"{hours / 24:.1f}".replace(".", decimal_symbol(language))
    return words.gettext("%(days)s days", days=days)


def feedback_page(cohort: Cohort, learner: Learner, module: Module) -> str:
    """The page in the language of the edition the learner handed in."""
    sub = cohort.submission(learner.id, module.name)
    language = sub.language if sub is not None else SOURCE_LANGUAGE
    late = _late(sub.seconds_late, language) if sub is not None and sub.seconds_late > 0 else None
    return render("feedback.html", language, learner=learner, module=module, sub=sub, late=late,
                  result=cohort.result(learner.id, module), needed=cohort.pass_mark * module.auto_max)


def feedback_path(out_dir: Path, learner_id: str, assignment: str) -> Path:
    """feedback/<learner>/<assignment>/: the edition handed in, where nbgrader's exchange
    returns feedback (`nbgrader release_feedback`)."""
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
            sub = cohort.submission(learner.id, module.name)
            if sub is None:
                continue
            written.append(write(feedback_path(out_dir, learner.id, sub.assignment),
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
