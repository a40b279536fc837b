"""Synthetic cohorts of learners' submissions, for the demo, the benchmarks and the tests.

A learner's notebook is built from the solved source notebook: each exercise is kept
right, answered with the plausible wrong answer of course/trainer/wrong_answers/<assignment>.toml,
or left as the release template; the ungraded knowledge checks get answers, right more
often at the end of a module than at its start, and more often for abler learners. A few
learners are special cases a real cohort has:
an empty (untouched) notebook, a late submission, a corrupt file, a hostile submission.
Names are invented; seeded, so a cohort is the same on every run.
"""

from __future__ import annotations

import json
import random
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat

from ..coursedir import edition_name, module_of, source_notebook
from ..learner.knowledge import answer_is_right
from .knowledge import PHASES, TAGS, module_bank

# Each exercise's plausible wrong answers: course content, written with the module. The
# demo's learners hand them in; the tests use them to prove every check can fail.
WRONG_ANSWERS = Path(__file__).with_name("wrong_answers")

FIRST = ["Alma", "Basile", "Capucine", "Dorian", "Elsa", "Fares", "Gaia", "Hector", "Ilona", "Jonas",
         "Kenza", "Lenny", "Maelys", "Nils", "Oceane", "Pablo", "Quitterie", "Romeo", "Selma", "Tiago",
         "Ulysse", "Violette", "Wassim", "Xenia", "Yael", "Zelie"]
LAST = ["Arnaud", "Besnard", "Carre", "Delorme", "Etienne", "Fleury", "Gilbert", "Hamon", "Imbert",
        "Jacquet", "Klein", "Lemaire", "Marchal", "Noel", "Olivier", "Perret", "Rey", "Tessier", "Vidal"]

# Code a hostile learner might write: reads files it should not, and tries to fool tests.
HOSTILE_CELL = """\
import os, glob
class _Always:
    def __eq__(self, other): return True
    def __hash__(self): return 0
stolen = [open(p).read()[:100] for p in glob.glob('../../../source/*/*.ipynb')[:1]]
"""


@dataclass
class Learner:
    id: str
    first_name: str
    last_name: str
    kind: str                      # solved, mixed, empty, late, corrupt, hostile
    answers: dict[str, str] = field(default_factory=dict)  # test grade_id -> right|wrong|blank
    wrong_code: dict[str, str] = field(default_factory=dict)  # test grade_id -> the wrong answer given
    # assignment -> phase -> question number -> the letter given (None: left as ...)
    knowledge: dict[str, dict[str, dict[int, str | None]]] = field(default_factory=dict)
    language: str = "en"           # the edition the learner works in, where a module has it


# Every third learner works in French (the cohort of a French company's course).
FRENCH_EVERY = 3


def edition_of(learner: Learner, module: str, available: list[str]) -> str:
    """The assignment `learner` hands in for `module`: the edition in their language when
    `available` has it, else the English one."""
    wanted = edition_name(module, learner.language)
    return wanted if wanted in available else module


def wrong_answers(assignment: str) -> dict[str, list[dict]]:
    """Each test cell's plausible wrong answers (`[[test_id]]` tables: answer_cell, kind,
    why, code), in file order. A module's editions share them: the grade_ids are the same."""
    path = WRONG_ANSWERS / f"{module_of(assignment)}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {test_id: entries if isinstance(entries, list) else [entries] for test_id, entries in data.items()}


def _replace(nb: nbformat.NotebookNode, grade_id: str, code: str) -> None:
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = code.strip("\n")
            return
    raise KeyError(grade_id)


def _template(cell_source: str) -> str:
    """What the learner first sees in an answer cell: the part before the solution."""
    return cell_source.split("### BEGIN SOLUTION")[0].rstrip("\n")


# The chance of a right answer to a knowledge question: base + gain x ability, per phase.
# Over the demo's mix of learners that is about 0.45 at a module's start and 0.8 at its end.
KNOWLEDGE_RIGHT = {"before": (0.25, 0.3), "after": (0.55, 0.35)}
KNOWLEDGE_BLANK = {"before": 0.04, "after": 0.08}  # some learners skip a question
ABILITY = {"solved": 1.0, "late": 0.9, "hostile": 0.9, "mixed": 0.5}
_BLANK_LINE = re.compile(r"^(\s*)(\d+)(\s*:\s*)\.\.\.(\s*,)", re.M)


def _with_letters(source: str, letters: dict[int, str | None]) -> str:
    """`1: ...,` becomes `1: "b",` for each question given a letter."""
    def answer(match: re.Match) -> str:
        indent, number, colon, comma = match.groups()
        letter = letters.get(int(number))
        return match.group(0) if letter is None else f'{indent}{number}{colon}"{letter}"{comma}'
    return _BLANK_LINE.sub(answer, source)


