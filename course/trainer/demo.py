"""`course demo`: the whole trainer workflow on a synthetic cohort, in a folder of its own.

In a fresh course folder (default ./demo/, git-ignored): release every module with
nbgrader into the demo's own gradebook, enrol a synthetic cohort (course.trainer.synthetic), hand
in its notebooks, grade them, then write feedback, exports, the report and certificates,
and say where each result is. A second run wipes the demo folder and starts again; it
never touches the course's own gradebook, release/ or autograded/.
"""

from __future__ import annotations

import argparse
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from nbgrader.api import Gradebook, MissingEntry

from ..config import Settings, gradebook_url, load
from ..coursedir import (CONFIG_NAME, CourseError, assignments, copy_sources, find_root, generate_assignments,
                         module_of, resolve_assignments, run_nbgrader, source_notebook)
from . import synthetic
from .certificates import write_certificates
from .export import write_export
from .feedback import write_feedback
from .report import write_report
from .results import load_cohort

DEMO_MARKER = ".course-demo"
DEFAULT_LEARNERS = 30
MIN_LEARNERS = 6  # the four special cases of course.trainer.synthetic, plus two ordinary learners
DAYS_BETWEEN_DEADLINES = 7


def deadline(index: int) -> datetime:
    """Module `index`'s deadline: one module a week."""
    return synthetic.default_deadline() + timedelta(days=DAYS_BETWEEN_DEADLINES * index)


def reset_folder(dest: Path, root: Path) -> None:
    """Empty `dest` for a new demo: only a folder a previous demo made (or an empty one)."""
    dest, root = dest.resolve(), root.resolve()
    if dest == root or root.is_relative_to(dest):
        raise CourseError(f"{dest} holds the course itself: give the demo a folder of its own (--dir).")
    if dest.exists():
        if not dest.is_dir() or (any(dest.iterdir()) and not (dest / DEMO_MARKER).exists()):
            raise CourseError(f"{dest} exists and was not made by `course demo`; it is left alone. "
                              "Choose another --dir, or remove that folder yourself.")
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    (dest / DEMO_MARKER).write_text("Made by `course demo`; the next run deletes this folder.\n", encoding="utf-8")


def prepare_course(root: Path, course_dir: Path, names: list[str],
                   on_released: Callable[[str], None] | None = None) -> Settings:
    """Make `course_dir` a course of its own: the sources of `names`, the course's
    nbgrader configuration pointed at a gradebook inside it, and every module released
    (nbgrader generate_assignment, which also records the module in the gradebook)."""
    course_dir.mkdir(parents=True, exist_ok=True)
    copy_sources(root, names, course_dir)
    db_url = gradebook_url(course_dir)
    config = (root / CONFIG_NAME).read_text(encoding="utf-8")
    # Whatever gradebook the course uses (maybe a company PostgreSQL), this copy uses its own.
    config += f"\n# Added by `course demo`: this folder's own gradebook.\nc.CourseDirectory.db_url = {db_url!r}\n"
    (course_dir / CONFIG_NAME).write_text(config, encoding="utf-8")
    for name in names:
        generate_assignments([name], course_dir, course_dir)
        with Gradebook(db_url) as gb:
            gb.update_or_create_assignment(name, duedate=deadline(module_index(names, name)).replace(tzinfo=None))
        if on_released:
            on_released(name)
    return load(course_dir)


def module_index(names: list[str], name: str) -> int:
    """The position of `name`'s module among the modules of `names`: a module's editions
    share its deadline."""
    return list(dict.fromkeys(module_of(n) for n in names)).index(module_of(name))


def handing_in(names: list[str], name: str, learners: list[synthetic.Learner]) -> list[synthetic.Learner]:
    """The learners who hand in the edition `name`: each learner hands in one edition of a
    module, the one in their language if there is one."""
    return [ln for ln in learners if synthetic.edition_of(ln, module_of(name), names) == name]


def enrol(settings: Settings, learners: list[synthetic.Learner]) -> None:
    with Gradebook(settings.db_url) as gb:
        for ln in learners:
            gb.update_or_create_student(ln.id, first_name=ln.first_name, last_name=ln.last_name)


def hand_in(root: Path, settings: Settings, names: list[str], learners: list[synthetic.Learner],
            seed: int) -> None:
    """Every learner's notebook for every module, in submitted/ (see course.trainer.synthetic)."""
    for name in names:
        synthetic.write_submissions(root, settings.root, name, handing_in(names, name, learners),
                                    deadline(module_index(names, name)), seed)


