"""Thirty minutes a module for a non-programmer, by the course's rule.

Reading at about 200 words a minute (every word the learner reads in the release notebook:
text, and code other than the test cells), plus about 3 minutes per graded check
(auto-graded test cells, whose running and message that time covers, and reflections
graded by hand), plus about 15 seconds per knowledge question each time it is asked (the
ungraded check at the start of a module and again at the end, cells tagged knowledge-before
and knowledge-after: choosing a letter after reading; the question's words are already
counted with the text). Each module states its time ("**Time:** about N minutes") and keeps
to it: the stated time is at least the computed one, and neither is above 30.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import ASSIGNMENTS, ROOT

from course import cells as cell_kinds
from course.coursedir import language_of, module_of, modules

WORDS_PER_MINUTE = 200
MINUTES_PER_CHECK = 3
MINUTES_PER_QUESTION_ASKED = 0.25
KNOWLEDGE_TAGS = ("knowledge-before", "knowledge-after")
_QUESTION_LINE = re.compile(r"^\s*\d+\s*:", re.M)  # `    1: ...,  # a, b or c`
LIMIT = 30
_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9_']+")
# "**Time:** about N minutes", in a French edition "**Durée :** environ N minutes".
_STATED = re.compile(r"\*\*(?:Time|Durée)\s*:\*\*\s*(?:about|environ)\s*(\d+)(?:\s*-\s*(\d+))?\s*min", re.I)


def module_minutes(nb: nbformat.NotebookNode) -> tuple[float, int, int, int]:
    """(minutes, words, graded checks, knowledge questions asked, counting each time asked)."""
    words = sum(len(_WORD.findall(c.source)) for c in nb.cells
                if c.cell_type == "markdown" or (c.cell_type == "code" and not cell_kinds.is_test(c)))
    checks = sum(1 for c in nb.cells if cell_kinds.is_graded(c) and not cell_kinds.is_answer(c)
                 or (c.cell_type == "markdown" and cell_kinds.is_graded(c)))
    asked = sum(len(_QUESTION_LINE.findall(c.source)) for c in nb.cells
                if c.cell_type == "code" and set(c.metadata.get("tags", [])) & set(KNOWLEDGE_TAGS))
    minutes = words / WORDS_PER_MINUTE + MINUTES_PER_CHECK * checks + MINUTES_PER_QUESTION_ASKED * asked
    return minutes, words, checks, asked


def release_notebook(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(next((ROOT / "release" / assignment).glob("*.ipynb")), as_version=4)


# The rule measures a module on its source (English) text; a French edition states the same time.
@pytest.mark.parametrize("assignment", modules(ROOT))
def test_module_fits_in_thirty_minutes(assignment):
    minutes, words, checks, asked = module_minutes(release_notebook(assignment))
    assert minutes <= LIMIT, (f"{assignment}: {minutes:.1f} min ({words} words at {WORDS_PER_MINUTE}/min "
                              f"+ {checks} graded checks x {MINUTES_PER_CHECK} min + {asked} knowledge "
                              f"questions asked x {MINUTES_PER_QUESTION_ASKED} min) is over {LIMIT}: "
                              "cut words or split the module")


@pytest.mark.parametrize("assignment", modules(ROOT))
def test_module_states_its_time(assignment):
    nb = release_notebook(assignment)
    minutes = module_minutes(nb)[0]
    stated = _STATED.search(nb.cells[0].source)
    assert stated, f"{assignment}: the first cell should say '**Time:** about N minutes'"
    upper = int(stated.group(2) or stated.group(1))
    assert minutes <= upper <= LIMIT, (f"{assignment} says about {stated.group(0)} but the rule gives "
                                       f"{minutes:.0f} min: state at least that, at most {LIMIT}")


@pytest.mark.parametrize("edition", [a for a in ASSIGNMENTS if language_of(a) != "en"] or
                         [pytest.param(None, marks=pytest.mark.skip(reason="no translated edition yet"))])
def test_a_translated_edition_states_its_modules_time(edition):
    stated = _STATED.search(release_notebook(edition).cells[0].source)
    english = _STATED.search(release_notebook(module_of(edition)).cells[0].source)
    assert stated, f"{edition}: the first cell should say '**Durée :** environ N minutes'"
    assert stated.groups() == english.groups(), f"{edition} states {stated.group(0)}, the module {english.group(0)}"


def test_the_rule_counts_words_and_checks():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("word " * 400)]
    test = nbformat.v4.new_code_cell("check.right()")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    nb.cells.append(test)
    minutes, words, checks, asked = module_minutes(nb)
    assert (words, checks, asked) == (400, 1, 0) and minutes == pytest.approx(400 / 200 + 3)


def test_the_rule_counts_each_knowledge_question_each_time_it_is_asked():
    nb = nbformat.v4.new_notebook()
    for phase in KNOWLEDGE_TAGS:
        cell = nbformat.v4.new_code_cell(f"knowledge_{phase[10:]} = {{\n    1: ...,\n    2: ...,\n    3: ...,\n}}")
        cell.metadata["tags"] = [phase]
        nb.cells.append(cell)
    nb.cells.append(nbformat.v4.new_code_cell("untagged = {\n    1: ...,\n}"))  # not a knowledge check
    minutes, words, checks, asked = module_minutes(nb)
    assert (checks, asked) == (0, 6)
    assert minutes == pytest.approx(words / 200 + 6 * 0.25)


def modules_table() -> str:
    """README's table of modules (their English editions), as the notebooks give it."""
    rows = ["| module | minutes by the rule | auto-graded points | hand-graded points |", "|---|---|---|---|"]
    for assignment in modules(ROOT):
        nb = release_notebook(assignment)
        minutes, words, checks, asked = module_minutes(nb)
        auto = sum(cell_kinds.nbgrader_meta(c).get("points", 0) for c in nb.cells if cell_kinds.is_test(c))
        manual = sum(cell_kinds.nbgrader_meta(c).get("points", 0) for c in nb.cells
                     if c.cell_type == "markdown" and cell_kinds.is_graded(c))
        title = nb.cells[0].source.splitlines()[0].split("·")[-1].strip()
        rows.append(f"| `{assignment}` {title} | {minutes:.1f} ({words} words, {checks} checks, {asked} questions asked) | {auto:g} | {manual:g} |")
    return "\n".join(rows) + "\n"


def test_readme_lists_every_module_with_its_time():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert modules_table() in readme, ("README.md's table of modules is out of date; replace it with:\n"
                                       + modules_table())