def fill_knowledge(nb: nbformat.NotebookNode, assignment: str, learner: Learner, rng: random.Random) -> None:
    """Answer the knowledge-check cells of `nb` as `learner` would (an empty notebook
    leaves them as they are; a module without a question bank has none). A module's editions
    share its bank."""
    module = module_of(assignment)
    bank = module_bank(module)
    if bank is None or learner.kind not in ABILITY:
        return
    ability = ABILITY[learner.kind]
    given: dict[str, dict[int, str | None]] = {}
    for phase in PHASES:
        base, gain = KNOWLEDGE_RIGHT[phase]
        letters: dict[int, str | None] = {}
        for q in bank:
            right = next((o for o in q.options if answer_is_right(module, q, o)), None)
            wrong = [o for o in q.options if o != right]
            if rng.random() < KNOWLEDGE_BLANK[phase]:
                letters[q.number] = None
            elif right is not None and (rng.random() < base + gain * ability or not wrong):
                letters[q.number] = right
            else:  # (a key that matches no option is the bank's mistake: any letter will do)
                letters[q.number] = rng.choice(wrong)
        given[phase] = letters
        for cell in nb.cells:
            if cell.cell_type == "code" and TAGS[phase] in cell.metadata.get("tags", []):
                cell.source = _with_letters(cell.source, letters)
    learner.knowledge[assignment] = given


def make_learners(n: int, seed: int = 7) -> list[Learner]:
    """n learners: most with a realistic mix of answers, plus one of each special case.
    One last name has a comma, as real names sometimes do in exports."""
    rng = random.Random(seed)
    specials = ["empty", "late", "corrupt", "hostile"]
    learners = []
    for i in range(n):
        kind = specials[i - (n - len(specials))] if i >= n - len(specials) else rng.choice(
            ["solved", "solved", "mixed", "mixed", "mixed"])
        last = rng.choice(LAST) + (", Jr" if i == 1 else "")
        learners.append(Learner(f"learner{i + 1:03d}", rng.choice(FIRST), last, kind,
                                language="fr" if i % FRENCH_EVERY == 1 else "en"))
    return learners


def learner_notebook(root: Path, assignment: str, learner: Learner, seed: int = 7) -> str:
    """The notebook text this learner submits for `assignment` (may be invalid JSON)."""
    src = source_notebook(root, assignment)
    if learner.kind == "corrupt":
        return src.read_text(encoding="utf-8")[:500]  # truncated upload
    nb = nbformat.read(str(src), as_version=4)
    wrong = wrong_answers(assignment)
    rng = random.Random(f"{seed}-{learner.id}-{assignment}")
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    for test_id, entries in wrong.items():
        w = rng.choice(entries)
        choice = {"solved": "right", "late": "right", "hostile": "right", "empty": "blank"}.get(
            learner.kind) or rng.choices(["right", "wrong", "blank"], weights=[6, 3, 1])[0]
        learner.answers[test_id] = choice
        if choice == "wrong":
            learner.wrong_code[test_id] = w["code"]
            _replace(nb, w["answer_cell"], w["code"])
        elif choice == "blank":
            _replace(nb, w["answer_cell"], _template(by_id[w["answer_cell"]].source))
    fill_knowledge(nb, assignment, learner, random.Random(f"{seed}-{learner.id}-{assignment}-knowledge"))
    if learner.kind == "hostile":
        nb.cells.insert(1, nbformat.v4.new_code_cell(HOSTILE_CELL))
    return nbformat.writes(nb)


def write_submissions(root: Path, course_dir: Path, assignment: str, learners: list[Learner],
                      deadline: datetime, seed: int = 7) -> None:
    """Write submitted/<learner>/<assignment>/<notebook>.ipynb and timestamp.txt for each learner."""
    name = source_notebook(root, assignment).name
    rng = random.Random(f"{seed}-{assignment}-times")
    for learner in learners:
        folder = course_dir / "submitted" / learner.id / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(learner_notebook(root, assignment, learner, seed), encoding="utf-8")
        early = timedelta(hours=rng.uniform(1, 96))
        when = deadline + timedelta(hours=rng.uniform(2, 30)) if learner.kind == "late" else deadline - early
        (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f %Z").strip(), encoding="utf-8")


def roster(learners: list[Learner]) -> list[dict]:
    return [{"id": ln.id, "first_name": ln.first_name, "last_name": ln.last_name} for ln in learners]


def default_deadline() -> datetime:
    return datetime(2026, 12, 1, 18, 0, tzinfo=timezone.utc)


def summary(learners: list[Learner]) -> str:
    kinds: dict[str, int] = {}
    for ln in learners:
        kinds[ln.kind] = kinds.get(ln.kind, 0) + 1
    return json.dumps(kinds, sort_keys=True)