def submitted_learners(course_dir: Path, assignment: str) -> list[str]:
    return sorted(p.parent.name for p in (course_dir / "submitted").glob(f"*/{assignment}") if p.is_dir())


def autograde_with_nbgrader(course_dir: Path, assignment: str) -> None:
    """`nbgrader autograde ASSIGNMENT`. nbgrader exits non-zero when one notebook cannot
    be read but grades the others: that is only an error if a submission is missing from
    the gradebook afterwards."""
    settings = load(course_dir)
    try:
        run_nbgrader(["autograde", assignment, "--force"], course_dir, course_dir)
    except CourseError as error:
        with Gradebook(settings.db_url) as gb:
            missing = [ln for ln in submitted_learners(course_dir, assignment)
                       if not _in_gradebook(gb, assignment, ln)]
        if missing:
            raise error


def _in_gradebook(gb: Gradebook, assignment: str, learner: str) -> bool:
    try:
        gb.find_submission(assignment, learner)
    except MissingEntry:
        return False
    return True


def grade_assignments(course_dir: Path, names: list[str]) -> str:
    """Grade every submission of each assignment into the gradebook and autograded/ with
    `course grade` (one pool of warm workers for them all). Returns the grader's name."""
    from ..grading.command import grade

    grade(course_dir, list(names), progress=False)
    return "course grade"


def ungradable(course_dir: Path, assignment: str, notebook: str) -> list[str]:
    return [ln for ln in submitted_learners(course_dir, assignment)
            if not (course_dir / "autograded" / ln / assignment / f"{notebook}.ipynb").is_file()]


def build_cohort_course(root: Path, course_dir: Path, learners: list[synthetic.Learner],
                        names: list[str] | None = None, seed: int = 7,
                        grader: Callable[[Path, str], object] | None = None) -> Settings:
    """A graded course in `course_dir`: release, enrol, hand in, grade (with `grader`, one
    assignment at a time, or else with grade_assignments). For the demo and tests."""
    names = names if names is not None else assignments(root)
    settings = prepare_course(root, course_dir, names)
    enrol(settings, learners)
    hand_in(root, settings, names, learners, seed)
    if grader is None:
        grade_assignments(course_dir, names)
    else:
        for name in names:
            grader(course_dir, name)
    return settings


