"""Everything the course takes from nbgrader's internals, in one place, for one tested version.

`course grade` gives the same scores as `nbgrader autograde` by running nbgrader's own
preprocessors on one shared gradebook session. For that it relies on how nbgrader
0.9.6 works inside, not only on its documented API. Every such use is here:

- `Gradebook.db`, the SQLAlchemy session a Gradebook keeps: `session`, `named_rows`,
  and `defer_commits` (the session swapped for one whose commit() only flushes, so that a
  submission is recorded in one transaction although nbgrader commits after every cell);
- caches that live as long as a Gradebook object (`per_gradebook`; kept beside it, not
  stored on it);
- `ClearHiddenTests._remove_hidden_test_region` (`without_hidden_tests`);
- `OverwriteCells.preprocess`, `SaveAutoGrades.preprocess` and `AssignLatePenalties.preprocess`
  done again on the shared session (`SharedOverwriteCells`, `SharedSaveAutoGrades`,
  `SharedAssignLatePenalties`): the attributes those set (notebook_id, assignment_id,
  student_id, db_url, gradebook), the look-ups their cells make (find_source_cell,
  find_graded_cell, find_grade, find_comment, gradebook.db.commit), `init_plugin`,
  `plugin_inst` and `AssignLatePenalties._check_late_penalty`;
- `MetadataValidator.validate_nb` calling `validate_cell` for each cell (`FastCheckCellMetadata`);
- where the Execute preprocessor reads its `timeout` (its config sections and its default,
  `execute_timeout`), read without importing it.

nbgrader's public API is used directly where it is needed, and is not gated here:
`nbgrader.api` (Gradebook and its find_/update_or_create_ calls, MissingEntry, BaseCell,
Grade, Comment) in course/gradebook.py, course/demo.py, course/trainer/results.py and
course/grading/{command,prepare,record}.py; `nbgrader.preprocessors` (ClearOutput,
DeduplicateIds, ClearHiddenTests, OverwriteCells.missing_cell_transform, CheckCellMetadata,
IgnorePattern, LimitOutput, Execute) in course/grading/{prepare,record}.py and
course/config.py; `nbgrader.nbgraderformat.MetadataValidator.upgrade_notebook_metadata`
and `nbgrader.utils.find_all_files` in course/grading/{prepare,record}.py;
`nbgrader.coursedir.CourseDirectory` (get_existing_timestamp, ignore, student_id_exclude)
in course/config.py and course/grading/prepare.py; `nbgrader.apps.NbGraderAPI` and the
`nbgrader` command in course/coursedir.py.

Importing this module checks the installed nbgrader against TESTED_NBGRADER. Upgrading
nbgrader: run the parity tests, tests/test_grading.py::test_same_scores_as_nbgrader_autograde
and tests/test_coursedir.py, with COURSE_ALLOW_NBGRADER=<new version>; when they pass (after
adapting this module), add the version to TESTED_NBGRADER and pin it in requirements.txt.
"""

from __future__ import annotations

import json
import os
import weakref

import nbformat
from nbgrader import __version__ as NBGRADER_VERSION
from nbgrader.api import BaseCell, Comment, Grade, Gradebook
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import AssignLatePenalties, CheckCellMetadata, OverwriteCells, SaveAutoGrades
from nbgrader.preprocessors.base import NbGraderPreprocessor

from .coursedir import CourseError

TESTED_NBGRADER = frozenset({"0.9.6"})   # the version pinned in requirements.txt
ALLOW_ENV = "COURSE_ALLOW_NBGRADER"      # e.g. COURSE_ALLOW_NBGRADER=0.9.7: try a new release
PARITY_TESTS = ("tests/test_grading.py::test_same_scores_as_nbgrader_autograde", "tests/test_coursedir.py")


