"""A module's notebook in a real Jupyter kernel, run cell by cell as a learner would.

The learner's view of a cell is its release text (solutions replaced by the stub, hidden
tests removed); the tests swap in an answer, run the visible check, and compare its
verdict with the whole test cell's (visible and hidden, what nbgrader grades).
"""

from __future__ import annotations

import ast
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from support.kernels import ipc_kernels

from course import cells as cell_kinds

ROOT = Path(__file__).resolve().parents[2]
_HIDDEN = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$.*?^\s*### END HIDDEN TESTS\s*$\n?", re.M | re.S)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def visible_part(test_source: str) -> str:
    return _HIDDEN.sub("", test_source)


def assigned_names(source: str) -> list[str]:
    """Names an answer cell gives values to (its top-level assignments)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name) and target.id not in names:
                names.append(target.id)
    return names


@dataclass
class Run:
    outputs: list

    @property
    def error(self):
        for out in self.outputs:
            if out.get("output_type") == "error":
                return out
        return None

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def shown_error(self) -> str:
        """What the learner reads in the error box (and Validate): the traceback, without colours."""
        error = self.error
        return without_colours("\n".join(error.get("traceback", []))) if error else ""

    @property
    def text(self) -> str:
        return "".join(out.get("text", "") for out in self.outputs if out.get("output_type") == "stream")


def without_colours(text: str) -> str:
    return _ANSI.sub("", text)


def is_plain(message: str) -> bool:
    """No traceback, no file or course-internal frame: a sentence or two for a person."""
    return (message.strip() != "" and "Traceback" not in message and 'File "' not in message
            and "course/" not in message and "site-packages" not in message and len(message.splitlines()) <= 6)


class Session:
    """One kernel for one module, started in the module's release folder."""

    def __init__(self, client: NotebookClient, nb: nbformat.NotebookNode):
        self.client, self.nb = client, nb

    def run(self, source: str) -> Run:
        cell = nbformat.v4.new_code_cell(source)
        self.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.nb.cells) - 1)
        return Run(list(cell.outputs))


@contextmanager
def kernel_session(folder: Path):
    nb = nbformat.v4.new_notebook()
    client = NotebookClient(nb, timeout=300, kernel_name="python3", config=ipc_kernels(), allow_errors=True,
                            resources={"metadata": {"path": str(folder)}})
    with client.setup_kernel():
        yield Session(client, nb)


@dataclass
class Exercise:
    test_id: str
    points: float
    test_source: str          # the whole test cell (what nbgrader grades)
    answer_ids: list[str]     # the answer cells since the previous test cell
    solved: dict[str, str]    # answer grade_id -> source with the model answer
    released: dict[str, str]  # answer grade_id -> source as the learner receives it

    @property
    def visible(self) -> str:
        return visible_part(self.test_source)

    def answer_names(self) -> list[str]:
        names = []
        for gid in self.answer_ids:
            names += [n for n in assigned_names(self.solved[gid]) if n not in names]
        return names


def module_cells(assignment: str) -> tuple[list, list[Exercise]]:
    """The release notebook's cells (for running the module) and its exercises."""
    source = nbformat.read(next((ROOT / "source" / assignment).glob("*.ipynb")), as_version=4)
    release = nbformat.read(next((ROOT / "release" / assignment).glob("*.ipynb")), as_version=4)
    released = {cell_kinds.nbgrader_meta(c).get("grade_id"): c.source for c in release.cells}
    exercises, pending = [], []
    solved = {}
    for cell in source.cells:
        meta = cell_kinds.nbgrader_meta(cell)
        if cell.cell_type == "code" and cell_kinds.is_answer(cell):
            pending.append(meta["grade_id"])
            solved[meta["grade_id"]] = cell.source
        elif cell_kinds.is_test(cell):
            exercises.append(Exercise(meta["grade_id"], meta.get("points", 0), cell.source, pending,
                                      {g: solved[g] for g in pending}, {g: released[g] for g in pending}))
            pending = []
    return release.cells, exercises


def run_solved(session: Session, assignment: str) -> dict[str, Run]:
    """Run the module top to bottom with every answer solved and only the visible checks;
    returns each test cell's run."""
    source = nbformat.read(next((ROOT / "source" / assignment).glob("*.ipynb")), as_version=4)
    runs = {}
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        if cell_kinds.is_test(cell):
            runs[cell_kinds.nbgrader_meta(cell)["grade_id"]] = session.run(visible_part(cell.source))
        else:
            session.run(cell.source)
    return runs


def first_tries(session: Session, assignment: str, exercises: list[Exercise], wrong: dict[str, list[dict]]) -> str:
    """What a learner sees for each committed wrong answer, as a page trainers can read:
    the answer cell's own message (if it fails), then the check's."""
    lines = [f"# First tries: {assignment}", "",
             "What a learner sees for each plausible wrong answer of "
             f"`course/trainer/wrong_answers/{assignment}.toml`. Generated by tests/test_formative.py "
             "(refresh: `make golden`).", ""]
    for ex in exercises:
        lines += [f"## {ex.test_id}", ""]
        for w in wrong.get(ex.test_id, []):
            session.run(ex.released[w["answer_cell"]])
            answered = session.run(w["code"])
            visible = session.run(ex.visible)
            lines.append(f"- **{w.get('kind', 'wrong answer')}** ({w.get('why', '')}):")
            lines += ["  ```python"] + [f"  {ln}" for ln in w["code"].strip().splitlines()] + ["  ```"]
            if answered.failed:
                lines.append(f"  - the answer cell says: {' '.join(answered.shown_error.split())}")
            shown = visible.shown_error if visible.failed else visible.text
            lines.append(f"  - the check says: {' '.join(shown.split())}")
            session.run(ex.solved[w["answer_cell"]])
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
