"""The course's configuration (course/config.py): one reader of nbgrader_config.py, the
c.Course options, the gradebook URL, `course config`, and the nbgrader version gate of
course/nbgrader_adapter.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from course import nbgrader_adapter
from course.cli import main
from course.config import Course, gradebook_url, load, option_names
from course.coursedir import CourseError
from course.gradebook_safety import sqlite_path
from course.trainer.certificates import render
from course.trainer.results import Cohort, Exercise, Learner, Module, Submission

DEFAULTS = {name: trait.default() for name, trait in Course.class_traits(config=True).items()}
NBGRADER_BASICS = 'c.CourseDirectory.course_id = "test-course"\nc.ExecutePreprocessor.timeout = 20\n'


def course_folder(folder: Path, extra: str = "") -> Path:
    """A course folder whose nbgrader_config.py holds the basics and `extra`."""
    (folder / "source").mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text("c = get_config()\n" + NBGRADER_BASICS + extra, encoding="utf-8")
    return folder


def test_without_course_options_every_option_has_its_default(tmp_path):
    settings = load(course_folder(tmp_path))
    assert {name: getattr(settings.course, name) for name in option_names()} == DEFAULTS
    assert {settings.origin(name) for name in option_names()} == {"default"}
    assert settings.db_url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"
    assert settings.course_id == "test-course" and settings.timeout == 20.0
    assert settings.autograded_dir == tmp_path.resolve() / "autograded"
    limits = settings.limits
    assert (limits.memory_mb, limits.processes, limits.file_size_mb, limits.max_output_bytes) == (
        DEFAULTS["memory_mb"], DEFAULTS["max_processes"], DEFAULTS["file_size_mb"], DEFAULTS["max_output_bytes"])


def test_the_course_sets_the_defaults_it_had_as_constants():
    """Moving the constants into nbgrader_config.py changed no value."""
    settings = load(ROOT)
    # c.Course.editions is not one of those constants: the course sets it to the editions it
    # releases (["en", "fr"] once the French catalogues are complete), whatever the default.
    constants = [name for name in option_names() if name != "editions"]
    assert {name: getattr(settings.course, name) for name in constants} == {n: DEFAULTS[n] for n in constants}
    assert DEFAULTS["pass_mark"] == 0.8 and DEFAULTS["memory_mb"] == 1024 and DEFAULTS["max_processes"] == 64
    assert DEFAULTS["title"] == "Social media, professional and private: running your accounts well"
    assert settings.origin("pass_mark") == "nbgrader_config.py"


def test_values_come_from_the_course_nbgrader_config(tmp_path):
    course_folder(tmp_path, 'c.Course.pass_mark = 0.75\nc.Course.title = "Another course"\n'
                            "c.Course.memory_mb = 2048\nc.Course.backups_kept = 2\n")
    settings = load(tmp_path)
    course = settings.course
    assert (course.pass_mark, course.title, course.backups_kept) == (0.75, "Another course", 2)
    assert settings.limits.memory_mb == 2048
    assert settings.origin("pass_mark") == "nbgrader_config.py" and settings.origin("language") == "default"
    assert load(tmp_path) is settings, "nbgrader_config.py is read once per process"

    flagged = settings.with_overrides(memory_mb=512, max_processes=None)
    assert flagged.limits.memory_mb == 512 and flagged.limits.processes == DEFAULTS["max_processes"]
    assert flagged.origin("memory_mb") == "command line" and settings.limits.memory_mb == 2048

    course_folder(tmp_path, "c.Course.pass_mark = 0.6\n")  # the file changed: read again
    assert load(tmp_path).course.pass_mark == 0.6


@pytest.mark.parametrize("line, says", [
    ("c.Course.pass_mark = 1.5", ["c.Course.pass_mark = 1.5", "at most 1"]),
    ("c.Course.pass_mark = 0", ["c.Course.pass_mark = 0", "above 0"]),
    ("c.Course.language = 'de'", ["c.Course.language = 'de'", "'en'", "'fr'"]),
    ("c.Course.editions = ['fr']", ["c.Course.editions = ['fr']", '"en"']),
    ("c.Course.editions = ['en', 'de']", ["c.Course.editions", '"en", "fr"']),
    ("c.Course.memory_mb = 0", ["memory_mb", "less than 1"]),
    ("c.Course.xapi_home_page = 'intranet'", ["c.Course.xapi_home_page = 'intranet'", "web address"]),
    ("c.Course.xapi_activity_base = 'https:// x'", ["c.Course.xapi_activity_base", "web address"]),
    ("c.Course.passmark = 0.7", ["c.Course.passmark is not an option", "did you mean c.Course.pass_mark?"]),
])
def test_a_bad_value_is_a_clear_error(tmp_path, line, says):
    course_folder(tmp_path, line + "\n")
    with pytest.raises(CourseError) as failed:
        load(tmp_path)
    message = str(failed.value)
    assert str(tmp_path.resolve() / "nbgrader_config.py") in message
    for words in says:
        assert words in message


def test_a_bad_value_on_the_command_line_is_a_clear_error(tmp_path):
    with pytest.raises(CourseError, match="memory_mb"):
        load(course_folder(tmp_path)).with_overrides(memory_mb=-1)


def test_course_config_lists_every_option(tmp_path, monkeypatch, capsys):
    course_folder(tmp_path, "c.Course.pass_mark = 0.7\n")
    monkeypatch.setenv("COURSE_DIR", str(tmp_path))
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    entries = dict(re.findall(r"^(c\.\w+\.\w+) = .*\n    from: ([^;]+);", out, re.M))
    assert {label for label in entries if label.startswith("c.Course.")} == {f"c.Course.{n}" for n in option_names()}
    assert entries["c.Course.pass_mark"] == "nbgrader_config.py" and entries["c.Course.title"] == "default"
    for name in option_names():  # value, default and help of each
        trait = Course.class_traits()[name]
        block = out.split(f"c.Course.{name} = ", 1)[1].split("\n\n", 1)[0]
        assert f"default: {trait.default()!r}" in block
        assert " ".join(block.split()).count(" ".join(trait.help.split()[:6])) == 1
    for label in ("c.CourseDirectory.course_id", "c.CourseDirectory.db_url", "c.ExecutePreprocessor.timeout",
                  "c.LimitOutput.max_lines", "c.LimitOutput.max_traceback"):
        assert label in entries
    assert f"c.CourseDirectory.db_url = '{gradebook_url(tmp_path)}'" in out
    assert "c.ExecutePreprocessor.timeout = 20\n    from: nbgrader_config.py; default: 30" in out
    assert entries["c.LimitOutput.max_lines"] == "default"


def test_course_config_help():
    proc = subprocess.run([sys.executable, "-m", "course", "config", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "usage: course config" in proc.stdout and "nbgrader_config.py" in proc.stdout


def test_gradebook_url(tmp_path):
    assert gradebook_url(tmp_path) == f"sqlite:///{tmp_path.resolve()}/gradebook.db"
    assert sqlite_path(gradebook_url(tmp_path)) == tmp_path.resolve() / "gradebook.db"
    assert load(course_folder(tmp_path)).db_url == gradebook_url(tmp_path)
    company = "postgresql://grader@db.example/course"
    course_folder(tmp_path, f"c.CourseDirectory.db_url = {company!r}\n")
    settings = load(tmp_path)
    assert settings.db_url == gradebook_url(tmp_path, settings.config) == company
    assert sqlite_path(company) is None
    assert gradebook_url(tmp_path) != company, "without a configuration: the folder's own SQLite file"


def test_only_the_configuration_builds_gradebook_urls():
    """course/config.py builds them; course/gradebook_safety.py reads the file out of one."""
    course = ROOT / "course"
    building = {str(p.relative_to(course)) for p in course.rglob("*.py") if "sqlite:///" in p.read_text(encoding="utf-8")}
    assert building <= {"config.py", "gradebook_safety.py"}


def test_the_pass_mark_decides_who_passes(tmp_path):
    module = Module("m", "M", "m", None, [Exercise("m", "t", 1, "T", 10.0, True, None)])
    submission = Submission("a", "m", None, 0.0, True, {"t": 6.0})
    for pass_mark, passed in ((0.8, False), (0.6, True)):
        course_folder(tmp_path, f"c.Course.pass_mark = {pass_mark}\n")
        cohort = Cohort(load(tmp_path), [module], [Learner("a", "", "")], {("a", "m"): submission})
        assert cohort.result("a", module).passed is passed
        assert f"{100 * pass_mark:g} %" in cohort.pass_rule


def test_a_certificate_states_its_own_pass_mark():
    data = {"course": "C", "course_id": "c", "learner_id": "a", "learner_name": "A", "modules": [],
            "date": "2026-01-01"}
    assert "at least 80% of its" in render(data, "x"), "certificates issued before the option"
    assert "at least 65% of its" in render(dict(data, pass_mark=0.65), "x")


# -- nbgrader's internals: the version gate -----------------------------------------------------

def test_the_pinned_nbgrader_is_the_tested_one():
    pinned = re.search(r"^nbgrader==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M).group(1)
    assert pinned in nbgrader_adapter.TESTED_NBGRADER
    nbgrader_adapter.check_version()


def test_another_nbgrader_is_refused_until_allowed(monkeypatch):
    monkeypatch.delenv(nbgrader_adapter.ALLOW_ENV, raising=False)
    monkeypatch.setattr(nbgrader_adapter, "NBGRADER_VERSION", "0.9.7")
    with pytest.raises(CourseError) as refused:
        nbgrader_adapter.check_version()
    message = str(refused.value)
    for words in ("nbgrader 0.9.7 is installed", "tested with nbgrader 0.9.6",
                  "tests/test_grading.py::test_same_scores_as_nbgrader_autograde", "tests/test_coursedir.py",
                  "COURSE_ALLOW_NBGRADER=0.9.7"):
        assert words in message
    monkeypatch.setenv(nbgrader_adapter.ALLOW_ENV, "0.9.7")
    nbgrader_adapter.check_version()
    monkeypatch.setenv(nbgrader_adapter.ALLOW_ENV, "0.9.8")
    with pytest.raises(CourseError):
        nbgrader_adapter.check_version()


def test_the_grader_does_not_load_with_another_nbgrader():
    code = ("import nbgrader\nnbgrader.__version__ = '0.9.7'\n"
            "from course.coursedir import CourseError\n"
            "try:\n    import course.grading.record\nexcept CourseError as exc:\n    print('refused:', exc)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("refused: nbgrader 0.9.7 is installed")


NBGRADER_PRIVATES = ("_remove_hidden_test_region", "_check_late_penalty", "init_plugin", "plugin_inst",
                     "NbGraderPreprocessor", "gb.db", "_session.db", "gb.__dict__", "validate_cell")


def test_nbgrader_internals_are_used_only_through_the_adapter():
    adapter = ROOT / "course" / "nbgrader_adapter.py"
    used = {(str(p.relative_to(ROOT)), name) for p in (ROOT / "course").rglob("*.py") if p != adapter
            for name in NBGRADER_PRIVATES if name in p.read_text(encoding="utf-8")}
    assert used == set()


@pytest.mark.parametrize("lines", [
    "", "c.ExecutePreprocessor.timeout = 20", "c.Execute.timeout = 5", "c.NotebookClient.timeout = 7",
    "c.ExecutePreprocessor.timeout = 20\nc.Execute.timeout = 5", "c.Execute.timeout = 5\nc.ExecutePreprocessor.timeout = 20",
    "c.NotebookClient.timeout = 7\nc.ExecutePreprocessor.timeout = None", "c.Execute.timeout = 0",
])
def test_the_timeout_is_read_as_nbgraders_execute_reads_it(tmp_path, lines):
    """Settings.timeout reads the configuration without importing nbgrader's Execute (it
    imports nbclient): the same value as Execute itself, whichever sections are set."""
    from nbgrader.preprocessors import Execute

    from course.nbgrader_adapter import EXECUTE_SECTIONS, EXECUTE_TIMEOUT_DEFAULT, execute_timeout

    assert tuple(Execute.section_names()) == EXECUTE_SECTIONS
    assert Execute.class_traits()["timeout"].default_value == EXECUTE_TIMEOUT_DEFAULT
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "nbgrader_config.py").write_text("c = get_config()\n" + lines + "\n", encoding="utf-8")
    settings = load(folder)
    assert execute_timeout(settings.config) == Execute(config=settings.config).timeout
    assert settings.timeout == float(Execute(config=settings.config).timeout or 60)
