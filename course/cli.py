"""The `course` command: one entry point for trainers and course authors.

Each subcommand lives in its own module; this file only wires them to argparse and
turns known problems (CourseError, NotebookProblem) into a readable message and exit 2.
A command imports only its own module: `course grade` does not pay for nbformat's or
the report's imports before it starts grading.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import sys
from pathlib import Path

# Modules that add a subcommand with `add_parser(subparsers)`, in --help order, with the
# command each adds.
SUBCOMMAND_MODULES = {"grading.command": "grade", "trainer.feedback": "feedback", "trainer.export": "export",
                      "trainer.report": "report", "trainer.certificates": "certificates", "trainer.demo": "demo",
                      "trainer.gradebook_command": "gradebook", "trainer.translate": "translate",
                      "config": "config", "trainer.lrs": "send"}
# Commands defined in this file.
BUILTIN_COMMANDS = ("release", "clean", "validate")
from .coursedir import CourseError, find_root, resolve_assignments


def cmd_release(args: argparse.Namespace) -> int:
    from .trainer.release import release

    root = find_root()
    names = resolve_assignments(root, args.assignments)
    changed = release(root, names, check_only=args.check)
    if args.check:
        if changed:
            print("release/ is out of date for: " + ", ".join(changed) + ". Run `course release`.")
            return 1
        print(f"release/ matches source/ for {len(names)} assignment(s).")
        return 0
    for name in names:
        print(f"{'updated  ' if name in changed else 'unchanged'} release/{name}/")
    if args.exchange:
        from .trainer.release import publish_to_exchange

        for name in publish_to_exchange(root, names):
            print(f"released {name} to the nbgrader exchange: learners can fetch it now")
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    from .trainer import notebooks

    paths = [Path(p) for p in args.paths] or sorted((find_root() / "source").glob("*/*.ipynb"))
    dirty = []
    for path in paths:
        if not notebooks.clean_file(path, check_only=args.check):
            dirty.append(path)
    verb = "needs cleaning" if args.check else "cleaned"
    for path in dirty:
        print(f"{verb}: {path}")
    if not dirty:
        print(f"{len(paths)} notebook(s) already clean.")
    return 1 if (args.check and dirty) else 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .trainer.release import validate_sources

    root = find_root()
    problems = validate_sources(root, resolve_assignments(root, args.assignments))
    for p in problems:
        print(f"- {p}")
    print("All source notebooks are valid." if not problems else f"{len(problems)} problem(s).")
    return 1 if problems else 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `command` (a known command), no other subcommand's module is imported."""
    parser = argparse.ArgumentParser(
        prog="course",
        description="Release, grade and report on the social-media accounts course (nbgrader).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("release", help="validate source/ and regenerate release/ with nbgrader",
                       description="Validate the source notebooks, then regenerate release/ from source/ "
                                   "(nbgrader generate_assignment, run in a throwaway folder).")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                   help="assignment folder name or its number (e.g. 01); default: all")
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit 1 if release/ differs from what source/ gives")
    p.add_argument("--exchange", action="store_true",
                   help="also copy the release to the nbgrader exchange (c.Exchange.root in "
                        "nbgrader_config.py), where learners fetch it from JupyterLab")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("clean", help="strip outputs from notebooks, keeping nbgrader metadata",
                       description="Remove outputs, execution counts and front-end metadata from notebooks "
                                   "(default: every source notebook). nbgrader cell metadata is kept.")
    p.add_argument("paths", nargs="*", metavar="NOTEBOOK")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs cleaning")
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser("validate", help="check the source notebooks' nbgrader metadata",
                       description="List what would make nbgrader grade a source notebook wrongly.")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    p.set_defaults(func=cmd_validate)

    for module, name in SUBCOMMAND_MODULES.items():
        if command is not None and name != command:
            continue
        importlib.import_module(f"course.{module}").add_parser(sub)
    return parser


def commands() -> list[str]:
    """Every command, in --help order."""
    return [*BUILTIN_COMMANDS, *SUBCOMMAND_MODULES.values()]


def command_reference() -> str:
    """docs/commands.md: each command's --help, as the command prints it (a test keeps the
    committed file equal to this; `make docs` rewrites it)."""
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: the same text on every machine
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    parts = ["# The `course` command", "",
             "Generated from the commands' own `--help` by `make docs`; do not edit by hand.", "",
             "```", parser.format_help().rstrip(), "```"]
    for name in commands():
        parts += ["", f"## course {name}", "", "```", sub.choices[name].format_help().rstrip(), "```"]
    return "\n".join(parts) + "\n"


def _known_problem(exc: Exception) -> Exception | None:
    """The exception to show as a message (maybe a translation of `exc`), or None."""
    # NotebookProblem can only be raised once course.trainer.notebooks (and nbformat) is imported.
    notebooks = sys.modules.get("course.trainer.notebooks")
    if isinstance(exc, CourseError) or (notebooks is not None and isinstance(exc, notebooks.NotebookProblem)):
        return exc
    if "sqlite3" in sys.modules or "sqlalchemy" in sys.modules:  # a damaged or unreadable gradebook
        from .gradebook_safety import as_course_error

        return as_course_error(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # A known command builds only its own parser: `course release` need not import the report.
    known = (*BUILTIN_COMMANDS, *SUBCOMMAND_MODULES.values())
    command = argv[0] if argv and argv[0] in known else None
    args = build_parser(command).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except Exception as exc:
        problem = _known_problem(exc)
        if problem is None:
            raise
        print(f"course {args.command}: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"course {args.command}: interrupted.", file=sys.stderr)
        return 130


# Optional packages jsonschema imports for FormatChecker's formats only, which neither
# nbformat nor nbgrader use: rfc3987_syntax builds some 35 Lark grammars when imported (2 s of
# CPU, jsonschema issue #1428); isoduration imports arrow and dateutil (0.03 s, on the path
# of a cold `course grade`). Nothing else of the course's imports them.
UNUSED_FORMAT_PACKAGES = ("rfc3987_syntax", "isoduration")


def skip_unused_imports() -> None:
    """Make the imports of UNUSED_FORMAT_PACKAGES fail: jsonschema then leaves those formats
    out (it imports each under `suppress(ImportError)`)."""
    if "jsonschema" not in sys.modules:
        for name in UNUSED_FORMAT_PACKAGES:
            sys.modules.setdefault(name, None)


def run() -> None:
    """The `course` command (and `python -m course`): main(), then a quick exit."""
    skip_unused_imports()
    code = main()
    # Once a command has closed its files and the gradebook, tearing the interpreter down
    # (nbgrader, SQLAlchemy, pandas...) only costs time: about 0.3 s at the end of every
    # `course grade`. Run the exit handlers, flush, and leave at once.
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