def check_version(installed: str | None = None) -> None:
    """Raise CourseError unless the installed nbgrader (or `installed`) is a version the
    course was tested with, or one $COURSE_ALLOW_NBGRADER names (comma-separated)."""
    installed = installed or NBGRADER_VERSION
    allowed = {v.strip() for v in os.environ.get(ALLOW_ENV, "").split(",") if v.strip()}
    if installed in TESTED_NBGRADER or installed in allowed:
        return
    tested = ", ".join(sorted(TESTED_NBGRADER))
    raise CourseError(
        f"nbgrader {installed} is installed, but the course was tested with nbgrader {tested}: "
        f"`course grade` uses nbgrader's internals (course/nbgrader_adapter.py) and could give other "
        f"scores than nbgrader. Install nbgrader {tested} (`make venv` installs the pinned "
        f"requirements.txt). To upgrade, the parity tests are the gate: run "
        f"{' and '.join(PARITY_TESTS)} with {ALLOW_ENV}={installed}; once they pass, add {installed} "
        f"to TESTED_NBGRADER in course/nbgrader_adapter.py and pin it in requirements.txt.")


check_version()


# -- the gradebook's session ------------------------------------------------------------

def session(gb: Gradebook):
    """The SQLAlchemy session of `gb` (nbgrader's `Gradebook.db`)."""
    return gb.db


def named_rows(gb: Gradebook, table, condition) -> list:
    """(cell name, row) of the Grade or Comment rows that meet `condition`, in one query."""
    return [(name, row) for row, name in
            gb.db.query(table, BaseCell.name).join(BaseCell, BaseCell.id == table.cell_id).filter(condition)]


class _DeferredCommit:
    """The gradebook's session, with commit() turned into flush(): nbgrader's code commits
    after every cell; we commit once, when the whole submission is recorded."""

    def __init__(self, session):
        self._session = session

    def commit(self):
        self._session.flush()

    def __getattr__(self, name):
        return getattr(self._session, name)


class _NoCommit(_DeferredCommit):
    """The session with commit() doing nothing at all: SaveAutoGrades commits after every
    cell; its changes are flushed once, when the notebook is done."""

    def commit(self):
        pass


def defer_commits(gb: Gradebook):
    """Make every commit on `gb` a flush; return the real session (commit and roll back
    with it; give it back with `restore_commits` before closing the gradebook)."""
    real = gb.db
    gb.db = _DeferredCommit(real)
    return real


def restore_commits(gb: Gradebook, real) -> None:
    gb.db = real


_caches: "weakref.WeakKeyDictionary[Gradebook, dict]" = weakref.WeakKeyDictionary()


def per_gradebook(gb: Gradebook, name: str) -> dict:
    """A cache named `name` that lives as long as `gb`."""
    return _caches.setdefault(gb, {}).setdefault(name, {})


# -- preprocessors on the shared session ------------------------------------------------------

def without_hidden_tests(hide, source: str) -> str:
    """`source` as nbgrader releases it: the hidden-test region removed by the configured
    ClearHiddenTests `hide`."""
    cell = nbformat.NotebookNode(cell_type="code", source=source, metadata={})
    hide._remove_hidden_test_region(cell)
    return cell.source


def _bind(preprocessor, resources, student: bool = False) -> None:
    """What nbgrader's gradebook preprocessors set first in their preprocess()."""
    preprocessor.notebook_id = resources["nbgrader"]["notebook"]
    preprocessor.assignment_id = resources["nbgrader"]["assignment"]
    if student:
        preprocessor.student_id = resources["nbgrader"]["student"]
    preprocessor.db_url = resources["nbgrader"]["db_url"]


class SharedOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells, answering its look-ups (find_source_cell, find_graded_cell)
    from `lookup` instead of a gradebook of its own. Missing cells are not added here."""

    lookup = None

    def preprocess(self, nb, resources):
        _bind(self, resources)
        self.gradebook = self.lookup
        return NbGraderPreprocessor.preprocess(self, nb, resources)


class _SubmissionRows:
    """The grades and comments of one submitted notebook, loaded in one query each, answering
    the find_grade / find_comment calls nbgrader's SaveAutoGrades makes for every cell."""

    def __init__(self, gb: Gradebook, notebook: str, assignment: str, student: str):
        snb = gb.find_submission_notebook(notebook, assignment, student)
        # The cell names come in the same query: `grade.name` would load each cell on its own.
        self.grades = dict(named_rows(gb, Grade, Grade.notebook_id == snb.id))
        self.comments = dict(named_rows(gb, Comment, Comment.notebook_id == snb.id))
        self.db = _NoCommit(gb.db)

    def find_grade(self, grade_id, notebook, assignment, student):
        return self.grades[grade_id]

    def find_comment(self, grade_id, notebook, assignment, student):
        return self.comments[grade_id]


class SharedSaveAutoGrades(SaveAutoGrades):
    """nbgrader's SaveAutoGrades on `gradebook_session`, flushed once per notebook."""

    gradebook_session = None

    def preprocess(self, nb, resources):
        _bind(self, resources, student=True)
        self.gradebook = _SubmissionRows(self.gradebook_session, self.notebook_id, self.assignment_id,
                                         self.student_id)
        nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
        self.gradebook_session.db.flush()
        return nb, resources


class SharedAssignLatePenalties(AssignLatePenalties):
    """nbgrader's AssignLatePenalties.preprocess, on `gradebook_session`."""

    gradebook_session = None

    def preprocess(self, nb, resources):
        _bind(self, resources, student=True)
        self.init_plugin()
        gb = self.gradebook_session
        assignment = gb.find_submission(self.assignment_id, self.student_id)
        notebook = gb.find_submission_notebook(self.notebook_id, self.assignment_id, self.student_id)
        notebook.late_submission_penalty = None
        if assignment.total_seconds_late > 0:
            penalty = self.plugin_inst.late_submission_penalty(self.student_id, notebook.score,
                                                               assignment.total_seconds_late)
            if penalty is not None:
                notebook.late_submission_penalty = self._check_late_penalty(notebook, penalty)
        gb.db.commit()
        return nb, resources


class FastCheckCellMetadata(CheckCellMetadata):
    """nbgrader's CheckCellMetadata, remembering cells already found valid: the JSON-schema
    check of a cell depends only on its type and nbgrader metadata, which most learners
    share, and it would otherwise cost more than running the notebook."""

    _valid: set = set()

    def preprocess(self, nb, resources):
        validator = MetadataValidator()
        check_cell = validator.validate_cell

        def validate_cell(cell):
            key = (cell.cell_type, json.dumps(cell.metadata.get("nbgrader"), sort_keys=True, default=str))
            if key not in self._valid:
                check_cell(cell)
                self._valid.add(key)

        validator.validate_cell = validate_cell
        validator.validate_nb(nb)
        return nb, resources


# Where nbgrader's Execute preprocessor takes its `timeout` from: its config sections, base
# class first (`Execute.section_names()`; a later one wins), and its default. Read here
# without importing nbgrader's execute preprocessor, which imports nbclient and jupyter_client
# (0.08 s before a cold `course grade` reaches its first notebook); tests/test_config.py
# checks both against nbgrader's own class.
EXECUTE_SECTIONS = ("Configurable", "LoggingConfigurable", "NotebookClient", "NbConvertBase", "Preprocessor",
                    "ExecutePreprocessor", "NbGraderPreprocessor", "Execute")
EXECUTE_TIMEOUT_DEFAULT = 30


def execute_timeout(config) -> int | None:
    """The `timeout` nbgrader's Execute(config=config) would have."""
    value = EXECUTE_TIMEOUT_DEFAULT
    for section in EXECUTE_SECTIONS:
        if config._has_section(section) and "timeout" in config[section]:
            value = config[section]["timeout"]
    return value
