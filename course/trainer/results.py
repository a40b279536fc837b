"""A graded cohort as plain Python objects, read from the nbgrader gradebook and the
autograded notebooks.

Feedback, export, report and certificates all read results through `load_cohort`, so
they agree on every number. Two rules live here because every output depends on them:

- the pass rule (the pass mark, c.Course.pass_mark, of a module's auto-graded points, as
  the CNIL and SensCyber certificates do); manually graded cells (written reflections) are reported
  but do not count towards passing, so a learner never waits for a trainer to pass;
- nothing a hidden test contains may leave this module: `HiddenText.withhold` drops any
  text (failure message, answer) that quotes a line of a hidden test, because learner
  code can raise an error whose message is the test cell's own source.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Iterable

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from .. import cells as cell_kinds
from ..config import Course, Settings, load
from ..coursedir import SOURCE_LANGUAGE, CourseError, language_of, module_of
from ..gradebook_safety import check_readable, shown_url, sqlite_path

_HIDDEN_REGION = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*$(.*?)^[ \t]*### END HIDDEN TESTS[ \t]*$",
                            re.M | re.S)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Shorter lines (a closing bracket, `else:`) occur in ordinary text too.
_MIN_HIDDEN_LINE = 10
_MAX_MESSAGE = 600
_MAX_ANSWER = 300


def pass_rule(pass_mark: float | None = None) -> str:
    """The pass rule in words; without `pass_mark`, for help texts (nbgrader_config.py sets it)."""
    if pass_mark is None:
        default = Course.class_traits()["pass_mark"].default_value
        mark = f"the pass mark (c.Course.pass_mark in nbgrader_config.py; by default {100 * default:.4g} %)"
    else:
        mark = f"{100 * pass_mark:.4g} %"
    return (f"a module is passed with at least {mark} of its auto-graded points; manually graded cells "
            "(written reflections) are shown but do not count towards passing")


@dataclass(frozen=True)
class Exercise:
    assignment: str
    grade_id: str
    number: int                # 1-based, in notebook order among graded cells
    title: str                 # the heading of the narrative just before the exercise
    max_score: float
    auto_graded: bool          # False: a written answer a trainer grades
    answer_cell: str | None    # grade_id of the learner's answer cell, if any


@dataclass
class Module:
    name: str                  # the nbgrader assignment; for a module, its English one (NN-slug)
    title: str
    notebook: str
    duedate: datetime | None   # naive UTC, as nbgrader stores it
    exercises: list[Exercise]
    # The module's editions in the gradebook: language -> assignment, and language -> title.
    editions: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    exercise_titles: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> grade_id -> title

    def title_in(self, language: str) -> str:
        return self.titles.get(language, self.title)

    def exercise_title(self, exercise: Exercise, language: str) -> str:
        return self.exercise_titles.get(language, {}).get(exercise.grade_id, exercise.title)

    @property
    def auto_exercises(self) -> list[Exercise]:
        return [e for e in self.exercises if e.auto_graded]

    @property
    def auto_max(self) -> float:
        return sum(e.max_score for e in self.auto_exercises)

    @property
    def manual_max(self) -> float:
        return sum(e.max_score for e in self.exercises if not e.auto_graded)


@dataclass(frozen=True)
class Learner:
    id: str
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.id


@dataclass(frozen=True)
class Answer:
    """What a learner wrote in an answer cell, read without running it."""
    kind: str    # value (a literal), expression, blank (still `...`), unreadable
    text: str    # the value as Python writes it, or the expression's text


@dataclass
class Submission:
    learner: str
    assignment: str
    timestamp: datetime | None
    seconds_late: float
    graded: bool                               # False: the notebook could not be run (damaged file)
    scores: dict[str, float | None]            # grade_id -> points; None: not graded (yet)
    messages: dict[str, str] = field(default_factory=dict)   # test grade_id -> why it lost points
    answers: dict[str, Answer] = field(default_factory=dict)  # answer grade_id -> answer
    notebook: str = ""                         # the notebook handed in (autograded/<learner>/<assignment>/)

    @property
    def language(self) -> str:
        """The language of the edition handed in (its messages are in that language)."""
        return language_of(self.assignment)


@dataclass(frozen=True)
class ModuleResult:
    status: str                 # graded, not submitted, could not be graded
    auto_score: float | None
    auto_max: float
    manual_score: float | None  # None while a written answer waits for a trainer
    manual_max: float
    passed: bool

    @property
    def percent(self) -> float | None:
        if self.auto_score is None or not self.auto_max:
            return None
        return 100.0 * self.auto_score / self.auto_max


@dataclass
class Cohort:
    settings: Settings
    modules: list[Module]
    learners: list[Learner]
    submissions: dict[tuple[str, str], Submission]  # (learner id, assignment) -> submission

    @property
    def pass_mark(self) -> float:
        return self.settings.course.pass_mark

    @property
    def pass_rule(self) -> str:
        return pass_rule(self.pass_mark)

    def module(self, name: str) -> Module:
        for m in self.modules:
            if m.name == module_of(name):
                return m
        raise CourseError(f"Assignment {name!r} is not in the gradebook; grade it first "
                          f"(graded: {', '.join(m.name for m in self.modules) or 'none'}).")

    def submission(self, learner_id: str, assignment: str) -> Submission | None:
        return self.submissions.get((learner_id, assignment))

    def result(self, learner_id: str, module: Module) -> ModuleResult:
        sub = self.submission(learner_id, module.name)
        if sub is None:
            return ModuleResult("not submitted", None, module.auto_max, None, module.manual_max, False)
        if not sub.graded:
            return ModuleResult("could not be graded", None, module.auto_max, None, module.manual_max, False)
        auto = sum(sub.scores.get(e.grade_id) or 0.0 for e in module.auto_exercises)
        manual_scores = [sub.scores.get(e.grade_id) for e in module.exercises if not e.auto_graded]
        manual = None if any(s is None for s in manual_scores) else sum(manual_scores)
        passed = auto >= self.pass_mark * module.auto_max - 1e-9
        return ModuleResult("graded", auto, module.auto_max, manual, module.manual_max, passed)

    def passed_all(self, learner_id: str) -> bool:
        return bool(self.modules) and all(self.result(learner_id, m).passed for m in self.modules)

    def language(self, learner_id: str) -> str:
        """The language of the learner's most recent submission (English without any)."""
        subs = [s for (who, _), s in self.submissions.items() if who == learner_id]
        latest = max(subs, key=_handed_in, default=None)
        return latest.language if latest is not None else SOURCE_LANGUAGE


