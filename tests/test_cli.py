"""The `course` command's parser: every command is listed, and a known command imports
only its own module (`course release` does not load the report or the grader)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from course.cli import BUILTIN_COMMANDS, SUBCOMMAND_MODULES, main


@pytest.mark.parametrize("command", ["release", "grade", "config"])
def test_a_known_command_imports_no_other_command(command):
    others = [f"course.{m}" for m, name in SUBCOMMAND_MODULES.items() if name != command]
    code = ("import sys\n"
            "from course.cli import main\n"
            "try:\n"
            f"    main([{command!r}, '--help'])\n"
            "except SystemExit:\n"
            "    pass\n"
            f"print('loaded:', [m for m in {others!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("loaded: []"), out[-500:]


def test_a_mistyped_command_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["grde"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'grde'" in err
    for name in (*BUILTIN_COMMANDS, *SUBCOMMAND_MODULES.values()):
        assert name in err
