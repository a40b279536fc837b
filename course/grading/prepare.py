"""From a submitted folder to a job: read, check and clean a submission with nbgrader's rules.

Runs on the trainer's side, with the gradebook: nbgrader's sanitizing preprocessors
(ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata)
restore locked and test cells, hidden tests included, from the gradebook. Deleted locked
cells are put back where they were in the source. What leaves this module for the sandbox
is plain data: cell sources with their role, and the files the notebook may read.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, DeduplicateIds, OverwriteCells

from ..config import Settings
from ..nbgrader_adapter import FastCheckCellMetadata, SharedOverwriteCells, per_gradebook, without_hidden_tests
from .. import cells as cell_kinds
from . import transfer

# Changing how grading works changes this, so that earlier grades are not reused.
GRADER_VERSION = "1"
MAX_FILE_BYTES = 50 << 20


@dataclass
class Problem:
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


@dataclass
class PreparedNotebook:
    name: str
    nb: nbformat.NotebookNode | None = None
    resources: dict = field(default_factory=dict)
    problem: Problem | None = None      # this notebook cannot be graded
    notes: list[Problem] = field(default_factory=list)
    code_cells: list[int] = field(default_factory=list)  # indices in nb.cells sent to the worker


@dataclass
class Prepared:
    student: str
    assignment: str
    folder: Path
    timestamp: object
    content_hash: str
    notebooks: list[PreparedNotebook] = field(default_factory=list)
    files: dict = field(default_factory=dict)

    def job(self, settings: Settings) -> dict | None:
        runnable = [p for p in self.notebooks if p.nb is not None]
        if not runnable:
            return None
        return {
            "id": f"{self.student}/{self.assignment}",
            "timeout": settings.timeout,
            "max_output_bytes": settings.limits.max_output_bytes,
            "limits": settings.limits.as_job(),
            "files": self.files,
            "notebooks": [{"name": p.name, "cells": _job_cells(p)} for p in runnable],
        }


def _kind(cell) -> str:
    """The worker's name for a code cell's role: a test, locked course code, or learner code."""
    return "test" if cell_kinds.is_test(cell) else "locked" if cell_kinds.is_setup(cell) else "answer"


def _job_cells(p: PreparedNotebook) -> list[dict]:
    cells, locked_names = [], set()
    for index in p.code_cells:
        cell = p.nb.cells[index]
        kind = _kind(cell)
        entry = {"kind": kind, "source": cell.source}
        if kind == "test":
            entry["transfer"] = sorted(transfer.free_names(cell.source) - locked_names)
        elif kind == "locked":
            locked_names |= transfer.defined_names(cell.source)
        cells.append(entry)
    return cells


class SourceCells:
    """The gradebook's cells of one notebook (source, graded and solution cells, kernelspec),
    read once per run as plain values, answering the look-ups nbgrader's OverwriteCells
    makes for every cell; what every submission is compared with."""

    def __init__(self, gb: Gradebook, notebook: str, assignment: str):
        cache = per_gradebook(gb, "source_cells")
        key = (notebook, assignment)
        if key not in cache:
            nb = gb.find_notebook(notebook, assignment)
            cache[key] = SimpleNamespace(
                source={c.name: SimpleNamespace(name=c.name, cell_type=c.cell_type, locked=c.locked, source=c.source,
                                                checksum=c.checksum) for c in nb.source_cells},
                graded={c.name: SimpleNamespace(name=c.name, max_score=c.max_score) for c in nb.grade_cells},
                solutions={c.name for c in nb.solution_cells},
                kernelspec=nb.kernelspec,
                released={},  # locked cell -> its source as released (hidden tests removed)
                order=None,   # grade_ids in the source notebook's order
            )
        self.entry = entry = cache[key]
        self.source, self.graded, self.solutions, self.kernelspec = (
            entry.source, entry.graded, entry.solutions, entry.kernelspec)

    def find_source_cell(self, name, notebook, assignment):
        try:
            return self.source[name]
        except KeyError:
            raise MissingEntry() from None

    def find_graded_cell(self, name, notebook, assignment):
        try:
            return self.graded[name]
        except KeyError:
            raise MissingEntry() from None

    def released_source(self, name: str, hide: ClearHiddenTests) -> str:
        released = self.entry.released
        if name not in released:
            released[name] = without_hidden_tests(hide, self.source[name].source)
        return released[name]

    def source_order(self, settings: Settings, assignment: str, notebook: str) -> list[str]:
        if self.entry.order is None:
            self.entry.order = source_order(settings, assignment, notebook, list(self.source))
        return self.entry.order


def overwrite_kernelspec(gb: Gradebook, nb, notebook_id: str, assignment_id: str) -> None:
    # nbgrader's OverwriteKernelspec, on the shared session.
    kernelspec = SourceCells(gb, notebook_id, assignment_id).kernelspec
    if kernelspec:
        nb.metadata["kernelspec"] = json.loads(kernelspec)


def content_hash(folder: Path, timestamp, source_nb: Path | None, config_text: str) -> str:
    h = hashlib.sha256(f"{GRADER_VERSION}|{timestamp}|{config_text}".encode())
    if source_nb and source_nb.is_file():
        h.update(source_nb.read_bytes())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def source_order(settings: Settings, assignment: str, notebook: str, gb_names: list[str]) -> list[str]:
    """grade_ids of the source notebook in notebook order (the gradebook keeps no order)."""
    path = settings.root / "source" / assignment / f"{notebook}.ipynb"
    try:
        return cell_kinds.in_notebook_order(reads_without_schema(path.read_text(encoding="utf-8")), gb_names)
    except Exception:
        return gb_names


def restore_missing_cells(gb: Gradebook, nb, notebook_id: str, assignment_id: str,
                          order: list[str], overwrite: OverwriteCells) -> list[str]:
    """Put back graded and locked cells the learner deleted, after the nearest earlier
    source cell still present. Answer cells are not put back: no answer scores nothing."""
    cells = SourceCells(gb, notebook_id, assignment_id)
    source, grade_cells, solutions = cells.source, cells.graded, cells.solutions
    present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}
    restored = []
    for position, name in enumerate(order):
        if name in present or name not in source:
            continue
        src = source[name]
        if name in grade_cells:
            cell = overwrite.missing_cell_transform(src, grade_cells[name].max_score, is_solution=name in solutions)
        elif src.locked and name not in solutions:
            cell = nbformat.v4.new_code_cell(src.source) if src.cell_type == "code" else nbformat.v4.new_markdown_cell(src.source)
            cell.metadata["nbgrader"] = {"grade": False, "grade_id": name, "locked": True, "solution": False,
                                         "schema_version": 3, "checksum": src.checksum}
            cell.metadata["editable"] = False
            cell.metadata["deletable"] = False
        else:
            continue
        cell.pop("id", None)
        anchor = -1
        for earlier in reversed(order[:position]):
            idx = next((i for i, c in enumerate(nb.cells)
                        if c.metadata.get("nbgrader", {}).get("grade_id") == earlier), None)
            if idx is not None:
                anchor = idx
                break
        nb.cells.insert(anchor + 1, nbformat.from_dict(cell))
        present.add(name)
        restored.append(name)
    return restored


def reads_without_schema(text: str) -> nbformat.NotebookNode:
    """What `nbformat.reads(text, as_version=4)` returns, without its JSON-schema pass: that
    pass only logs an invalid notebook (nbgrader grades it all the same), while building the
    schema's validator costs 0.07 s of CPU before a cold `course grade`'s first notebook.
    What the pass changes, missing or repeated cell ids, `normalize` changes the same way."""
    from nbformat import reader, validator

    nb = nbformat.convert(reader.reads(text), 4)
    return validator.normalize(nb)[1]


def read_notebook(path: Path) -> tuple[nbformat.NotebookNode | None, Problem | None]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, Problem("unreadable_file", f"{path.name} cannot be read ({exc.strerror}).")
    if not raw.strip():
        return None, Problem("empty_notebook", f"{path.name} is an empty file: the learner should save the notebook and submit again.")
    try:
        nb = reads_without_schema(raw.decode("utf-8"))
        if not isinstance(nb.get("cells"), list):
            raise ValueError("no cells")
        for cell in nb.cells:
            if cell.get("cell_type") not in ("code", "markdown", "raw") or not isinstance(cell.get("source"), str):
                raise ValueError("a cell is malformed")
            cell.setdefault("metadata", nbformat.NotebookNode())
            if cell.cell_type == "code":
                cell.setdefault("outputs", [])
                cell.setdefault("execution_count", None)
        nb.setdefault("metadata", nbformat.NotebookNode())
    except Exception as exc:
        return None, Problem("corrupt_notebook", f"{path.name} is not a readable notebook ({type(exc).__name__}: "
                                                 f"{str(exc)[:120]}); the learner should re-download it from JupyterLab and submit again.")
    return nb, None


def _repair_flags(gb: Gradebook, nb, notebook_id: str, assignment_id: str) -> list[str]:
    """Put back the nbgrader flags of known cells (grade, solution, locked, points) from the
    gradebook, so a learner cannot turn a test into an ordinary cell by editing metadata."""
    cells = SourceCells(gb, notebook_id, assignment_id)
    source, grades, solutions = cells.source, cells.graded, cells.solutions
    changed = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        if not isinstance(meta, dict) or meta.get("grade_id") not in source:
            # nbgrader metadata the assignment never had: an ordinary cell for grading.
            del cell.metadata["nbgrader"]
            changed.append(str(meta.get("grade_id") if isinstance(meta, dict) else "?"))
            continue
        name = meta["grade_id"]
        want = {"grade": name in grades, "solution": name in solutions, "locked": source[name].locked}
        if name in grades:
            want["points"] = grades[name].max_score
        if any(meta.get(k) != v for k, v in want.items() if k != "points") or (
                "points" in want and float(meta.get("points", -1) or -1) != float(want["points"])):
            changed.append(name)
        meta.update(want)
        if not want["grade"]:
            meta.pop("points", None)
        meta.setdefault("schema_version", 3)
    return changed


def prepare_notebook(gb: Gradebook, settings: Settings, assignment: str, student: str, name: str,
                     path: Path) -> PreparedNotebook:
    p = PreparedNotebook(name=name)
    nb, problem = read_notebook(path)
    if problem:
        p.problem = problem
        return p
    source_cells = SourceCells(gb, name, assignment)
    known = set(source_cells.source)
    graded_known = set(source_cells.graded) | source_cells.solutions
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells
           if isinstance(c.metadata.get("nbgrader"), dict)]
    ids = [i for i in ids if i]
    graded_ids = {c.metadata["nbgrader"].get("grade_id") for c in nb.cells
                  if isinstance(c.metadata.get("nbgrader"), dict)
                  and (c.metadata["nbgrader"].get("grade") or c.metadata["nbgrader"].get("solution"))}
    if graded_ids and graded_known and not (graded_ids & graded_known):
        p.problem = Problem("wrong_assignment", f"{path.name} holds the cells of another assignment "
                                                f"(none of its graded cells belongs to {assignment}).")
        return p
    resources = {"unique_key": name, "output_files_dir": f"{name}_files",
                 "nbgrader": {"student": student, "assignment": assignment, "notebook": name,
                              "db_url": settings.db_url}}
    try:
        if _repair_flags(gb, nb, name, assignment):
            p.notes.append(Problem("tampered_metadata", "nbgrader metadata of some cells was changed; restored from the gradebook."))
        tampered = []
        hide = ClearHiddenTests(config=settings.config)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade_id") in known and meta.get("locked"):
                src = source_cells.source[meta["grade_id"]]
                released = source_cells.released_source(meta["grade_id"], hide)
                if cell.source.strip() not in (src.source.strip(), released.strip()):
                    tampered.append(meta["grade_id"])
        if tampered:
            p.notes.append(Problem("tampered_cells", "locked cells were edited and have been restored: " + ", ".join(tampered)))
        order = source_cells.source_order(settings, assignment, name)
        positions = [order.index(i) for i in ids if i in order]
        if positions != sorted(positions):
            p.notes.append(Problem("reordered_cells", "graded cells are not in the order of the assignment."))
        config = settings.config
        ClearOutput(config=config).preprocess(nb, resources)
        DeduplicateIds(config=config).preprocess(nb, resources)
        overwrite_kernelspec(gb, nb, name, assignment)
        overwrite = SharedOverwriteCells(config=config)
        overwrite.lookup = source_cells
        overwrite.preprocess(nb, resources)
        restored = restore_missing_cells(gb, nb, name, assignment, order, overwrite)
        if restored:
            p.notes.append(Problem("deleted_cells", "deleted cells were put back from the assignment: " + ", ".join(restored)))
        MetadataValidator().upgrade_notebook_metadata(nb)
        FastCheckCellMetadata(config=config).preprocess(nb, resources)
    except Exception as exc:
        p.problem = Problem("invalid_metadata", f"{path.name}: its nbgrader metadata cannot be repaired "
                                                f"({type(exc).__name__}: {str(exc)[:160]}).")
        return p
    p.nb, p.resources = nb, resources
    p.code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    return p


def assignment_notebooks(gb: Gradebook, assignment: str) -> list[str]:
    cache = per_gradebook(gb, "notebooks")
    if assignment not in cache:
        cache[assignment] = sorted(n.name for n in gb.find_assignment(assignment).notebooks)
    return cache[assignment]


def prepare(gb: Gradebook, settings: Settings, assignment: str, student: str) -> Prepared:
    folder = settings.root / settings.coursedir.submitted_directory / student / assignment
    timestamp = None
    try:
        timestamp = settings.coursedir.get_existing_timestamp(str(folder))
    except Exception:
        timestamp = None  # an unreadable timestamp.txt: graded as on time, like an absent one
    names = assignment_notebooks(gb, assignment)
    source_nb = settings.root / "source" / assignment / f"{names[0]}.ipynb" if names else None
    prepared = Prepared(student, assignment, folder, timestamp,
                        content_hash(folder, timestamp, source_nb, settings.text))
    submitted = {p.stem: p for p in folder.glob("*.ipynb")}
    for name in names:
        path = submitted.get(name)
        if path is None:
            others = ", ".join(sorted(p.name for p in submitted.values())) or "no notebook at all"
            prepared.notebooks.append(PreparedNotebook(name, problem=Problem(
                "missing_notebook", f"{name}.ipynb was not submitted (found: {others}).")))
            continue
        prepared.notebooks.append(prepare_notebook(gb, settings, assignment, student, name, path))
    # The files the notebook may read: the learner's own, then the course's (which win).
    exclude = list(settings.coursedir.ignore) + ["*.ipynb"]
    for base, owner in ((folder, "learner"), (settings.root / "source" / assignment, "course")):
        for filename in utils.find_all_files(str(base), exclude):
            path = Path(filename)
            rel = str(path.relative_to(base))
            if path.stat().st_size <= MAX_FILE_BYTES and rel != "timestamp.txt":
                prepared.files[rel] = {"owner": owner, "data": base64.b64encode(path.read_bytes()).decode()}
    return prepared


def students_of(settings: Settings, assignment: str, only: list[str] | None) -> list[str]:
    submitted = settings.root / settings.coursedir.submitted_directory
    found = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir()) if submitted.is_dir() else []
    exclude = set(filter(None, (settings.coursedir.student_id_exclude or "").split(",")))
    found = [s for s in found if s not in exclude]
    if only:
        return [s for s in found if s in set(only)]
    return found
