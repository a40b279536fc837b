"""Every committed data file is exactly what its seeded script makes (golden files, as
otter-grader does it): run every course/learner/data/make_*.py in a copy of the folder and compare
bytes. To refresh after changing a script on purpose: `make data`."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

DATA = ROOT / "course" / "learner" / "data"
SCRIPTS = sorted(DATA.glob("make_*.py"))
assert SCRIPTS, f"no make_*.py in {DATA}: the data sets moved? (an empty list would skip every golden check)"


def data_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.suffix in {".csv", ".jpg", ".png", ".txt"}}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_committed_data_is_what_the_script_makes(script, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = data_files(copy)
    for f in before:  # the script must make its files, not find them
        (copy / f).unlink()
    subprocess.run([sys.executable, str(copy / script.name)], cwd=tmp_path, check=True,
                   capture_output=True, text=True)
    made = data_files(copy)
    assert made, f"{script.name} wrote no data file"
    changed = sorted(f for f, content in made.items() if before.get(f) != content)
    assert not changed, (f"{script.name} makes {changed} differently from the committed files: "
                         "run `make data` and commit, or make the script deterministic")