class HiddenText:
    """The lines of a course's hidden tests, to keep them out of everything we write."""

    def __init__(self, texts: Iterable[str]):
        self.lines = set()
        for text in texts:
            for region in _HIDDEN_REGION.findall(text):
                for line in region.splitlines():
                    squeezed = _squeeze(line)
                    if len(squeezed) >= _MIN_HIDDEN_LINE:
                        self.lines.add(squeezed)

    def quoted_in(self, text: str) -> bool:
        squeezed = _squeeze(text)
        return any(line in squeezed for line in self.lines)

    def withhold(self, text: str, instead: str) -> str:
        return instead if self.quoted_in(text) else text


def _squeeze(text: str) -> str:
    # Whitespace-blind, so re-indenting a stolen line does not get it through.
    return re.sub(r"\s+", "", text)


WITHHELD_MESSAGE = ("This check failed. (Its message quoted the check itself, so it is not shown: "
                    "ask your trainer.)")
WITHHELD_ANSWER = "(not shown: it quotes the course's checks)"


def read_answer(cell_source: str) -> Answer:
    """The learner's answer: the right-hand side of the last assignment in the cell."""
    code = cell_source[:20_000]
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return Answer("unreadable", "(this cell has a typo Python cannot read)")
    assigns = [n for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None]
    if not assigns:
        return Answer("unreadable", "(no answer written as `name = value`)")
    node = assigns[-1].value
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        text = ast.get_source_segment(code, node) or ast.unparse(node)
        return Answer("expression", _shorten(" ".join(text.split()), _MAX_ANSWER))
    if value is Ellipsis:
        return Answer("blank", "(not answered)")
    if isinstance(value, (set, frozenset)):
        return Answer("value", _shorten("{" + ", ".join(sorted(map(repr, value))) + "}", _MAX_ANSWER))
    return Answer("value", _shorten(repr(value), _MAX_ANSWER))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first_line(markdown: str) -> str:
    for line in markdown.splitlines():
        line = line.strip().lstrip("#>").strip().replace("**", "").replace("__", "")
        if line:
            return _shorten(line, 120)
    return ""


