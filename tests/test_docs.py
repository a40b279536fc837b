"""The documentation says what the code does: the command reference is the commands' own
help, README's table lists every command, and docs/grading.md names every reason code and
the files a newcomer looks for."""

import re
from pathlib import Path

from conftest import ROOT

from course.cli import command_reference, commands


def test_command_reference_is_the_commands_own_help():
    committed = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert committed == command_reference(), "docs/commands.md is out of date: run `make docs`"


def test_readme_table_lists_every_command_and_no_other():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `course (\w+)", readme, flags=re.M)
    assert sorted(listed) == sorted(commands()), "README's table of `course` commands and the commands differ"


def reason_codes() -> set[str]:
    """Every reason code the grading engine can give (Problem(...) and result codes)."""
    codes = set()
    for path in (ROOT / "course" / "grading").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'Problem\(\s*"([a-z_]+)"', text))
        codes |= set(re.findall(r'"code": "([a-z_]+)"', text))
        codes |= set(re.findall(r'"(grader_error|worker_lost)"', text))
    return codes


def test_grading_doc_names_every_reason_code():
    doc = (ROOT / "docs" / "grading.md").read_text(encoding="utf-8")
    codes = reason_codes()
    assert {"kernel_died", "timeout", "grader_error", "corrupt_notebook"} <= codes, codes
    missing = sorted(c for c in codes if f"`{c}`" not in doc)
    assert not missing, f"docs/grading.md does not explain these reason codes: {missing}"


def test_grading_doc_points_at_files_that_exist():
    doc = (ROOT / "docs" / "grading.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`(course/[\w/]+\.py)`", doc))
    assert {"course/grading/learner.py", "course/grading/sandbox.py", "course/grading/record.py"} <= paths
    assert all((ROOT / p).is_file() for p in paths), [p for p in paths if not (ROOT / p).is_file()]
