"""The knowledge checks' answers, read from the learners' graded notebooks.

Each module asks the same few questions before and after (cells tagged knowledge-before
and knowledge-after, see course/learner/knowledge.py). Here the answers are read back by
parsing those cells with `ast`: learner code is never run. A cell deleted, edited into
something else, or whose answer is not a plain text in quotes, gives unanswered (None),
never an error. Modules without a question bank have no knowledge check and are skipped.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..learner.check import typed_word
from ..learner.knowledge import BankError, Question, answer_is_right, questions
from .results import Cohort

PHASES = ("before", "after")
TAGS = {"before": "knowledge-before", "after": "knowledge-after"}
NAMES = {"before": "knowledge_before", "after": "knowledge_after"}
_MAX_CELL = 20_000   # a knowledge cell is a few lines; longer is not worth parsing
_MAX_ANSWER = 40     # what we keep of an answer that is not a letter


@dataclass(frozen=True)
class KnowledgeAnswer:
    learner_id: str
    assignment: str
    phase: str                  # "before" or "after"
    number: int                 # the question's number
    answer: str | None          # as written (case and spaces by the course's rule); None: unanswered
    right: bool | None          # None: unanswered, or not one of the options
    timestamp: datetime | None  # when the notebook was handed in


def _tags(cell) -> list:
    meta = cell.get("metadata")
    tags = meta.get("tags") if isinstance(meta, dict) else None
    return tags if isinstance(tags, list) else []


def _dict_in(source: str, name: str) -> ast.Dict | None:
    """The dict literal last assigned to `name` at the top level of the cell, if any."""
    try:
        tree = ast.parse(source[:_MAX_CELL])
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    found = None
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) and node.value is not None else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            found = node.value if isinstance(node.value, ast.Dict) else None
    return found


def _number(node) -> int | None:
    """A question number written as 1 or "1"."""
    if isinstance(node, ast.Constant):
        if type(node.value) is int:
            return node.value
        if type(node.value) is str and node.value.strip().isdigit():
            return int(node.value.strip())
    return None


def _answer(node) -> str | None:
    """A text literal, by the course's rule ("B " is "b"); anything else is unanswered."""
    if isinstance(node, ast.Constant) and type(node.value) is str:
        text = typed_word(node.value)[:_MAX_ANSWER]
        return text or None
    return None


def answers_in_notebook(nb, numbers=None) -> dict[str, dict[int, str | None]]:
    """{"before": {n: answer}, "after": {n: answer}} from the tagged cells of `nb` (a
    notebook node or dict), by parsing. With `numbers`, every question number is present
    (None when unanswered); without, only the numbers written in the cell."""
    result: dict[str, dict[int, str | None]] = {}
    cells = nb.get("cells", []) if isinstance(nb, dict) else []
    for phase in PHASES:
        answers: dict[int, str | None] = {}
        for cell in cells:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code" or TAGS[phase] not in _tags(cell):
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            found = _dict_in(source, NAMES[phase]) if isinstance(source, str) else None
            if found is None:
                continue
            answers = {}
            for k, v in zip(found.keys, found.values):
                n = _number(k) if k is not None else None
                if n is not None:
                    answers[n] = _answer(v)
        if numbers is not None:
            answers = {n: answers.get(n) for n in numbers}
        result[phase] = answers
    return result


def graded_notebook(cohort: Cohort, learner_id: str, assignment: str, notebook: str) -> dict | None:
    """The learner's graded notebook as plain JSON (read only, never run), or None."""
    path = Path(cohort.settings.autograded_dir) / learner_id / assignment / f"{notebook}.ipynb"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing or damaged: its module could not be graded either
        return None
    return nb if isinstance(nb, dict) else None


def module_bank(assignment: str) -> list[Question] | None:
    try:
        return questions(assignment)
    except BankError:
        return None


def cohort_knowledge(cohort: Cohort) -> list[KnowledgeAnswer]:
    """Every answer to every knowledge question, per learner, module and phase, from each
    learner's graded notebook (unanswered questions included, with answer None)."""
    found = []
    for module in cohort.modules:
        bank = module_bank(module.name)
        if bank is None:
            continue
        for learner in cohort.learners:
            sub = cohort.submission(learner.id, module.name)
            if sub is None or not sub.graded:
                continue
            nb = graded_notebook(cohort, learner.id, sub.assignment, sub.notebook or module.notebook)
            if nb is None:
                continue
            answers = answers_in_notebook(nb, [q.number for q in bank])
            for phase in PHASES:
                for q in bank:
                    answer = answers[phase][q.number]
                    found.append(KnowledgeAnswer(learner.id, module.name, phase, q.number, answer,
                                                 answer_is_right(module.name, q, answer), sub.timestamp))
    return found


def scores(answers: list[KnowledgeAnswer]) -> dict[tuple[str, str], dict[str, dict | None]]:
    """(learner id, assignment) -> {"before": {"right": r, "asked": n} or None, "after": ...}:
    None when the learner answered none of that phase's questions."""
    out: dict[tuple[str, str], dict] = {}
    for a in answers:
        entry = out.setdefault((a.learner_id, a.assignment), {p: {"right": 0, "asked": 0, "answered": 0}
                                                              for p in PHASES})[a.phase]
        entry["asked"] += 1
        entry["right"] += a.right is True
        entry["answered"] += a.right is not None
    return {key: {p: ({"right": v["right"], "asked": v["asked"]} if v["answered"] else None)
                  for p, v in phases.items()} for key, phases in out.items()}
