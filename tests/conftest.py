import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from course.coursedir import assignments  # noqa: E402

# `course grade` run by a test grades in its own process, as the tests expect (its workers
# are its children) and leaves nothing running; tests/test_grading_service.py turns the
# grading service on for its own commands.
os.environ.setdefault("COURSE_GRADE_SERVICE", "off")

# Kernels that nbgrader starts for a test use Unix sockets (the reason is in this file).
_KERNEL_CONFIG = str(Path(__file__).parent / "support" / "jupyter_config")
if _KERNEL_CONFIG not in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep):
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (_KERNEL_CONFIG, os.environ.get("JUPYTER_CONFIG_PATH", "")) if p)

ASSIGNMENTS = assignments(ROOT)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Keep every test of one assignment on one xdist worker, so it is graded once.
    # tryfirst: xdist reads the xdist_group marks in its own hook of the same name.
    for item in items:
        # Grading whole assignments and driving a browser are slow by nature: `make test-fast`
        # leaves out every `slow` test, and these are slow whether or not their file says so.
        if item.get_closest_marker("assignment") or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
        callspec = getattr(item, "callspec", None)
        if callspec and "assignment" in callspec.params:
            item.add_marker(pytest.mark.xdist_group(callspec.params["assignment"]))


@pytest.fixture(scope="session")
def trainer_cohort(tmp_path_factory):
    """The graded cohort the trainer's tests share (tests/support/trainer_cohort.py), built
    once per test process; their files are one xdist group, so once per run."""
    from support.trainer_cohort import build

    return build(tmp_path_factory.mktemp("trainer-cohort") / "course")


def missing_tool(message: str) -> None:
    """A test needs a tool this machine lacks: in CI that is a failure (.ci/run installs
    every tool), elsewhere a skip that says how to install it."""
    if os.environ.get("CI"):
        pytest.fail(message + " In CI it must run: .ci/run installs it.")
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server (tests/support/postgres.py), stopped at the end of the
    session: `postgres_server.url("name")` is a new database of the test's own."""
    from support.postgres import APT_HINT, bin_dir, running_server

    binaries = bin_dir()
    if binaries is None:
        missing_tool(f"PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb): {APT_HINT}.")
    with running_server(binaries) as server:
        yield server