def _with_refresh(refresh: Callable[[], object], work: Callable[[], object]):
    """Run `work` in a thread, calling `refresh` (progress bars) while it runs."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(work)
        while not future.done():
            refresh()
            time.sleep(0.3)
        result = future.result()
    refresh()
    return result


def run_demo(root: Path, dest: Path, n_learners: int = DEFAULT_LEARNERS, seed: int = 7, console=None,
             names: list[str] | None = None) -> dict:
    """The whole demo; returns where each result is and how long each step took."""
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn)

    if n_learners < MIN_LEARNERS:
        raise CourseError(f"--learners must be at least {MIN_LEARNERS}.")
    console = console or Console()
    names = names or assignments(root)
    if not names:
        raise CourseError("source/ holds no module yet: nothing to demonstrate.")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    reset_folder(dest, root)
    learners = synthetic.make_learners(n_learners, seed)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        t = time.perf_counter()
        task = progress.add_task("Releasing modules (nbgrader)", total=len(names))
        settings = prepare_course(root, dest, names, on_released=lambda _: progress.advance(task))
        timings["release"] = time.perf_counter() - t

        t = time.perf_counter()
        enrol(settings, learners)
        hand_in(root, settings, names, learners, seed)
        timings["cohort"] = time.perf_counter() - t

        t = time.perf_counter()
        cohorts = {name: handing_in(names, name, learners) for name in names}
        tasks = {name: progress.add_task(f"Grading {name}", total=len(cohorts[name])) for name in names}

        def refresh():
            for name, task in tasks.items():
                progress.update(task, completed=sum(1 for ln in cohorts[name]
                                                    if (dest / "autograded" / ln.id / name).exists()))

        grader = _with_refresh(refresh, lambda: grade_assignments(dest, names))
        for name, task in tasks.items():
            damaged = len(ungradable(dest, name, source_notebook(root, name).stem))
            progress.update(task, completed=len(cohorts[name]),
                            description=f"Graded {name}" + (f" ({damaged} unreadable)" if damaged else ""))
        timings["grading"] = time.perf_counter() - t

        t = time.perf_counter()
        task = progress.add_task("Feedback, exports, report, certificates", total=4)
        cohort, _ = load_cohort(dest, settings=settings)
        feedback = write_feedback(cohort, settings.feedback_dir)
        progress.advance(task)
        exports = dest / "exports"
        files = [write_export(cohort, exports / "grades.csv"),
                 write_export(cohort, exports / "grades.json", "json"),
                 write_export(cohort, exports / "grades-pseudonymized.csv", pseudonymize=True)]
        progress.advance(task)
        report = write_report(cohort, dest / "report")
        progress.advance(task)
        certificates = write_certificates(cohort, dest / "certificates")
        progress.advance(task)
        timings["outputs"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    return {"dest": dest, "modules": names, "learners": len(learners), "graders": [grader],
            "feedback": feedback, "exports": files, "report": report, "certificates": certificates,
            "cohort": cohort, "timings": timings}


def print_summary(outcome: dict, console, root: Path) -> None:
    from rich.table import Table

    from .report import cohort_statistics

    dest: Path = outcome["dest"]
    rel = (lambda p: p.relative_to(root) if p.is_relative_to(root) else p)
    stats = cohort_statistics(outcome["cohort"])
    modules = list(dict.fromkeys(module_of(n) for n in outcome["modules"]))
    editions = len(outcome["modules"]) - len(modules)
    table = Table(title=f"course demo: {outcome['learners']} learners, {len(modules)} module(s)"
                        + (f" ({editions} in French too, for every third learner)" if editions else "")
                        + f", graded with {', '.join(outcome['graders'])}", show_lines=False)
    table.add_column("result")
    table.add_column("where", overflow="fold")
    table.add_row("course folder (nbgrader: gradebook.db, release/, submitted/, autograded/)", str(rel(dest)))
    table.add_row(f"feedback pages ({len(outcome['feedback'])})",
                  f"{rel(dest / 'feedback')}/<learner>/<module>/index.html")
    for path in outcome["exports"]:
        table.add_row(f"export: {path.name}", str(rel(path)))
    table.add_row("cohort report (open in a browser)", str(rel(outcome["report"])))
    table.add_row(f"certificates ({len(outcome['certificates'])} learners passed every module)",
                  f"{rel(dest / 'certificates')}/<learner>.html")
    console.print(table)
    hardest = stats["hardest"]
    if hardest:
        console.print(f"Hardest exercise: {hardest['assignment']} #{hardest['number']} "
                      f"“{hardest['title']}”: {100 * hardest['success_rate']:.0f} % got it right.")
    t = outcome["timings"]
    per_module = (t["release"] + t["grading"]) / len(modules)
    console.print(f"Took {t['total']:.0f} s (release {t['release']:.0f} s, grading {t['grading']:.0f} s, "
                  f"outputs {t['outputs']:.0f} s): about {per_module:.0f} s per module for "
                  f"{outcome['learners']} learners.")
    console.print(f"Run any trainer command on the demo: COURSE_DIR={rel(dest)} course report "
                  f"(or export, feedback, certificates --verify {rel(dest / 'certificates')}/<learner>.html).")
    console.print("Open the course as a learner: make lab (JupyterLab on your own copy of release/ in workspace/; "
                  "make lab LANG=fr: in French).")


def cmd_demo(args: argparse.Namespace) -> int:
    from rich.console import Console

    root = find_root()
    dest = Path(args.dir).resolve() if args.dir else root / "demo"
    console = Console()
    names = resolve_assignments(root, args.modules) if args.modules else None
    outcome = run_demo(root, dest, args.learners, args.seed, console, names)
    print_summary(outcome, console, root)
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "demo", help="run the whole trainer workflow on a synthetic cohort (make demo)",
        description="In a fresh folder (default: demo/, git-ignored, wiped and recreated on each run): "
                    "release every module, enrol a synthetic cohort (invented names, one empty, one late, "
                    "one damaged and one hostile notebook), grade it, then write feedback pages, exports "
                    "(CSV, JSON, pseudonymized CSV), the cohort report and certificates.")
    p.add_argument("--dir", metavar="DIR", help="where to build the demo course (default: demo/)")
    p.add_argument("--learners", type=int, default=DEFAULT_LEARNERS, metavar="N",
                   help=f"cohort size (default: {DEFAULT_LEARNERS}; at least {MIN_LEARNERS})")
    p.add_argument("--seed", type=int, default=7, help="seed of the synthetic cohort (default: 7)")
    p.add_argument("--modules", nargs="+", metavar="NN", help="only these modules (default: every module)")
    p.set_defaults(func=cmd_demo)