# The course's own words for a failed check, in the language of the edition handed in (a
# check's own message is already in that language: the library speaks it).
FALLBACK_MESSAGES = {
    "en": {"failed": "This check failed; reread the exercise and your answer.",
           "name": "Python does not know a name used here ({evalue}). Run your answer cell (and the cells "
                   "above it), check the spelling, then try again.",
           "crashed": "The check could not run: {ename}: {evalue}. Check your answer cell, run it again, "
                      "then rerun this check.",
           "partial": "This exercise did not get full marks; reread the question and your answer.",
           "withheld": WITHHELD_MESSAGE},
    "fr": {"failed": "Cette vérification a échoué ; relisez l'exercice et votre réponse.",
           "name": "Python ne connaît pas un nom utilisé ici ({evalue}). Exécutez votre cellule de réponse (et "
                   "les cellules au-dessus), vérifiez l'orthographe, puis réessayez.",
           "crashed": "La vérification n'a pas pu s'exécuter : {ename} : {evalue}. Vérifiez votre cellule de "
                      "réponse, exécutez-la de nouveau, puis relancez cette vérification.",
           "partial": "Cet exercice n'a pas obtenu tous les points ; relisez la question et votre réponse.",
           "withheld": "Cette vérification a échoué. (Son message citait la vérification elle-même, il n'est "
                       "donc pas affiché : demandez à votre formateur.)"},
}


def failure_message(outputs: list, language: str = SOURCE_LANGUAGE) -> str | None:
    """The plain-language message of a failed test cell, from its error output."""
    words = FALLBACK_MESSAGES.get(language, FALLBACK_MESSAGES[SOURCE_LANGUAGE])
    for out in outputs:
        if out.get("output_type") != "error":
            continue
        ename, evalue = out.get("ename", ""), _ANSI.sub("", str(out.get("evalue", ""))).strip()
        if ename in ("AnswerError", "AssertionError") and evalue:
            return _shorten(evalue, _MAX_MESSAGE)
        if ename in ("AnswerError", "AssertionError"):
            return words["failed"]
        if ename == "NameError":
            return _shorten(words["name"].format(evalue=evalue), _MAX_MESSAGE)
        return _shorten(words["crashed"].format(ename=ename, evalue=evalue), _MAX_MESSAGE)
    return None


def _graded_cells_in_order(source_nb: nbformat.NotebookNode | None, grade_ids: set[str]) -> list[str]:
    if source_nb is None:
        return sorted(grade_ids)
    return cell_kinds.in_notebook_order(source_nb, sorted(grade_ids))


def _titles_and_answers(source_nb: nbformat.NotebookNode | None, solution_cells: set[str]) -> tuple[dict, dict]:
    """For each graded cell: the heading of the narrative before it, and the answer
    cell it tests (`answer_x` for `test_x`, else the nearest answer cell above it)."""
    titles: dict[str, str] = {}
    answer_of: dict[str, str] = {}
    if source_nb is None:
        return titles, answer_of
    last_markdown, last_answer = "", None
    for cell in source_nb.cells:
        gid = cell_kinds.grade_id(cell)
        if cell.cell_type == "markdown" and cell_kinds.is_plain(cell):
            # The nearest heading names the exercise best ("### Exercise 2: ..."); a cell
            # without one is still better than nothing.
            headings = [ln for ln in cell.source.splitlines() if ln.lstrip().startswith("#")]
            if headings:
                last_markdown = _first_line(headings[-1])
            elif not last_markdown:
                last_markdown = _first_line(cell.source)
            continue
        if gid in solution_cells and cell.cell_type == "code":
            last_answer = gid
            titles.setdefault(gid, last_markdown)
        if cell_kinds.is_graded(cell):
            titles[gid] = last_markdown
            if cell_kinds.is_test(cell):
                paired = "answer_" + gid[len("test_"):] if gid.startswith("test_") else None
                answer_of[gid] = paired if paired in solution_cells else last_answer
    return titles, answer_of


