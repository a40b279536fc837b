"""`course certificates`: an HTML certificate for every learner who passed every module,
and `--verify FILE` to check that a certificate is genuine and unchanged.

A certificate carries its data (learner, modules, scores, date) in a JSON block and a
verification hash: HMAC-SHA256 of that data keyed with the course secret, so only the
course folder that issued it can make or check one. Verifying recomputes the hash and
renders the page again from the data: changing the hash, the data or the visible text
is detected.
"""

from __future__ import annotations

import argparse
import hmac
import json
import re
from datetime import date
from pathlib import Path

from markupsafe import Markup

from ..coursedir import SOURCE_LANGUAGE, CourseError, find_root
from ..templates import render as render_template
from ..templates import decimal_symbol, translations
from .pages import write
from .results import Cohort, load_cohort
from .secret import course_secret, keyed_hash

# The pass mark of certificates that do not state theirs: those issued before it was an
# option, and those at that mark, whose data (and hash) are what they were.
EARLIER_PASS_MARK = 0.8
_DATA_BLOCK = re.compile(r'<script type="application/json" id="certificate-data">(.*?)</script>', re.S)


def _canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def certificate_hash(key: bytes, data: dict) -> str:
    return keyed_hash(key, "certificate:" + _canonical(data))


def course_title(title: str, language: str) -> str:
    """The course's title in `language`: the trainer's pages' catalogue (course/templates/locale)
    has the French of the default title (c.Course.title); a title of the trainer's own is shown
    as written. It goes into the signed data, so --verify renders a certificate as issued."""
    return translations(language).gettext(title)


def certificate_data(cohort: Cohort, learner_id: str, issued: date, title: str) -> dict:
    learner = next(ln for ln in cohort.learners if ln.id == learner_id)
    language = cohort.language(learner_id)  # the edition of the learner's latest hand-in
    modules = []
    for module in cohort.modules:
        result = cohort.result(learner_id, module)
        modules.append({"assignment": module.name, "title": module.title_in(language),
                        "score": result.auto_score, "max_score": module.auto_max})
    data = {"course": course_title(title, language), "course_id": cohort.settings.course_id, "learner_id": learner.id,
            "learner_name": learner.name, "modules": modules, "date": issued.isoformat()}
    if language != SOURCE_LANGUAGE:
        data["language"] = language  # signed with the rest: --verify renders the same page
        # Numbers as the language writes them (1,5 points, 80 %). Signed too: certificates
        # issued before this key existed have none, and --verify writes their numbers as issued.
        data["numbers"] = language
    if cohort.pass_mark != EARLIER_PASS_MARK:
        data["pass_mark"] = cohort.pass_mark  # signed with the rest: --verify shows it as issued
    return data


def render(data: dict, verification: str) -> str:
    """The certificate page; the same data and hash always give the same text."""
    embedded = json.dumps({"data": data, "verification": verification}, sort_keys=True, ensure_ascii=True)
    # Inside <script>, "</" would end the block: a name cannot close it.
    embedded = embedded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # Markup: safe as it is inside <script> (see above), and HTML-escaping it would change
    # the JSON that --verify reads back.
    from babel.numbers import format_percent

    mark = data.get("pass_mark", EARLIER_PASS_MARK)
    numbers = data.get("numbers")
    return render_template("certificate.html", data.get("language", SOURCE_LANGUAGE), data=data,
                           verification=verification, embedded=Markup(embedded),
                           decimal=decimal_symbol(numbers or SOURCE_LANGUAGE),
                           pass_mark=format_percent(mark, locale=numbers) if numbers else f"{mark:.0%}")


def write_certificates(cohort: Cohort, out_dir: Path, issued: date | None = None,
                       title: str | None = None) -> list[Path]:
    """One certificate per learner who passed every module of the gradebook. `title`:
    default c.Course.title."""
    title = title or cohort.settings.course.title
    key = course_secret(cohort.settings.root)
    issued = issued or date.today()
    written = []
    for learner in cohort.learners:
        if not cohort.passed_all(learner.id):
            continue
        data = certificate_data(cohort, learner.id, issued, title)
        written.append(write(out_dir / f"{learner.id}.html", render(data, certificate_hash(key, data))))
    return written


def verify(path: Path, root: Path) -> tuple[bool, str]:
    """(genuine?, why) for a certificate file, with the secret of the course at `root`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseError(f"Cannot read {path}: {exc}") from None
    found = _DATA_BLOCK.search(text)
    if not found:
        return False, "it holds no certificate data: it is not a certificate of this course."
    try:
        block = json.loads(found.group(1))
        data, claimed = block["data"], str(block["verification"])
    except (ValueError, KeyError, TypeError):
        return False, "its certificate data is damaged."
    expected = certificate_hash(course_secret(root), data)
    if not hmac.compare_digest(expected, claimed):
        return False, ("its verification hash does not match its data: it was changed, or another "
                       "course folder (another secret) issued it.")
    if render(data, claimed) != text:
        return False, "its visible text was changed after it was issued."
    names = ", ".join(m["assignment"] for m in data["modules"])
    return True, f"{data['learner_name']} ({data['learner_id']}) passed {names}; issued {data['date']}."


def cmd_certificates(args: argparse.Namespace) -> int:
    root = find_root()
    if args.verify:
        ok, why = verify(Path(args.verify), root)
        print(f"{'GENUINE' if ok else 'NOT GENUINE'}: {args.verify}: {why}")
        return 0 if ok else 1
    try:
        issued = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise CourseError(f"--date {args.date!r} is not a date like 2026-12-15.") from None
    cohort, _ = load_cohort(root)
    out_dir = Path(args.output) if args.output else root / "build" / "certificates"
    written = write_certificates(cohort, out_dir, issued, args.title)
    print(f"{len(written)} of {len(cohort.learners)} learner(s) passed every module "
          f"({', '.join(m.name for m in cohort.modules)}): certificates in {out_dir}/")
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "certificates", help="write a certificate per learner who passed every module, or verify one",
        description="Write <learner>.html for every learner who passed every graded module (at least "
                    "the pass mark, c.Course.pass_mark, of each module's auto-graded points). Each certificate "
                    "carries a verification hash: HMAC-SHA256 over the learner id, modules, scores, date and "
                    "pass mark, keyed with the course secret (.course-secret). --verify FILE checks one.")
    p.add_argument("-o", "--output", metavar="DIR", help="where to write (default: build/certificates/)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date of issue (default: today)")
    p.add_argument("--title", help="course title on the certificates (default: c.Course.title)")
    p.add_argument("--verify", metavar="FILE", help="check that FILE is a genuine, unchanged certificate "
                                                     "of this course (exit 0 if so, 1 if not)")
    p.set_defaults(func=cmd_certificates)
