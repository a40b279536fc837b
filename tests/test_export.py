"""`course export`: per-exercise CSV and JSON that match the gradebook, quoted so a
name with a comma survives, and pseudonyms that are stable and reveal no name."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import stat
from pathlib import Path

import pytest
from nbgrader.api import Gradebook, MissingEntry

from course.cli import build_parser, main
from course.trainer.export import to_csv, to_json
from course.trainer.secret import SECRET_NAME
from support.trainer_cohort import ASSIGNMENTS as TEST_ASSIGNMENTS

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("trainer_cohort")  # one graded cohort for the four files
graded_cohort = pytest.mark.assignment


@pytest.fixture(scope="session")
def course(trainer_cohort):
    return trainer_cohort


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@graded_cohort
def test_a_name_with_a_comma_survives_the_csv(course):
    learners = course["learners"]
    assert any("," in ln.last_name for ln in learners), "the cohort should hold a name with a comma"
    text = to_csv(course["cohort"])
    read = {r["id"]: (r["first_name"], r["last_name"]) for r in rows(text)}
    assert read == {ln.id: (ln.first_name, ln.last_name) for ln in learners}
    with_comma = next(ln for ln in learners if "," in ln.last_name)
    assert f'"{with_comma.last_name}"' in text  # quoted, as RFC 4180 says


@graded_cohort
def test_csv_scores_and_pass_flags_match_the_gradebook(course):
    table = {r["id"]: r for r in rows(to_csv(course["cohort"]))}
    with Gradebook(course["settings"].db_url) as gb:
        for name in TEST_ASSIGNMENTS:
            assignment = gb.find_assignment(name)
            notebook = assignment.notebooks[0]
            solution_ids = {c.name for c in notebook.solution_cells}
            auto_cells = [c for c in notebook.grade_cells if c.cell_type == "code" and c.name not in solution_ids]
            auto_max = sum(c.max_score for c in auto_cells)
            for learner in course["learners"]:
                row = table[learner.id]
                try:
                    gb.find_submission(name, learner.id)
                except MissingEntry:
                    pytest.fail(f"{learner.id} has no submission for {name}")
                scores = [gb.find_grade(c.name, notebook.name, name, learner.id).auto_score for c in auto_cells]
                if learner.kind == "corrupt":
                    assert all(s is None for s in scores)
                    assert row[f"{name}/status"] == "could not be graded"
                    assert all(row[f"{name}/{c.name}"] == "" for c in auto_cells)
                    assert row[f"{name}/passed"] == "no"
                    continue
                for cell, score in zip(auto_cells, scores):
                    assert float(row[f"{name}/{cell.name}"]) == score, (learner.id, cell.name)
                total = sum(scores)
                assert float(row[f"{name}/auto_score"]) == total
                assert float(row[f"{name}/auto_max"]) == auto_max
                assert row[f"{name}/passed"] == ("yes" if total >= 0.8 * auto_max else "no")
                # Reflections wait for a trainer: blank until graded by hand (0 if there are none).
                has_manual = any(c.cell_type == "markdown" for c in notebook.grade_cells)
                assert row[f"{name}/manual_score"] == ("" if has_manual else "0")
    flags = {r["id"]: r["passed_all"] for r in table.values()}
    assert set(flags.values()) == {"yes", "no"}, "the small cohort should hold both outcomes"


@graded_cohort
def test_json_holds_the_same_numbers_as_the_csv(course):
    data = json.loads(to_json(course["cohort"]))
    table = {r["id"]: r for r in rows(to_csv(course["cohort"]))}
    assert [m["assignment"] for m in data["modules"]] == TEST_ASSIGNMENTS
    assert "80 %" in data["pass_rule"]
    for record in data["learners"]:
        row = table[record["id"]]
        assert record["last_name"] == row["last_name"]
        for name, module in record["modules"].items():
            assert ("yes" if module["passed"] else "no") == row[f"{name}/passed"]
            for gid, score in module["exercises"].items():
                assert (score is None and row[f"{name}/{gid}"] == "") or score == float(row[f"{name}/{gid}"])


@graded_cohort
def test_pseudonyms_are_stable_keyed_and_reveal_no_name(course):
    cohort, learners = course["cohort"], course["learners"]
    first = to_csv(cohort, pseudonymize=True)
    secret_file = course["settings"].root / SECRET_NAME
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert first == to_csv(cohort, pseudonymize=True), "pseudonyms must be stable from one export to the next"
    as_json = to_json(cohort, pseudonymize=True)
    for text in (first, as_json):
        for ln in learners:
            for revealing in (ln.id, ln.first_name, ln.last_name):
                assert revealing not in text, f"{revealing!r} appears in a pseudonymized export"
    ids = [r["id"] for r in rows(first)]
    assert len(set(ids)) == len(learners)
    assert list(rows(first)[0]) == [c for c in rows(to_csv(cohort))[0] if c not in ("first_name", "last_name")]
    # The pseudonym is the keyed hash of the id: whoever holds the secret can link them back.
    key = bytes.fromhex(secret_file.read_text().strip())
    expected = {"p-" + hmac.new(key, f"pseudonym:{ln.id}".encode(), hashlib.sha256).hexdigest()[:16]
                for ln in learners}
    assert set(ids) == expected
    assert {r["id"] for r in json.loads(as_json)["learners"]} == expected


@graded_cohort
def test_command_writes_csv_and_json_files(course, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DIR", str(course["settings"].root))
    assert main(["export", "-o", str(tmp_path / "g.csv")]) == 0
    assert main(["export", "--format", "json", "--pseudonymize", "-o", str(tmp_path / "g.json")]) == 0
    assert len(rows((tmp_path / "g.csv").read_text(encoding="utf-8"))) == len(course["learners"])
    assert json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["pseudonymized"] is True


def test_help_says_how_manually_graded_cells_count():
    export = build_parser()._subparsers._group_actions[0].choices["export"]
    text = " ".join(export.format_help().split())
    assert "80 %" in text and "manually graded" in text and "do not count towards passing" in text


def test_knowledge_checks_are_exported_per_module(tmp_path, monkeypatch):
    """Right answers before and after: "2 of 3" in the CSV (a spreadsheet reads 2/3 as a date),
    numbers in the JSON, blank when a phase has no answer; read from the graded notebooks."""
    from support.knowledge_notebooks import a_cohort, a_notebook, write_bank

    from course.learner import knowledge

    monkeypatch.setattr(knowledge, "QUESTIONS_DIR", write_bank(tmp_path / "bank"))  # right: b, c, a
    cohort = a_cohort(tmp_path / "course", {
        "l1": a_notebook(('"b"', '"a"', '"b"'), ('"b"', '"c"', '"a"')),
        "l2": a_notebook(('"d"', "...", "b"), ("...", "...", '" A "')),   # nothing readable before
        "l3": None,                                                       # not handed in
    })
    table = {r["id"]: r for r in rows(to_csv(cohort))}
    assert {i: (r["99-sample/knowledge_before"], r["99-sample/knowledge_after"]) for i, r in table.items()} == {
        "l1": ("1 of 3", "3 of 3"), "l2": ("", "1 of 3"), "l3": ("", "")}
    records = {r["id"]: r["modules"]["99-sample"] for r in json.loads(to_json(cohort))["learners"]}
    assert records["l1"]["knowledge_before"] == {"right": 1, "asked": 3}
    assert records["l2"]["knowledge_before"] is None and records["l3"]["knowledge_after"] is None


@graded_cohort
def test_knowledge_columns_are_what_the_learners_wrote(course):
    from course.learner import knowledge

    table = {r["id"]: r for r in rows(to_csv(course["cohort"]))}
    for ln in course["learners"]:
        for name in TEST_ASSIGNMENTS:
            for phase in ("before", "after"):
                letters = ln.knowledge.get(name, {}).get(phase, {}) if ln.kind != "corrupt" else {}
                answered = {n: a for n, a in letters.items() if a is not None}
                right = sum(knowledge.is_right(name, n, a) for n, a in answered.items())
                expected = f"{right} of {len(letters)}" if answered else ""
                assert table[ln.id][f"{name}/knowledge_{phase}"] == expected, (ln.id, name, phase)