def _source_notebook(root: Path, assignment: str, notebook: str) -> nbformat.NotebookNode | None:
    path = root / "source" / assignment / f"{notebook}.ipynb"
    if not path.is_file():
        return None
    return nbformat.read(str(path), as_version=4)


def _module_title(source_nb: nbformat.NotebookNode | None, assignment: str) -> str:
    if source_nb is not None:
        if source_nb.metadata.get("title"):
            return str(source_nb.metadata["title"])
        for cell in source_nb.cells:
            if cell.cell_type == "markdown" and _first_line(cell.source):
                return _first_line(cell.source)
    return assignment


def load_cohort(root: Path, assignments: list[str] | None = None,
                settings: Settings | None = None) -> tuple[Cohort, HiddenText]:
    """Every learner, module and submission of the course at `root`.

    `assignments`: only these (default: every assignment in the gradebook)."""
    settings = settings or load(root)
    database = sqlite_path(settings.db_url)
    if database and not database.is_file():
        # Opening a missing SQLite gradebook would quietly create an empty one.
        raise CourseError(f"No gradebook at {database}: release and grade the cohort first "
                          "(`course grade` or `nbgrader autograde`), or try `course demo`.")
    check_readable(settings.db_url)  # damaged: a clear message, not a traceback nor a new empty gradebook
    modules: list[Module] = []
    hidden_sources: list[str] = []
    submissions: dict[tuple[str, str], Submission] = {}
    with Gradebook(settings.db_url) as gb:
        known = sorted(a.name for a in gb.assignments)
        wanted = assignments if assignments is not None else known
        # A module's edition nobody handed in is not in the gradebook: the module is, by its other one.
        missing = [a for a in wanted if not any(module_of(k) == module_of(a) for k in known)]
        wanted = [a for a in wanted if a in known]
        if missing:
            raise CourseError(f"No grades for {', '.join(missing)} in the gradebook ({shown_url(settings.db_url)}): "
                              "grade the cohort first (`course grade` or `nbgrader autograde`).")
        learners = [Learner(s.id, s.first_name or "", s.last_name or "") for s in gb.students]
        learners.sort(key=lambda ln: ln.id)
        for name in wanted:
            assignment = gb.find_assignment(name)
            if len(assignment.notebooks) != 1:
                raise CourseError(f"{name} has {len(assignment.notebooks)} notebooks in the gradebook; "
                                  "this course expects one notebook per assignment.")
            nb = assignment.notebooks[0]
            source_nb = _source_notebook(settings.root, name, nb.name)
            hidden_sources += [c.source or "" for c in nb.source_cells]
            if source_nb is not None:
                hidden_sources += [c.source for c in source_nb.cells]
            solution_cells = {c.name for c in nb.solution_cells}
            titles, answer_of = _titles_and_answers(source_nb, solution_cells)
            grade_cells = {g.name: g for g in nb.grade_cells}
            exercises = []
            for number, gid in enumerate(_graded_cells_in_order(source_nb, set(grade_cells)), start=1):
                cell = grade_cells[gid]
                auto = cell.cell_type == "code" and gid not in solution_cells
                exercises.append(Exercise(name, gid, number, titles.get(gid) or gid.replace("_", " "),
                                          float(cell.max_score), auto, answer_of.get(gid) if auto else None))
            modules.append(Module(name, _module_title(source_nb, name), nb.name, assignment.duedate, exercises))
        hidden = HiddenText(hidden_sources)

        for module in modules:
            for learner in learners:
                try:
                    sub = gb.find_submission(module.name, learner.id)
                except MissingEntry:
                    continue
                submissions[(learner.id, module.name)] = _read_submission(settings, gb, sub, module, hidden)
    modules, submissions = one_module_per_edition_pair(modules, submissions)
    return Cohort(settings, modules, learners, submissions), hidden


