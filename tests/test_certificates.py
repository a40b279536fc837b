"""`course certificates`: certificates exactly for the learners who passed every module,
and `--verify` accepts a genuine one and rejects any change or another course's."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from course.cli import main
from course.trainer.certificates import verify, write_certificates
from course.trainer.secret import SECRET_NAME
from support.trainer_cohort import ASSIGNMENTS as TEST_ASSIGNMENTS
from support.trainer_cohort import TRICKY_NAME

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("trainer_cohort")  # one graded cohort for the four files
graded_cohort = pytest.mark.assignment
ISSUED = date(2026, 12, 20)


@pytest.fixture(scope="session")
def course(trainer_cohort, tmp_path_factory):
    out = tmp_path_factory.mktemp("certificates")
    written = write_certificates(trainer_cohort["cohort"], out, ISSUED)
    return {**trainer_cohort, "out": out, "written": written}


def passed_every_module(db_url: str, learner_id: str) -> bool:
    with Gradebook(db_url) as gb:
        for name in TEST_ASSIGNMENTS:
            notebook = gb.find_assignment(name).notebooks[0]
            solutions = {c.name for c in notebook.solution_cells}
            auto = [c for c in notebook.grade_cells if c.cell_type == "code" and c.name not in solutions]
            scores = [gb.find_grade(c.name, notebook.name, name, learner_id).auto_score for c in auto]
            if any(s is None for s in scores) or sum(scores) < 0.8 * sum(c.max_score for c in auto):
                return False
    return True


def tampered(course, tmp_path, change) -> Path:
    original = course["out"] / f"{course['late'].id}.html"
    copy = tmp_path / "certificate.html"
    copy.write_text(change(original.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


@graded_cohort
def test_certificates_go_to_exactly_the_learners_who_passed_everything(course):
    expected = {ln.id for ln in course["learners"] if passed_every_module(course["settings"].db_url, ln.id)}
    assert expected and len(expected) < len(course["learners"]), "the cohort should mix passes and fails"
    assert {p.stem for p in course["written"]} == expected


@graded_cohort
def test_a_certificate_names_the_course_modules_date_and_hash(course):
    page = (course["out"] / f"{course['late'].id}.html").read_text(encoding="utf-8")
    assert "Certificate of completion" in page and ISSUED.isoformat() in page
    for name in TEST_ASSIGNMENTS:
        assert name in page
    assert re.search(r"verification [0-9a-f]{64}", page)
    # A name cannot close the data block or add a script.
    assert "<script>alert" not in page and page.count("<script") == 1


@graded_cohort
def test_verify_accepts_a_genuine_certificate(course, monkeypatch, capsys):
    path = course["out"] / f"{course['late'].id}.html"
    ok, why = verify(path, course["settings"].root)
    assert ok, why
    monkeypatch.setenv("COURSE_DIR", str(course["settings"].root))
    assert main(["certificates", "--verify", str(path)]) == 0
    assert "GENUINE" in capsys.readouterr().out


@graded_cohort
@pytest.mark.parametrize("change", [
    pytest.param(lambda t: t.replace("2026-12-20", "2026-12-21"), id="date-everywhere"),
    pytest.param(lambda t: t.replace("<p class=\"name\">", "<p class=\"name\">Dr "), id="visible-name"),
    pytest.param(lambda t: re.sub(r'"score": [0-9.]+', '"score": 99.0', t, count=1), id="score-in-data"),
    pytest.param(lambda t: re.sub(r'"verification": "([0-9a-f])', lambda m: '"verification": "'
                                  + ("0" if m.group(1) != "0" else "1"), t), id="hash"),
    pytest.param(lambda t: re.sub(r"<script.*</script>", "", t, flags=re.S), id="no-data"),
])
def test_verify_rejects_a_modified_certificate(course, tmp_path, monkeypatch, capsys, change):
    path = tampered(course, tmp_path, change)
    assert path.read_text(encoding="utf-8") != (course["out"] / f"{course['late'].id}.html").read_text(encoding="utf-8")
    ok, why = verify(path, course["settings"].root)
    assert not ok
    monkeypatch.setenv("COURSE_DIR", str(course["settings"].root))
    assert main(["certificates", "--verify", str(path)]) == 1
    assert "NOT GENUINE" in capsys.readouterr().out


@graded_cohort
def test_another_course_secret_rejects_it(course, tmp_path):
    other = tmp_path / "other-course"
    shutil.copytree(course["settings"].root / "source", other / "source")
    shutil.copy(course["settings"].root / "nbgrader_config.py", other / "nbgrader_config.py")
    assert not (other / SECRET_NAME).exists()
    ok, _ = verify(course["out"] / f"{course['late'].id}.html", other)
    assert not ok


@graded_cohort
def test_the_data_block_holds_what_the_page_shows(course):
    page = (course["out"] / f"{course['late'].id}.html").read_text(encoding="utf-8")
    block = json.loads(re.search(r'id="certificate-data">(.*?)</script>', page, re.S).group(1))
    data = block["data"]
    assert data["learner_id"] == course["late"].id and data["learner_name"].endswith(TRICKY_NAME)
    assert [m["assignment"] for m in data["modules"]] == TEST_ASSIGNMENTS
    assert all(m["score"] >= 0.8 * m["max_score"] for m in data["modules"])
    assert data["date"] == ISSUED.isoformat()


FRENCH_DATA = {"course": "Social media, professional and private: running your accounts well",
               "course_id": "c", "learner_id": "ann", "learner_name": "Anne-Sophie D'Arcy",
               "modules": [{"assignment": "00-getting-started", "title": "Premiers pas", "score": 2.0,
                            "max_score": 2.0}], "date": "2026-12-20", "language": "fr"}


@pytest.mark.parametrize("title", ["default", "own"])
def test_a_french_certificate_is_in_french_and_verifies(tmp_path, title):
    """A French-speaking learner's certificate: French words (the template's, from
    course/templates/locale/fr.po) and the default course title in French; verifying it renders
    it again in French, and a change to its French text is caught."""
    from course.trainer.certificates import certificate_hash, course_title, render

    data = {**FRENCH_DATA, "course": course_title(FRENCH_DATA["course"] if title == "default" else "Mon cours", "fr")}
    assert data["course"] == ("Réseaux sociaux, au travail et dans la vie privée : bien gérer ses comptes"
                              if title == "default" else "Mon cours")
    key = bytes.fromhex("ab" * 32)
    (tmp_path / SECRET_NAME).write_text(key.hex() + "\n", encoding="ascii")
    page = render(data, certificate_hash(key, data))
    assert "Attestation de réussite" in page and f'<p class="course">{data["course"]}</p>' in page
    assert "Certificate" not in page and "awarded to" not in page
    path = tmp_path / "ann.html"
    path.write_text(page, encoding="utf-8")
    assert verify(path, tmp_path) == (True, "Anne-Sophie D'Arcy (ann) passed 00-getting-started; issued 2026-12-20.")
    path.write_text(page.replace("Attestation de réussite", "Attestation de présence"), encoding="utf-8")
    assert verify(path, tmp_path) == (False, "its visible text was changed after it was issued.")
