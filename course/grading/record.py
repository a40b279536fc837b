"""The single gradebook writer: one transaction per submission, then the files and the log.

Scores are decided by nbgrader's own SaveAutoGrades (determine_grade on the outputs) and
AssignLatePenalties, after nbgrader's LimitOutput. Every commit nbgrader's code makes is
deferred to one real commit per submission, so a run killed at any point leaves each
submission either fully recorded or untouched. The autograded folder is replaced by a
rename after the commit; the grading log (autograded/<assignment>.grading-log.jsonl) is
appended last, so a crash in between only means that submission is graded again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from sqlalchemy.exc import SAWarning
from nbgrader.api import Grade, Gradebook, MissingEntry
from nbgrader.preprocessors import IgnorePattern, LimitOutput

from .. import cells as cell_kinds
from ..config import Settings
from ..coursedir import tool_env
from ..gradebook_server import held, lock_for_transaction, make_shared_rows
from ..nbgrader_adapter import (SharedAssignLatePenalties, SharedSaveAutoGrades, defer_commits, named_rows,
                                restore_commits, session)
from .logs import printable
from .prepare import Prepared, PreparedNotebook, Problem

OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error"}
# Reasons that mean the submission could not be graded as submitted (exit status 1).
FAILURES = {"missing_notebook", "corrupt_notebook", "empty_notebook", "unreadable_file", "wrong_assignment",
            "invalid_metadata", "kernel_died", "timeout_unresponsive", "grader_interference", "worker_lost",
            "internal_error", "grader_error"}
# The grader's own failures, not the learner's: the gradebook keeps what it had, the next run retries.
GRADER_FAULTS = ("worker_lost", "internal_error", "grader_error")
log = logging.getLogger(__name__)


class GradebookWriter:
    def __init__(self, settings: Settings):
        self.settings = settings
        # A new gradebook runs `alembic` from PATH: it must be this interpreter's.
        os.environ["PATH"] = tool_env()["PATH"]
        # nbgrader's add_submission builds rows while autoflush is on; SQLAlchemy warns, harmlessly.
        warnings.filterwarnings("ignore", category=SAWarning)
        with held(settings.db_url, "schema"):  # another run may be creating the same tables
            self.gb = Gradebook(settings.db_url, settings.course_id)
            make_shared_rows(self.gb, settings.db_url)
        self._real = defer_commits(self.gb)

    def commit(self):
        self._real.commit()

    def rollback(self):
        self._real.rollback()

    def close(self):
        restore_commits(self.gb, self._real)
        self.gb.close()


@dataclass
class Outcome:
    student: str
    assignment: str
    status: str                     # graded, failed, skipped
    reasons: list[dict] = field(default_factory=list)
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0
    content_hash: str = ""
    cells: dict = field(default_factory=dict)  # grade_id -> auto score

    def log_line(self) -> str:
        return json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "student": self.student,
                           "assignment": self.assignment, "status": self.status, "reasons": self.reasons,
                           "score": self.score, "max_score": self.max_score, "hash": self.content_hash,
                           "seconds": round(self.seconds, 3), "cells": self.cells}, sort_keys=True)


def _clean_outputs(raw: list) -> list:
    outputs = []
    for out in raw if isinstance(raw, list) else []:
        if not isinstance(out, dict) or out.get("output_type") not in OUTPUT_TYPES:
            continue
        kind = out["output_type"]
        if kind == "stream":
            node = {"output_type": kind, "name": "stderr" if out.get("name") == "stderr" else "stdout",
                    "text": str(out.get("text", ""))}
        elif kind == "error":
            node = {"output_type": kind, "ename": str(out.get("ename", "Error")), "evalue": str(out.get("evalue", "")),
                    "traceback": [str(t) for t in out.get("traceback", []) if isinstance(t, str)][:1000]}
        else:
            data = {str(k): v for k, v in (out.get("data") or {}).items() if isinstance(v, (str, dict, list))}
            metadata = out.get("metadata") if isinstance(out.get("metadata"), dict) else {}
            node = {"output_type": kind, "data": data, "metadata": metadata}
            if kind == "execute_result":
                node["execution_count"] = None
        outputs.append(nbformat.from_dict(node))
    return outputs


def apply_result(p: PreparedNotebook, result: dict) -> list[Problem]:
    """Put the worker's outputs in the notebook, as nbclient would; return what happened."""
    notes = []
    outputs = result.get("outputs", {})
    count = 0
    for position, index in enumerate(p.code_cells):
        cell = p.nb.cells[index]
        cell.outputs = _clean_outputs(outputs.get(str(position), []))
        count += 1
        cell.execution_count = count
        for out in cell.outputs:
            if out.output_type == "execute_result":
                out.execution_count = count
        if cell_kinds.is_test(cell):
            # The traceback of a test would show hidden test code: keep the learner's message only.
            for out in cell.outputs:
                if out.output_type == "error":
                    out.traceback = [f"{out.ename}: {out.evalue}"]
        enames = {o.ename for o in cell.outputs if o.output_type == "error"}
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {index + 1}")
        if "CellTimeoutError" in enames:
            notes.append(Problem("timeout", f"{grade_id}: ran longer than the time allowed per cell and was stopped."))
        if "MemoryError" in enames:
            notes.append(Problem("memory", f"{grade_id}: used more memory than allowed."))
        if "AnswerNotPlainData" in enames:
            notes.append(Problem("not_plain_data", f"{grade_id}: an answer was an object made by the learner's code."))
    if result.get("cut"):
        notes.append(Problem("output_limit", "some cells printed more than the output limit; the rest was cut."))
    stopped = result.get("stopped")
    if stopped:
        position = stopped.get("cell", 0)
        index = p.code_cells[position] if position < len(p.code_cells) else None
        where = p.nb.cells[index].metadata.get("nbgrader", {}).get("grade_id", f"cell {index + 1}") if index is not None else "?"
        if stopped.get("reason") == "interference":
            notes.append(Problem("grader_interference", f"{where}: the notebook's code tried to write to the "
                                                        "grader's channel; the cells after it were not run."))
        elif stopped.get("reason") == "timeout":
            notes.append(Problem("timeout_unresponsive", f"{where}: ran past the time limit and did not stop when "
                                                         "interrupted; the cells after it were not run."))
        else:
            notes.append(Problem("kernel_died", f"{where}: the notebook's process died (os._exit, a crash or "
                                                "memory exhausted); the cells after it were not run."))
    return notes