def _handed_in(sub: Submission) -> datetime:
    return sub.timestamp or datetime.min


def one_module_per_edition_pair(modules: list[Module], submissions: dict[tuple[str, str], Submission]
                                ) -> tuple[list[Module], dict[tuple[str, str], Submission]]:
    """A module's editions (NN-slug and NN-slug-fr, two nbgrader assignments) as one module:
    named, titled and with the exercises of its English edition (the grade_ids, points and
    order are the same in both: tests/test_editions.py), keyed by the English name. A learner
    who handed in both has the latest one; `Submission.assignment` stays the edition handed in."""
    merged: dict[str, Module] = {}
    for module in modules:
        name, language = module_of(module.name), language_of(module.name)
        known = merged.get(name)
        if known is None or language == SOURCE_LANGUAGE:
            base = replace(module, name=name, exercises=[replace(e, assignment=name) for e in module.exercises],
                           editions=dict(known.editions) if known else {}, titles=dict(known.titles) if known else {},
                           exercise_titles=dict(known.exercise_titles) if known else {})
            merged[name] = base
        merged[name].editions[language] = module.name
        merged[name].titles[language] = module.title
        merged[name].exercise_titles[language] = {e.grade_id: e.title for e in module.exercises}
    one: dict[tuple[str, str], Submission] = {}
    for (learner_id, assignment), sub in submissions.items():
        key = (learner_id, module_of(assignment))
        if key not in one or _handed_in(sub) >= _handed_in(one[key]):
            one[key] = sub
    return list(merged.values()), one


def _read_submission(settings: Settings, gb: Gradebook, sub, module: Module,
                     hidden: HiddenText) -> Submission:
    by_id = {e.grade_id: e for e in module.exercises}
    scores: dict[str, float | None] = {}
    for snb in sub.notebooks:
        for grade in snb.grades:
            ex = by_id.get(grade.name)
            if ex is None:
                continue
            if ex.auto_graded:
                scores[grade.name] = grade.manual_score if grade.manual_score is not None else grade.auto_score
            else:
                scores[grade.name] = grade.manual_score
    path = settings.autograded_dir / sub.student.id / module.name / f"{module.notebook}.ipynb"
    nb = None
    if path.is_file():
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception:  # a damaged autograded file reads as "could not be graded"
            nb = None
    auto_scores = [scores.get(e.grade_id) for e in module.auto_exercises]
    graded = nb is not None and not (auto_scores and all(s is None for s in auto_scores))
    result = Submission(sub.student.id, module.name, sub.timestamp, float(sub.total_seconds_late or 0.0),
                        graded, scores, notebook=module.notebook)
    if nb is None:
        return result
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells
             if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade_id")}
    for ex in module.auto_exercises:
        if ex.answer_cell and ex.answer_cell in cells:
            answer = read_answer(cells[ex.answer_cell].source)
            result.answers[ex.answer_cell] = (Answer("unreadable", WITHHELD_ANSWER)
                                              if hidden.quoted_in(answer.text) else answer)
        score = scores.get(ex.grade_id)
        if score is not None and score >= ex.max_score:
            continue
        cell = cells.get(ex.grade_id)
        words = FALLBACK_MESSAGES.get(language_of(module.name), FALLBACK_MESSAGES[SOURCE_LANGUAGE])
        message = failure_message(cell.get("outputs", []), language_of(module.name)) if cell is not None else None
        if message is None:
            message = words["partial"]
        result.messages[ex.grade_id] = hidden.withhold(message, words["withheld"])
    return result
