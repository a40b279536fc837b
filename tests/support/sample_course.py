"""Throwaway course folders holding a synthetic cohort (course/trainer/synthetic.py), graded both by
plain nbgrader and by `course grade`: shared by the grading tests and the benchmark."""

from __future__ import annotations

import shutil
from pathlib import Path

from course.trainer import synthetic as cohort
from course.config import gradebook_url
from course.coursedir import CourseError, assignments, copy_sources, run_nbgrader
from support.gradebook import cell_scores


def make_course(root: Path, folder: Path, learners: int, extra_config: str = "",
                names: list[str] | None = None, seed: int = 7) -> list[cohort.Learner]:
    """A course folder (source/, nbgrader_config.py) with submitted/ for each assignment of
    `root` (default: all), `learners` learners from cohort.make_learners."""
    names = names or assignments(root)
    folder.mkdir(parents=True, exist_ok=True)
    copy_sources(root, names, folder)
    config = (root / "nbgrader_config.py").read_text(encoding="utf-8")
    (folder / "nbgrader_config.py").write_text(config + "\n" + extra_config, encoding="utf-8")
    people = cohort.make_learners(learners, seed=seed)
    for name in names:
        cohort.write_submissions(root, folder, name, people, cohort.default_deadline(), seed=seed)
    return people


def copy_course(src: Path, dest: Path) -> Path:
    """The same course and submissions, without any grading output."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("gradebook.db*", "autograded"))
    return dest


def nbgrader_autograde(course: Path, names: list[str]) -> None:
    """Plain nbgrader: generate_assignment, then autograde, on a course folder."""
    db_url = db_url_of(course)
    for name in names:
        run_nbgrader(["generate_assignment", name, "--force"], course, course, db_url=db_url)
    for name in names:
        try:
            run_nbgrader(["autograde", name, "--force"], course, course, db_url=db_url)
        except CourseError:
            pass  # nbgrader exits 1 when a submission failed (a corrupt file); the others are graded


def db_url_of(course: Path) -> str:
    """The throwaway course's own gradebook."""
    return gradebook_url(course)


def scores(course: Path, name: str, students: list[str]) -> dict[str, dict[str, float | None]]:
    """learner -> grade_id -> auto score, for one single-notebook assignment."""
    return {s: {g: c.auto_score for g, c in cell_scores(db_url_of(course), name, name, s).items()}
            for s in students}
