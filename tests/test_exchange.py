"""`course release --exchange`: the released module reaches nbgrader's exchange, where
learners fetch it (the browser test fetches it from JupyterLab)."""

import pytest
from conftest import ROOT

from course.cli import main
from course.coursedir import CourseError
from course.trainer.demo import prepare_course
from course.trainer.release import publish_to_exchange

# Each test generates and releases assignments with nbgrader.
pytestmark = pytest.mark.slow

MODULE = "00-getting-started"


@pytest.fixture
def course_with_exchange(tmp_path):
    course = tmp_path / "course"
    prepare_course(ROOT, course, [MODULE])
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as f:
        f.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    return course, exchange


def test_release_reaches_the_exchange(course_with_exchange):
    course, exchange = course_with_exchange
    assert publish_to_exchange(course, [MODULE]) == [MODULE]
    outbound = exchange / "social-media-accounts" / "outbound" / MODULE
    assert (outbound / f"{MODULE}.ipynb").read_bytes() == (course / "release" / MODULE / f"{MODULE}.ipynb").read_bytes()


def test_the_command_releases_again_over_an_earlier_copy(course_with_exchange, monkeypatch, capsys):
    course, exchange = course_with_exchange
    monkeypatch.setenv("COURSE_DIR", str(course))
    publish_to_exchange(course, [MODULE])
    # A trainer corrects the module and releases it again: the exchange copy is replaced.
    assert main(["release", "00", "--exchange"]) == 0
    assert f"released {MODULE} to the nbgrader exchange" in capsys.readouterr().out
    assert (exchange / "social-media-accounts" / "outbound" / MODULE / f"{MODULE}.ipynb").is_file()


def test_an_unreleased_module_is_explained(course_with_exchange):
    course, _ = course_with_exchange
    (course / "source" / "01-x").mkdir()
    with pytest.raises(CourseError, match=r"run `course release 01-x` first"):
        publish_to_exchange(course, ["01-x"])
