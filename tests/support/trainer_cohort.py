"""The one graded cohort the trainer's tests share (report, feedback, export, certificates):
graded once by plain nbgrader, so those tests also prove the trainer's tools read what
nbgrader itself writes.

Eight synthetic learners hand in the first two modules, with the cases the trainer's
outputs must survive: markup in a first name (learner001), a last name with a comma
(learner002, RFC 4180 quoting), a learner whose first answer cell tries to leak the hidden
tests through a failure message (learner002), markup in the late learner's last name
(certificates), an empty, a corrupt and a hostile notebook.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from course.coursedir import modules, source_notebook
from course.trainer.demo import autograde_with_nbgrader, enrol, hand_in, prepare_course
from course.trainer.results import load_cohort
from course.trainer.synthetic import make_learners

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = modules(ROOT)[:2]  # English editions: the pages compared with tests/golden/
HOSTILE_NAME = '<script>alert("hi")</script>'
TRICKY_NAME = "Doe </script><script>alert(1)</script>"
# Learner code that replaces the checks by a function whose error message is the
# running cell's own source (IPython keeps it in `In`): the test cell, hidden tests included.
LEAK_CODE = """
from course.learner import check as _check
def _leak(*args, **kwargs):
    raise _check.AnswerError(In[-1])
for _name in ("answered", "is_type", "equal", "same_items", "one_of", "has_keys", "number_close",
              "table_columns", "same_table"):
    setattr(_check, _name, _leak)
"""


def build(folder: Path) -> dict:
    """Release, enrol, hand in and grade the cohort in `folder`; what the tests read."""
    learners = make_learners(8)
    learners[0].first_name = HOSTILE_NAME
    leaker = learners[1]
    late = next(ln for ln in learners if ln.kind == "late")  # answers everything right, so passes
    late.last_name = TRICKY_NAME
    settings = prepare_course(ROOT, folder, ASSIGNMENTS)
    enrol(settings, learners)
    hand_in(ROOT, settings, ASSIGNMENTS, learners, seed=7)
    first = ASSIGNMENTS[0]
    path = settings.root / "submitted" / leaker.id / first / source_notebook(ROOT, first).name
    nb = nbformat.read(str(path), as_version=4)
    answer_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
                       and c.cell_type == "code")
    answer_cell.source += "\n" + LEAK_CODE
    nbformat.write(nb, str(path))
    for name in ASSIGNMENTS:
        autograde_with_nbgrader(settings.root, name)
    cohort, _ = load_cohort(settings.root)
    return {"settings": settings, "learners": learners, "leaker": leaker, "late": late, "cohort": cohort}
