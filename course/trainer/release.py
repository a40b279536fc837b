"""`course release`: validate the source notebooks and regenerate release/ with nbgrader.

nbgrader's generate_assignment runs in a throwaway course folder, so releasing never
touches the trainer's gradebook and gives the same files on every machine.
"""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from pathlib import Path

from . import notebooks
from ..config import gradebook_url
from ..coursedir import (FRENCH, NOT_MODULE_FILES, CourseError, assignments, copy_sources, edition_name,
                         generate_assignments, module_of, run_nbgrader, source_notebook)


def validate_sources(root: Path, names: list[str]) -> list[str]:
    problems: list[str] = []
    for name in names:
        path = source_notebook(root, name)
        nb = notebooks.read(path)
        problems += notebooks.validate_notebook(nb, str(path.relative_to(root)))
    return problems


def generate(root: Path, names: list[str], out_dir: Path) -> None:
    """Write the learner version of each assignment to out_dir/<name>/."""
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        tmp = Path(tmp)
        copy_sources(root, names, tmp)
        generate_assignments(names, tmp, root, db_url=gradebook_url(tmp))
        for name in names:
            target = out_dir / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(tmp / "release" / name, target)


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ between two trees (relative paths)."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for sub, subcmp in cmp.subdirs.items():
            walk(subcmp, f"{prefix}{sub}/")

    walk(filecmp.dircmp(a, b, ignore=list(NOT_MODULE_FILES)), "")
    return sorted(out)


def translations(root: Path, names: list[str], check_only: bool = False) -> list[str]:
    """Check the French catalogues of the modules among `names` and regenerate their French
    sources (`course translate`). French is required for every module when c.Course.editions
    has "fr"; otherwise only for the French editions already generated. Returns the French
    assignments whose source changed (or would change); raises CourseError on a missing or
    stale translation."""
    from ..config import load
    from .translate import CATALOGUE_DIR, generate

    required = FRENCH in load(root).course.editions
    modules = list(dict.fromkeys(module_of(n) for n in names))
    outcomes = generate(root, modules, check_only=check_only, required=required)
    failed = [o for o in outcomes if o.error]
    if failed:
        lines = [o.error.splitlines()[0] for o in failed]
        raise CourseError(
            "The French edition is missing or stale for these modules:\n  - " + "\n  - ".join(lines) +
            f"\nRun `course translate` to list the entries, translate them in {CATALOGUE_DIR / FRENCH}/"
            "NN-slug.po (`course translate --update` first if the English changed), then release again"
            + ("; or release English only: c.Course.editions = [\"en\"] in nbgrader_config.py." if required
               else "."))
    return [edition_name(o.module, FRENCH) for o in outcomes if o.changed]


def release(root: Path, names: list[str] | None = None, check_only: bool = False) -> list[str]:
    """Check the translations and regenerate the French sources, validate, then regenerate
    release/ for every edition of the modules among `names` (or, with check_only, report
    drift). Returns the assignments whose source or release changed (or would change)."""
    names = names or assignments(root)
    translated = translations(root, names, check_only)
    modules = {module_of(n) for n in names}
    names = [a for a in assignments(root) if module_of(a) in modules]
    problems = validate_sources(root, names)
    if problems:
        raise CourseError("The source notebooks have problems; fix them, then release again:\n  - "
                          + "\n  - ".join(problems))
    with tempfile.TemporaryDirectory(prefix="course-release-out-") as tmp:
        fresh = Path(tmp)
        generate(root, names, fresh)
        changed = [n for n in names
                   if not (root / "release" / n).is_dir() or differences(fresh / n, root / "release" / n)]
        if not check_only:
            (root / "release").mkdir(exist_ok=True)
            for name in changed:
                target = root / "release" / name
                if target.exists():
                    shutil.rmtree(target)
                shutil.copytree(fresh / name, target)
    return changed + [n for n in translated if n not in changed]


def publish_to_exchange(root: Path, names: list[str] | None = None) -> list[str]:
    """Copy release/<name>/ to the nbgrader exchange (`nbgrader release_assignment`), so
    learners on a shared JupyterHub fetch it from Nbgrader > Assignment List. The exchange
    is nbgrader's `c.Exchange.root` (default /srv/nbgrader/exchange) and the course is
    `c.CourseDirectory.course_id`, both from nbgrader_config.py."""
    names = names or assignments(root)
    for name in names:
        if not (root / "release" / name).is_dir():
            raise CourseError(f"release/{name}/ does not exist: run `course release {name}` first.")
        try:
            # --force: a trainer re-releasing a corrected module replaces the old copy.
            run_nbgrader(["release_assignment", name, "--force"], root, root)
        except CourseError as err:
            raise CourseError(
                f"Could not release {name} to the nbgrader exchange. Check c.Exchange.root in "
                f"nbgrader_config.py (the folder must exist and be writable by you and readable "
                f"by learners) and that c.CourseDirectory.course_id is set.\n{err}") from err
    return names
