"""`course demo`: the whole trainer workflow end to end on a small cohort, in its own
folder, which a second run may wipe (and nothing else)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from course.cli import build_parser, main
from course.coursedir import CourseError, modules as course_modules
from course.trainer.demo import DEFAULT_LEARNERS, DEMO_MARKER, reset_folder
from course.trainer.certificates import verify

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("trainer_demo")


@pytest.mark.assignment
def test_demo_end_to_end(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DIR", str(ROOT))
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps long paths to the terminal width
    dest = tmp_path / "demo"
    modules = course_modules(ROOT)[:2]  # every module works the same; two keep the test short (both editions of each)
    assert main(["demo", "--dir", str(dest), "--learners", "6", "--modules", *modules]) == 0
    out = capsys.readouterr().out

    assert (dest / DEMO_MARKER).is_file() and (dest / "gradebook.db").is_file()
    for name in modules:
        assert (dest / "release" / name).is_dir()
    pages = list((dest / "feedback").glob("*/*/index.html"))
    assert len(pages) == 6 * len(modules)

    grades = list(csv.DictReader(io.StringIO((dest / "exports" / "grades.csv").read_text(encoding="utf-8"),
                                             newline="")))
    assert len(grades) == 6 and any("," in r["last_name"] for r in grades)
    pseudonymized = (dest / "exports" / "grades-pseudonymized.csv").read_text(encoding="utf-8")
    assert all(r["id"] not in pseudonymized and r["last_name"] not in pseudonymized for r in grades)
    data = json.loads((dest / "exports" / "grades.json").read_text(encoding="utf-8"))
    assert [m["assignment"] for m in data["modules"]] == modules

    report = json.loads((dest / "report" / "report.json").read_text(encoding="utf-8"))
    assert report["learners"] == 6 and (dest / "report" / "index.html").is_file()

    passed = {r["id"] for r in grades if r["passed_all"] == "yes"}
    certificates = sorted((dest / "certificates").glob("*.html"))
    assert {p.stem for p in certificates} == passed and passed
    assert verify(certificates[0], dest)[0]

    for shown in ("make lab", "report", "certificates", "grades-pseudonymized.csv", "per module"):
        assert shown in out, shown


def test_reset_wipes_a_previous_demo_only(tmp_path):
    previous = tmp_path / "demo"
    (previous / "feedback").mkdir(parents=True)
    (previous / DEMO_MARKER).write_text("")
    (previous / "feedback" / "stale.html").write_text("old")
    reset_folder(previous, ROOT)
    assert sorted(p.name for p in previous.iterdir()) == [DEMO_MARKER]

    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(CourseError, match="not made by `course demo`"):
        reset_folder(foreign, ROOT)
    assert (foreign / "notes.txt").read_text() == "keep me"

    with pytest.raises(CourseError, match="holds the course itself"):
        reset_folder(ROOT, ROOT)
    with pytest.raises(CourseError, match="holds the course itself"):
        reset_folder(ROOT.parent, ROOT)


def test_too_small_a_cohort_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DIR", str(ROOT))
    assert main(["demo", "--dir", str(tmp_path / "d"), "--learners", "3"]) == 2
    assert "at least" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()


def test_default_cohort_has_at_least_30_learners():
    args = build_parser().parse_args(["demo"])
    assert args.learners == DEFAULT_LEARNERS >= 30
