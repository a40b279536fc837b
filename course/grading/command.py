"""`course grade ASSIGNMENT`: grade every submission of an assignment into the gradebook.

Same results as `nbgrader autograde` (nbgrader's own preprocessors decide the scores),
written to the gradebook named by nbgrader_config.py and to autograded/, so formgrader,
generate_feedback and export keep working. Much faster: warm workers fork per notebook
instead of starting a kernel. Learner code runs sandboxed; a bad submission gets a reason
code in the summary and in autograded/<assignment>.grading-log.jsonl, the others are
graded, and the exit status is 1 when anything failed.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections import Counter, deque
from pathlib import Path

from ..coursedir import CourseError, copy_sources, find_root, generate_assignments, resolve_assignments, source_notebook
from ..gradebook_safety import backup, check_readable
from . import sandbox
from .pool import DaskPool, LocalPool, WorkerUnavailable

log = logging.getLogger(__name__)

# nbgrader, nbformat, the gradebook and the configuration are imported when grading starts,
# not when the `course` command builds its --help: the warm workers boot meanwhile.


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "grade", help="grade every submission of an assignment (fast, sandboxed nbgrader autograde)",
        description="Grade submitted/<learner>/ASSIGNMENT/ into autograded/ and the gradebook, with the same "
                    "scores as `nbgrader autograde`. Unchanged submissions already graded are skipped.")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                   help="assignment folder name or its number (e.g. 00); several may be given")
    p.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                   help="parallel warm workers on this machine (default: 2)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="spread submissions over a Dask cluster (e.g. tcp://scheduler.example:8786); "
                        "the gradebook is still written here")
    p.add_argument("--student", nargs="+", metavar="ID", help="grade only these learners")
    p.add_argument("--force", action="store_true", help="grade again even submissions that have not changed")
    p.add_argument("--memory-mb", type=int,
                   help="memory a learner's notebook may use (default: c.Course.memory_mb, see `course config`)")
    p.add_argument("--max-processes", type=int,
                   help="processes a learner's notebook may start (default: c.Course.max_processes)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="do not use bubblewrap (resource limits only); for machines without it")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no line about the gradebook's backup")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="show debug lines on stderr (workers, each submission's start, end and time)")
    p.add_argument("--log-file", type=Path, metavar="PATH",
                   help="write the log there (default: autograded/course-grade.log)")
    p.add_argument("--no-service", action="store_true",
                   help="grade in this process, without the grading service that keeps warm workers "
                        "between commands (see c.Course.grading_service_idle_minutes)")
    p.add_argument("--stop-service", action="store_true",
                   help="stop the course's grading service (if one runs) and grade nothing")
    p.set_defaults(func=cmd_grade)


def ensure_assignment(settings, assignment: str, writer) -> None:
    """Add the assignment to the gradebook from source/ if it is not there yet, with
    nbgrader generate_assignment run in a throwaway folder (release/ is left alone)."""
    from nbgrader.api import MissingEntry

    from ..gradebook_server import held

    # Another run may be adding it at this moment (PostgreSQL): wait for it, then look.
    with held(settings.db_url, "assignment", settings.course_id, assignment):
        writer.rollback()
        gb = writer.gb
        try:
            gb.find_assignment(assignment)
            if gb.find_assignment(assignment).notebooks:
                return
        except MissingEntry:
            pass
        source_notebook(settings.root, assignment)  # a clear error if source/ has no notebook
        writer.rollback()
        with tempfile.TemporaryDirectory(prefix="course-grade-assign-") as tmp:
            course = copy_sources(settings.root, [assignment], Path(tmp))
            generate_assignments([assignment], course, settings.root, db_url=settings.db_url)
        writer.rollback()  # see what nbgrader wrote


def grade(root: Path, assignments: list[str] | str, workers: int = 2, scheduler: str | None = None,
          students: list[str] | None = None, force: bool = False, limits: dict | None = None,
          use_bwrap: bool | None = None, progress: bool = True, out=None, keep_backups: int | None = None,
          say=None, pool=None, should_stop=None) -> list:
    """Grade each assignment; return one Outcome per learner and assignment (graded, failed
    or skipped). One pool of warm workers serves all the assignments. `limits`: Course
    options given on the command line ({"memory_mb": 2048}), over nbgrader_config.py's.
    Before the first write the gradebook is checked and backed up (course/gradebook_safety.py:
    the newest `keep_backups`, default c.Course.backups_kept, are kept); `say` gets the line
    that says where the backup is. `pool`: warm workers already started (the grading service's),
    left running; `should_stop`: a function, true when the command went away (the service's
    Ctrl-C: KeyboardInterrupt after the submission being recorded)."""
    out = out or sys.stderr
    if isinstance(assignments, str):
        assignments = [assignments]
    if use_bwrap is None:
        use_bwrap = bool(sandbox.bwrap_path())
    own_pool = pool is None
    if not own_pool:
        if not all(getattr(worker, "use_bwrap", True) for worker in getattr(pool, "workers", [])):
            print(_NO_BWRAP, file=out)
    elif scheduler or any(Path(root).glob(f"*/*/{a}") for a in assignments):
        # Workers boot while the gradebook side gets ready.
        pool = DaskPool(scheduler) if scheduler else LocalPool(max(1, workers), use_bwrap=use_bwrap)
        info = pool.start()
        if not info.get("bwrap"):
            print(_NO_BWRAP, file=out)
    outcomes: list = []
    writer = None
    finished = False
    try:
        from .lean_imports import import_trainer_side

        import_trainer_side(freeze=False)  # while the workers boot
        from ..config import load
        from .prepare import students_of
        from .record import GradebookWriter, Recorder

        settings = load(root).with_overrides(**(limits or {}))
        check_readable(settings.db_url)
        backup(settings.db_url, keep=keep_backups or settings.course.backups_kept, say=say)
        writer = GradebookWriter(settings)
        plans = []
        for assignment in assignments:
            ensure_assignment(settings, assignment, writer)
            recorder = Recorder(settings, writer, assignment)
            recorder.clean_leftovers()
            learners = students_of(settings, assignment, students)
            if students and len(assignments) == 1:
                unknown = sorted(set(students) - set(learners))
                if unknown:
                    raise CourseError(f"No submission of {assignment} for: {', '.join(unknown)} "
                                      f"(looked in {settings.coursedir.submitted_directory}/<id>/{assignment}/).")
            plans.append((assignment, recorder, learners, {} if force else recorder.previous()))
        outcomes = _run(settings, writer, pool, plans, progress, out, should_stop)
        finished = True
    finally:
        if own_pool and pool is not None:
            # Interrupted (Ctrl-C): the jobs under way will not be recorded, so their workers
            # are killed rather than waited for; the pool then removes its folder either way.
            pool.close(kill=not finished)
        if writer is not None:
            writer.close()
    return outcomes


_NO_BWRAP = ("course grade: WARNING: bubblewrap (bwrap) is not available, so learner code runs with "
             "resource limits only: it can read the course's files and use the network. "
             "Install it (apt-get install bubblewrap) for a real sandbox.")


def _run(settings, writer, pool, plans, progress, out, should_stop=None) -> list:
    """Grade every (assignment, learner) of `plans` through one pipeline: the workers never
    wait for an assignment to finish before the next one starts."""
    from .prepare import prepare
    from .record import Outcome

    todo = deque((assignment, recorder, student, previous)
                 for assignment, recorder, learners, previous in plans for student in learners)
    in_flight: dict[tuple, tuple] = {}
    outcomes: list[Outcome] = []
    # Until the first result is recorded, two jobs in flight (a cold pool has one worker
    # booted): preparing more would only delay recording the first notebook.
    limit, full = 2, 3 * max(1, len(getattr(pool, "workers", [])) or 4)
    bar = _progress([(assignment, len(learners)) for assignment, _, learners, _ in plans], progress, out)
    first = True
    try:
        while todo or in_flight:
            if should_stop is not None and should_stop():
                raise KeyboardInterrupt  # the command went away: what is recorded stays, whole
            while todo and len(in_flight) < limit:
                assignment, recorder, student, previous = todo.popleft()
                started = time.perf_counter()
                try:
                    prepared = prepare(writer.gb, settings, assignment, student)
                except Exception as exc:
                    writer.rollback()
                    outcome = Outcome(student, assignment, "failed",
                                      [{"code": "internal_error", "message": f"{type(exc).__name__}: {exc}"}])
                    recorder._log(outcome)
                    outcomes.append(outcome)
                    bar.advance(assignment)
                    continue
                writer.rollback()  # end the read transaction: never hold the database while grading
                if recorder.unchanged(previous.get(student), prepared.content_hash, student):
                    writer.rollback()
                    outcomes.append(Outcome(student, assignment, "skipped", content_hash=prepared.content_hash))
                    bar.advance(assignment)
                    continue
                writer.rollback()
                job = prepared.job(settings)
                if job is None:
                    outcomes.append(recorder.record(prepared, None, started))
                    bar.advance(assignment)
                    continue
                key = (assignment, student)
                in_flight[key] = (recorder, prepared, started)
                pool.submit(key, job)
            if in_flight:
                key, result = pool.next_result()
                recorder, prepared, started = in_flight.pop(key)
                outcomes.append(recorder.record(prepared, result, started))
                if first:
                    first, limit = False, full
                    pool.first_recorded()  # the other workers boot now, not beside the first record
                    log.info("first submission recorded at %.3f (epoch), this process's CPU %.2f s", time.time(),
                             time.process_time())
                bar.advance(key[0])
    finally:
        bar.close()
    return outcomes


class _progress:
    """One bar per assignment."""

    def __init__(self, totals: list[tuple[str, int]], enabled: bool, out):
        self.bar = None
        if enabled and any(total for _, total in totals):
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn, TimeRemainingColumn

            self.bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), TimeRemainingColumn(), console=Console(file=out), transient=False)
            self.bar.start()
            self.tasks = {assignment: self.bar.add_task(f"grading {assignment}", total=total)
                          for assignment, total in totals}

    def advance(self, assignment: str):
        if self.bar:
            self.bar.advance(self.tasks[assignment])

    def close(self):
        if self.bar:
            self.bar.stop()


def summary_table(outcomes: list, assignment: str, seconds: float):
    from rich.table import Table

    status = Counter(o.status for o in outcomes)
    table = Table(title=f"course grade {assignment}: {len(outcomes)} submission(s) in {seconds:.1f} s")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("graded", str(status["graded"]))
    table.add_row("skipped (unchanged since last grading)", str(status["skipped"]))
    table.add_row("failed", str(status["failed"]))
    reasons = Counter((o.status, r["code"]) for o in outcomes for r in o.reasons)
    for (state, code), n in sorted(reasons.items()):
        table.add_row(f"  {'failed' if state == 'failed' else 'note'}: {code}", str(n))
    scored = [o for o in outcomes if o.status != "skipped" and o.max_score]
    if scored:
        mean = sum((o.score or 0) / o.max_score for o in scored) / len(scored)
        table.add_row("mean score (graded now)", f"{100 * mean:.0f} %")
    return table


def cmd_grade(args: argparse.Namespace) -> int:
    root = find_root()
    if args.stop_service:
        from . import service

        try:
            stopped = service.stop(root)
        except service.ServiceUnavailable as exc:
            raise CourseError(str(exc)) from None
        print("The grading service stopped." if stopped else "No grading service was running for this course.")
        return 0
    if not args.assignments:
        raise CourseError("Name the assignment(s) to grade (e.g. `course grade 02`).")
    assignments = resolve_assignments(root, args.assignments)
    if args.workers < 1:
        raise CourseError("--workers must be at least 1.")
    options = {"assignments": assignments, "workers": args.workers, "scheduler": args.scheduler,
               "students": args.student, "force": args.force, "memory_mb": args.memory_mb,
               "max_processes": args.max_processes, "no_sandbox": args.no_sandbox, "quiet": args.quiet,
               "verbose": args.verbose, "log_file": str(args.log_file.resolve()) if args.log_file else None}
    if not args.no_service and not args.scheduler and _service_wanted(root):
        from . import service

        use_bwrap = not args.no_sandbox and bool(sandbox.bwrap_path())
        request = {"options": options, "stdout_tty": sys.stdout.isatty(), "stderr_tty": sys.stderr.isatty(),
                   "columns": _columns()}
        try:
            return service.run_client(root, request, args.workers, use_bwrap)
        except service.ServiceUnavailable as exc:
            print(f"course grade: the grading service cannot be used ({exc}); grading in this process.",
                  file=sys.stderr)
    if not args.scheduler:  # Dask's client is left its usual imports
        from . import lean_imports

        lean_imports.for_grading()  # before anything imports nbgrader (the service does it itself)
    return run_grade(root, options)


def _service_wanted(root: Path) -> bool:
    """c.Course.grading_service_idle_minutes above 0, and COURSE_GRADE_SERVICE not off."""
    from ..config import load
    from .service import disabled_by_env

    return not disabled_by_env() and load(root).course.grading_service_idle_minutes > 0


def _columns() -> int | None:
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return None


def run_grade(root: Path, options: dict, pool=None, should_stop=None, served: str | None = None) -> int:
    """`course grade` once its arguments are read: in this process, or in the grading service
    (`pool`: its warm workers; `should_stop`: the command went away; `served`: said in the log)."""
    from .logs import setup

    log_file = Path(options["log_file"]) if options.get("log_file") else None
    setup(options["verbose"], log_file or root / "autograded" / "course-grade.log", default=log_file is None)
    if served:
        log.info(served)
    # Read with the configuration once the workers are starting: nbgrader costs a second of CPU.
    limits = {"memory_mb": options["memory_mb"], "max_processes": options["max_processes"]}
    assignments = options["assignments"]
    started = time.perf_counter()
    try:
        outcomes = grade(root, assignments, workers=options["workers"], scheduler=options["scheduler"],
                         students=options["students"], force=options["force"], limits=limits,
                         use_bwrap=False if options["no_sandbox"] else None,
                         progress=not options["quiet"] and sys.stderr.isatty(),
                         say=None if options["quiet"] else (lambda line: print(line, flush=True)),
                         pool=pool, should_stop=should_stop)
    except WorkerUnavailable as exc:
        if pool is not None:
            raise
        raise CourseError(str(exc)) from None
    from rich.console import Console

    console = Console(file=sys.stdout)
    console.print(summary_table(outcomes, ", ".join(assignments), time.perf_counter() - started))
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        console.print(f"failed: {o.student} {o.assignment}: "
                      + "; ".join(f"{r['code']}: {r['message']}" for r in o.reasons), highlight=False, markup=False)
    for assignment in assignments:
        console.print(f"Details: {Path(root, 'autograded', assignment + '.grading-log.jsonl')}", highlight=False)
    return 1 if failed else 0