class Recorder:
    def __init__(self, settings: Settings, writer: GradebookWriter, assignment: str):
        self.settings = settings
        self.writer = writer
        self.assignment = assignment
        self.autograded = settings.root / settings.coursedir.autograded_directory
        self.autograded.mkdir(parents=True, exist_ok=True)
        self.log_path = self.autograded / f"{assignment}.grading-log.jsonl"

    # -- previous runs ---------------------------------------------------------------
    def previous(self) -> dict[str, dict]:
        """The last log entry of each learner for this assignment."""
        last = {}
        if self.log_path.exists():
            for line in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line cut by a crash
                last[entry.get("student")] = entry
        return last

    def unchanged(self, entry: dict | None, prepared_hash: str, student: str) -> bool:
        if not entry or entry.get("hash") != prepared_hash:
            return False
        if {r.get("code") for r in entry.get("reasons", [])} & set(GRADER_FAULTS):
            return False
        try:
            sub = self.writer.gb.find_submission(self.assignment, student)
        except MissingEntry:
            return False
        if any(g.auto_score is None and g.cell.cell_type == "code" and g.max_score
               for nb in sub.notebooks for g in nb.grades if _auto_graded(self.writer.gb, g, nb.name, self.assignment)):
            return False
        folder = self.autograded / student / self.assignment
        return entry.get("status") == "failed" or folder.is_dir()

    # -- one submission ----------------------------------------------------------------
    def record(self, prepared: Prepared, result: dict | None, started: float) -> Outcome:
        outcome = Outcome(prepared.student, prepared.assignment, "graded", content_hash=prepared.content_hash)
        gb = self.writer.gb
        problems: list[Problem] = []
        finished: list[PreparedNotebook] = []
        results = list((result or {}).get("notebooks", []))
        code = next((c for c in GRADER_FAULTS if result and result.get(c)), None)
        if code:
            # Our fault, not the learner's: the gradebook keeps what it had; the next run retries.
            outcome.status = "failed"
            outcome.reasons = [Problem(code, fault_message(code, result, prepared)).as_dict()]
            outcome.seconds = time.perf_counter() - started
            self._log(outcome)
            return outcome
        try:
            # Another run may be recording this learner: wait for its commit, then update its rows.
            lock_for_transaction(session(gb), "student", self.settings.course_id, prepared.student)
            gb.update_or_create_student(prepared.student)
            if prepared.timestamp:
                gb.update_or_create_submission(prepared.assignment, prepared.student, timestamp=prepared.timestamp)
            else:
                gb.update_or_create_submission(prepared.assignment, prepared.student)
            runnable = iter(results)
            for p in prepared.notebooks:
                problems.extend(p.notes)
                nb_result = next(runnable, None) if p.nb is not None else None
                if p.problem or nb_result is None:
                    if p.problem:
                        problems.append(p.problem)
                    self._zero(p.name, prepared)
                    continue
                problems.extend(apply_result(p, nb_result))
                self._save(p, prepared)
                finished.append(p)
            sub = gb.find_submission(prepared.assignment, prepared.student)
            outcome.score, outcome.max_score = sub.score, sub.max_score
            outcome.cells = {name: g.auto_score for name, g in named_rows(
                gb, Grade, Grade.notebook_id.in_([nb.id for nb in sub.notebooks]))}
            outcome.reasons = [p.as_dict() for p in problems]
            if any(p.code in FAILURES for p in problems):
                outcome.status = "failed"
            self.writer.commit()
        except Exception as exc:
            self.writer.rollback()
            outcome.status = "failed"
            outcome.reasons = [Problem("internal_error", f"{type(exc).__name__}: {exc}").as_dict()]
            log.exception("%s %s: internal error while recording", prepared.student, prepared.assignment)
            outcome.seconds = time.perf_counter() - started
            self._log(outcome)
            return outcome
        self._write_folder(prepared, finished)
        outcome.seconds = time.perf_counter() - started
        self._log(outcome)
        return outcome

    def _zero(self, notebook: str, prepared: Prepared) -> None:
        # What nbgrader does for a notebook that was not submitted: every grade is 0.
        snb = self.writer.gb.find_submission_notebook(notebook, prepared.assignment, prepared.student)
        for grade in snb.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        session(self.writer.gb).commit()

    def _save(self, p: PreparedNotebook, prepared: Prepared) -> None:
        config = self.settings.config
        nb, resources = p.nb, p.resources
        for pp in (IgnorePattern(config=config), ClearMetadataPreprocessor(config=config), LimitOutput(config=config)):
            nb, resources = pp(nb, resources)
        saver = SharedSaveAutoGrades(config=config)
        saver.gradebook_session = self.writer.gb
        saver.preprocess(nb, resources)
        late = SharedAssignLatePenalties(config=config)
        late.gradebook_session = self.writer.gb
        late.preprocess(nb, resources)
        p.nb = nb

    def _write_folder(self, prepared: Prepared, finished: list[PreparedNotebook]) -> None:
        """Replace autograded/<student>/<assignment>/ in one rename."""
        parent = self.autograded / prepared.student
        parent.mkdir(parents=True, exist_ok=True)
        final = parent / prepared.assignment
        fresh = parent / f".{prepared.assignment}.new-{uuid.uuid4().hex[:8]}"
        if finished:
            fresh.mkdir()
            exclude = list(self.settings.coursedir.ignore) + ["*.ipynb"]
            from nbgrader.utils import find_all_files
            for base in (prepared.folder, self.settings.root / "source" / prepared.assignment):
                for filename in find_all_files(str(base), exclude):
                    target = fresh / Path(filename).relative_to(base)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if target.exists():
                        target.unlink()
                    shutil.copyfile(filename, target)
            for p in finished:
                (fresh / f"{p.name}.ipynb").write_text(notebook_json(p.nb), encoding="utf-8")
                p.nb = None  # notebook_json changed it in place
            for dirpath, _, filenames in os.walk(fresh):
                for name in filenames:
                    os.chmod(os.path.join(dirpath, name), 0o444)
        old = parent / f".{prepared.assignment}.old-{uuid.uuid4().hex[:8]}"
        if final.exists():
            final.rename(old)
        if finished:
            fresh.rename(final)
        shutil.rmtree(old, ignore_errors=True)

    def _log(self, outcome: Outcome) -> None:
        # No fsync: a killed process loses nothing the kernel already has, and a line lost
        # to a power cut only means that submission is graded again (the gradebook commit,
        # synced by SQLite, comes first).
        with open(self.log_path, "a", encoding="utf-8") as f:
            f.write(outcome.log_line() + "\n")
        log.debug("%s %s: %s in %.2f s, score %s/%s%s", outcome.student, outcome.assignment, outcome.status,
                  outcome.seconds, outcome.score, outcome.max_score,
                  "".join(f"; {r['code']}: {r['message']}" for r in outcome.reasons))

    def clean_leftovers(self) -> None:
        """Folders a killed run left half-written."""
        for leftover in self.autograded.glob(f"*/.{self.assignment}.*-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def fault_message(code: str, result: dict, prepared: Prepared) -> str:
    """The reason of a submission the grader failed to grade; its traceback goes to the log."""
    detail = printable(str(result.get("detail") or ""))  # an exception's message may quote learner data
    if code != "grader_error":
        if detail:
            log.error("%s %s: %s\n%s", prepared.student, prepared.assignment, result[code], detail)
        return str(result[code])
    log.error("%s %s: %s, not the learner's notebook; the gradebook keeps what it had. Traceback:\n%s",
              prepared.student, prepared.assignment, result[code], detail or "(none)")
    return (f"{result[code]}: internal grading error, not the learner's notebook; run `course grade` again "
            "to retry it (traceback in the log: autograded/course-grade.log unless --log-file)")


def notebook_json(nb) -> str:
    """What nbformat.writes returns, byte for byte, without its JSON-schema pass (the cells
    came from nbformat and the outputs were rebuilt field by field) and without its deep
    copy: the notebook is changed in place and must not be used afterwards."""
    from nbformat.v4.rwbase import split_lines, strip_transient

    return json.dumps(strip_transient(split_lines(nb)), cls=nbformat.v4.nbjson.BytesEncoder, indent=1,
                      sort_keys=True, separators=(",", ": "), ensure_ascii=False)


def _auto_graded(gb: Gradebook, grade, notebook: str, assignment: str) -> bool:
    try:
        gb.find_solution_cell(grade.name, notebook, assignment)
        return False
    except MissingEntry:
        return True
