"""Where the course lives on disk, and running nbgrader against a course folder.

Everything that runs nbgrader goes through `run_nbgrader` (the command) or
`generate_assignments` (nbgrader's Python API, in this process), so the course's own
`nbgrader_config.py` is always the configuration, whatever folder nbgrader works in.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

CONFIG_NAME = "nbgrader_config.py"


class CourseError(RuntimeError):
    """A trainer-facing problem: the message says what is wrong and what to do."""


def find_root(start: Path | None = None) -> Path:
    """The course folder: $COURSE_DIR, or the nearest folder up from `start` (default:
    the current folder) that holds nbgrader_config.py and source/."""
    env = os.environ.get("COURSE_DIR")
    if env:
        root = Path(env).resolve()
        if not (root / CONFIG_NAME).is_file():
            raise CourseError(f"COURSE_DIR={env} has no {CONFIG_NAME}.")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file() and (folder / "source").is_dir():
            return folder
    raise CourseError(
        f"No course found from {here}: run this command inside the course folder "
        f"(the one with {CONFIG_NAME} and source/), or set COURSE_DIR."
    )


def assignments(root: Path) -> list[str]:
    """Assignment names: the folders of source/ that hold a notebook, in order."""
    return sorted(p.name for p in (root / "source").iterdir()
                  if p.is_dir() and any(p.glob("*.ipynb")))


def source_notebook(root: Path, assignment: str) -> Path:
    nbs = sorted((root / "source" / assignment).glob("*.ipynb"))
    if len(nbs) != 1:
        raise CourseError(f"source/{assignment}/ should hold exactly one notebook; it holds {len(nbs)}.")
    return nbs[0]


def resolve_assignments(root: Path, names: list[str] | None) -> list[str]:
    known = assignments(root)
    if not names:
        return known
    out = []
    for name in names:
        matches = [a for a in known if a == name or a.startswith(name + "-") or a.split("-", 1)[0] == name]
        if len(matches) != 1:
            raise CourseError(f"Unknown assignment {name!r}. Known: {', '.join(known)}.")
        out.append(matches[0])
    return out


# What running a notebook in its own folder leaves beside it, never part of a module:
# checkpoints, caches, and the charter module 7 saves next to the notebook (charter.show).
NOT_MODULE_FILES = (".ipynb_checkpoints", "__pycache__", "my_charter.html", "my_charter.md")


def copy_sources(root: Path, names: list[str], dest: Path) -> Path:
    """A throwaway course at `dest` with source/<name> of each of `names` copied from the
    course at `root` (NOT_MODULE_FILES left out): where nbgrader generates or grades
    without touching the course itself. Returns `dest`."""
    for name in names:
        shutil.copytree(Path(root) / "source" / name, Path(dest) / "source" / name, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(*NOT_MODULE_FILES))
    return Path(dest)


def nbgrader_executable() -> list[str]:
    return [sys.executable, "-m", "nbgrader"]


def tool_env() -> dict[str, str]:
    """The environment for nbgrader and kernels: this interpreter's bin/ first on PATH,
    because nbgrader runs `alembic` from PATH and must find the venv's own."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def run_nbgrader(args: list[str], course_dir: Path, config_from: Path,
                 db_url: str | None = None, quiet: bool = True) -> subprocess.CompletedProcess:
    """Run `nbgrader ARGS` on `course_dir` with the configuration of the course at
    `config_from`. Raises CourseError with nbgrader's own log when it fails."""
    course_dir = Path(course_dir).resolve()
    if (config_from / CONFIG_NAME).resolve() != (course_dir / CONFIG_NAME).resolve():
        shutil.copyfile(config_from / CONFIG_NAME, course_dir / CONFIG_NAME)
    cmd = [*nbgrader_executable(), *args, f"--CourseDirectory.root={course_dir}"]
    if db_url:
        cmd.append(f"--CourseDirectory.db_url={db_url}")
    if quiet:
        cmd.append("--log-level=WARN")
    proc = subprocess.run(cmd, cwd=course_dir, capture_output=True, text=True, env=tool_env())
    if proc.returncode != 0:
        raise CourseError(f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode}):\n"
                          + (proc.stderr or proc.stdout)[-4000:])
    return proc


def generate_assignments(names: list[str], course_dir: Path, config_from: Path, db_url: str | None = None) -> None:
    """`nbgrader generate_assignment NAME --force` for each name, on `course_dir`, with the
    configuration of the course at `config_from`: the release/ folders and the gradebook
    rows nbgrader's command writes. It runs in this process through NbGraderAPI, the
    Python API nbgrader's formgrader uses: the command costs about 5.5 s per assignment,
    mostly starting up and importing, against about 1 s of work. Raises CourseError with
    nbgrader's log when one fails."""
    from .config import load

    config = copy.deepcopy(load(config_from).config)  # the loaded one is shared
    config.CourseDirectory.root = str(Path(course_dir).resolve())
    if db_url:
        config.CourseDirectory.db_url = db_url
    os.environ["PATH"] = tool_env()["PATH"]  # a new gradebook runs `alembic` from PATH: this venv's
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    for name in names:
        result = api.generate_assignment(name, force=True)
        if not result.get("success"):
            # nbgrader's log says what is wrong; the traceback's last line when it says nothing.
            detail = (result.get("log") or "").strip() or (result.get("error") or "").strip().splitlines()[-1]
            raise CourseError(f"`nbgrader generate_assignment {name}` failed:\n{detail[-4000:]}")
