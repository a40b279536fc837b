"""`course export`: every learner's points, exercise by exercise, as CSV or JSON (or as
xAPI statements, course/trainer/xapi.py).

nbgrader's CSV export has totals only and does not quote fields (a name with a comma
breaks the row). Here the CSV is written by the csv module (RFC 4180 quoting), one row
per learner and one column per exercise, with per-module totals and the pass flag.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from ..coursedir import find_root
from .knowledge import cohort_knowledge, scores
from .pages import number
from .results import Cohort, load_cohort, pass_rule
from .secret import course_secret, pseudonym

# language: the edition the learner handed in ("en" or "fr"; blank if none): a module's two
# editions are one module, with the same exercise columns.
MODULE_FIELDS = ("auto_score", "auto_max", "manual_score", "status", "late", "passed", "language",
                 "knowledge_before", "knowledge_after")


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def learner_records(cohort: Cohort, pseudonymize: bool = False) -> list[dict]:
    """One dict per learner: identity, then each module's exercises, totals and pass flag.
    With `pseudonymize`, the id is replaced by a keyed pseudonym and names are left out."""
    key = course_secret(cohort.settings.root) if pseudonymize else None
    # The ungraded knowledge checks: {"right": r, "asked": n} per phase, None if not answered.
    knowledge = scores(cohort_knowledge(cohort))
    records = []
    for learner in cohort.learners:
        if key is not None:
            record: dict = {"id": pseudonym(key, learner.id)}
        else:
            record = {"id": learner.id, "first_name": learner.first_name, "last_name": learner.last_name}
        modules = {}
        for module in cohort.modules:
            sub = cohort.submission(learner.id, module.name)
            result = cohort.result(learner.id, module)
            modules[module.name] = {
                "status": result.status,
                "exercises": {e.grade_id: (sub.scores.get(e.grade_id) if sub and sub.graded else None)
                              for e in module.exercises},
                "auto_score": result.auto_score,
                "auto_max": module.auto_max,
                "manual_score": result.manual_score,
                "manual_max": module.manual_max,
                "late": bool(sub and sub.seconds_late > 0),
                "passed": result.passed,
                "language": sub.language if sub else None,
                **{f"knowledge_{phase}": knowledge.get((learner.id, module.name), {}).get(phase)
                   for phase in ("before", "after")},
            }
        record["modules"] = modules
        record["modules_passed"] = sum(m["passed"] for m in modules.values())
        record["passed_all"] = cohort.passed_all(learner.id)
        records.append(record)
    if pseudonymize:
        # Sorted by pseudonym, so the row order does not give the ids' order away.
        records.sort(key=lambda r: r["id"])
    return records


def csv_columns(cohort: Cohort, pseudonymize: bool = False) -> list[str]:
    columns = ["id"] if pseudonymize else ["id", "first_name", "last_name"]
    for module in cohort.modules:
        columns += [f"{module.name}/{e.grade_id}" for e in module.exercises]
        columns += [f"{module.name}/{f}" for f in MODULE_FIELDS]
    return columns + ["modules_passed", "passed_all"]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, float):
        return number(value, 2)
    if isinstance(value, dict):  # a knowledge check: "2 of 3" (a spreadsheet would read 2/3 as a date)
        return f"{value['right']} of {value['asked']}"
    return str(value)


def to_csv(cohort: Cohort, pseudonymize: bool = False) -> str:
    columns = csv_columns(cohort, pseudonymize)
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns)
    for record in learner_records(cohort, pseudonymize):
        flat = {k: v for k, v in record.items() if k != "modules"}
        for name, m in record["modules"].items():
            flat.update({f"{name}/{gid}": s for gid, s in m["exercises"].items()})
            flat.update({f"{name}/{f}": m[f] for f in MODULE_FIELDS})
        writer.writerow([_cell(flat.get(c)) for c in columns])
    return out.getvalue()


def to_json(cohort: Cohort, pseudonymize: bool = False) -> str:
    data = {
        "course_id": cohort.settings.course_id,
        "pass_rule": cohort.pass_rule,
        "pseudonymized": pseudonymize,
        "modules": [{"assignment": m.name, "title": m.title, "auto_max": m.auto_max, "manual_max": m.manual_max,
                     "exercises": [{"grade_id": e.grade_id, "title": e.title, "max_score": e.max_score,
                                    "auto_graded": e.auto_graded} for e in m.exercises]}
                    for m in cohort.modules],
        "learners": learner_records(cohort, pseudonymize),
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def to_xapi(cohort: Cohort, pseudonymize: bool = False) -> str:
    """The xAPI statements (course/trainer/xapi.py) as one JSON array, as an LRS takes them;
    what was left out is said on standard error."""
    from .xapi import cohort_knowledge, cohort_statements

    statements, left_out = cohort_statements(cohort, pseudonymize, cohort_knowledge(cohort))
    for reason, count in left_out.items():
        print(f"left out: {count} {reason}", file=sys.stderr)
    return json.dumps(statements, indent=1, ensure_ascii=False) + "\n"


FORMATS = {"csv": to_csv, "json": to_json, "xapi": to_xapi}


def write_export(cohort: Cohort, path: Path, fmt: str = "csv", pseudonymize: bool = False) -> Path:
    text = FORMATS[fmt](cohort, pseudonymize)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path


def cmd_export(args: argparse.Namespace) -> int:
    cohort, _ = load_cohort(find_root())
    if args.output:
        path = write_export(cohort, Path(args.output), args.format, args.pseudonymize)
        print(f"Wrote {len(cohort.learners)} learner(s) to {path}", file=sys.stderr)
    else:
        sys.stdout.write(FORMATS[args.format](cohort, args.pseudonymize))
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help="export every learner's points per exercise (CSV, JSON or xAPI)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Export the gradebook: one row per learner, one column per exercise "
                    "(<assignment>/<grade_id>), then per module: auto_score, auto_max, manual_score, "
                    "status, late, passed, language (the edition handed in: en or fr; a module's two "
                    "editions are one module), knowledge_before and knowledge_after; then modules_passed and "
                    "passed_all.\n\n"
                    "knowledge_before and knowledge_after: right answers to the module's ungraded knowledge "
                    "check, at its start and at its end, as \"2 of 3\" in the CSV and {\"right\": 2, "
                    "\"asked\": 3} in the JSON; blank (null) when none of its questions was answered.\n\n"
                    f"Pass rule: {pass_rule()}. A manually graded cell is blank until a trainer "
                    "grades it (in nbgrader's formgrader); its points appear in manual_score.\n\n"
                    "The CSV is quoted as RFC 4180 says, so a name with a comma stays in one field.\n\n"
                    "--format xapi writes xAPI 1.0.3 statements instead, as one JSON array, for a learning "
                    "record store (`course send` posts them; docs/xapi.md says what they hold).")
    p.add_argument("--format", choices=tuple(FORMATS), default="csv", help="default: csv")
    p.add_argument("--pseudonymize", action="store_true",
                   help="replace each learner id by a stable pseudonym (HMAC-SHA256 of the id, keyed with "
                        "the course secret in .course-secret, created on first use) and leave names out")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    p.set_defaults(func=cmd_export)
