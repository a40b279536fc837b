import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from course.coursedir import assignments  # noqa: E402

ASSIGNMENTS = assignments(ROOT)


def pytest_collection_modifyitems(items):
    # Keep every test of one assignment on one xdist worker, so it is graded once.
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and "assignment" in callspec.params:
            item.add_marker(pytest.mark.xdist_group(callspec.params["assignment"]))
