"""Notebooks with knowledge-check cells, and a one-module cohort whose graded notebooks
are on disk: what the tests of the knowledge checks, the report and the demo read."""

from __future__ import annotations

from datetime import datetime

import nbformat
from traitlets.config import Config

from course.config import Course, Settings
from course.learner import check
from course.trainer.results import Cohort, Exercise, Learner, Module, Submission

ASSIGNMENT = "99-sample"
RIGHT = {1: "b", 2: "c", 3: "a"}
WHY = {1: "Because one.", 2: "Because two.", 3: "Because three."}


def write_bank(folder, assignment=ASSIGNMENT, right=RIGHT):
    """A question bank for `assignment` in `folder`, with these right letters."""
    lines = [f"# Knowledge check of {assignment}: asked before and after the module; never graded."]
    for n, letter in right.items():
        lines += ["[[question]]", f"number = {n}", f'idea = "idea_{n}"', 'options = ["a", "b", "c"]',
                  f'key = "{check.key(f"knowledge/{assignment}/{n}", letter)}"', f'why = "{WHY[n]}"', ""]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{assignment}.toml").write_text("\n".join(lines), encoding="utf-8")
    return folder

BEFORE_CELL = '''knowledge_before = {
    1: {one},  # a, b or c
    2: {two},  # a, b or c
    3: {three},  # a, b or c
}
knowledge.noted("99-sample", knowledge_before)'''
AFTER_CELL = BEFORE_CELL.replace("knowledge_before", "knowledge_after").replace(
    'knowledge.noted("99-sample", knowledge_after)', 'knowledge.compare("99-sample", knowledge_before, knowledge_after)')


def knowledge_cell(template: str, tag: str, one="...", two="...", three="..."):
    cell = nbformat.v4.new_code_cell(template.replace("{one}", one).replace("{two}", two).replace("{three}", three))
    cell.metadata["tags"] = [tag]
    return cell


def a_notebook(before=("...", "...", "..."), after=("...", "...", "...")):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from course.learner import knowledge"),
                knowledge_cell(BEFORE_CELL, "knowledge-before", *before),
                nbformat.v4.new_markdown_cell("The module."),
                knowledge_cell(AFTER_CELL, "knowledge-after", *after)]
    return nb


def a_cohort(root, notebooks: dict[str, nbformat.NotebookNode | str | None], assignment: str = ASSIGNMENT,
             answer_cell: str | None = None) -> Cohort:
    """A cohort of one module, `assignment`, whose graded notebooks are `notebooks` (learner id
    -> notebook, text of a damaged file, or None: not handed in); its one exercise reads
    `answer_cell`."""
    config = Config({"CourseDirectory": {"course_id": "k", "db_url": "sqlite://"}})
    settings = Settings(root, config, "", Course())
    module = Module(assignment, "Sample", "sample", None, [Exercise(assignment, "t", 1, "T", 1.0, True, answer_cell)])
    subs = {}
    for learner_id, nb in notebooks.items():
        if nb is None:
            continue
        path = settings.autograded_dir / learner_id / assignment / "sample.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(nb if isinstance(nb, str) else nbformat.writes(nb), encoding="utf-8")
        subs[(learner_id, assignment)] = Submission(learner_id, assignment, datetime(2026, 3, 1, 9, 0), 0.0,
                                                    True, {"t": 1.0})
    return Cohort(settings, [module], [Learner(i, "", "") for i in notebooks], subs)
