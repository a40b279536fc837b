"""The short knowledge check that opens and closes each module: never graded.

Each module asks 3 to 5 multiple-choice questions (a, b or c) near its start, in a cell
tagged `knowledge-before`, and the same questions again at its end (`knowledge-after`).
The learner writes one letter in quotes per question; `noted` says which are not answered
yet and never what is right, `compare` says, per question, right at the start? right now?
and why the right option is right. The trainer's side (course/trainer/knowledge.py) reads
the same answers from the submitted notebooks, by parsing, for the report and the export.

The questions live in course/learner/questions/NN-slug.toml. The right letters are not
written there: each question has an answer key, `check.key("knowledge/NN-slug/N", letter)`,
and letters follow the course's one rule (`check.typed_word`: "B " is "b").

`noted` and `compare` never raise: Run All must go on past an ungraded check, whatever the
learner wrote. They print plain text and return None, in Jupyter or anywhere else.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .check import key, typed_word
from .language import _, language

# Tests point this at a bank of their own (or pass `folder=`).
QUESTIONS_DIR = Path(__file__).parent / "questions"


@dataclass(frozen=True)
class Question:
    number: int
    idea: str
    options: tuple[str, ...]
    key: str
    why: str
    why_fr: str = ""  # the same in French, for the French edition

    def explanation(self) -> str:
        """Why the right option is right, in the learner's language."""
        return self.why_fr if language() == "fr" and self.why_fr else self.why


class BankError(ValueError):
    """A question bank file is missing or malformed (an author's mistake, not a learner's)."""


def questions(assignment: str, folder: Path | str | None = None) -> list[Question]:
    """The questions of `assignment` ("03-passwords"), in the order of their numbers.
    Raises BankError if its file is missing or malformed."""
    return list(_read_bank(assignment, str(folder or QUESTIONS_DIR)))


@functools.lru_cache(maxsize=None)
def _read_bank(assignment: str, folder: str) -> tuple[Question, ...]:
    path = Path(folder) / f"{assignment}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BankError(f"No knowledge check for {assignment}: {path} does not exist.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BankError(f"{path} is not valid TOML: {error}") from None
    entries = data.get("question")
    if type(entries) is not list or not entries:
        raise BankError(f"{path} has no [[question]] entries.")
    found = []
    for entry in entries:
        try:
            options = tuple(typed_word(o) for o in entry["options"])
            question = Question(number=int(entry["number"]), idea=str(entry["idea"]), options=options,
                                key=str(entry["key"]), why=str(entry["why"]).strip(),
                                why_fr=str(entry.get("why_fr", "")).strip())
        except (KeyError, TypeError, ValueError) as error:
            raise BankError(f"{path}: a question lacks number, idea, options, key or why ({error!r}).") from None
        if not options or not all(type(o) is str and o for o in options):
            raise BankError(f"{path}: question {question.number} has no options.")
        found.append(question)
    numbers = [q.number for q in found]
    if len(set(numbers)) != len(numbers):
        raise BankError(f"{path}: two questions have the same number.")
    return tuple(sorted(found, key=lambda q: q.number))


def _letter(answer: Any, options: tuple[str, ...]) -> str | None:
    """The learner's answer as one of the options ("B " is "b"), or None."""
    if type(answer) is not str:
        return None
    word = typed_word(answer)
    return word if word in options else None


def _unanswered(answer: Any) -> bool:
    return answer is Ellipsis or answer is None or (type(answer) is str and not answer.strip())


def is_right(assignment: str, number: int, answer: Any, folder: Path | str | None = None) -> bool | None:
    """None when `answer` is not given (..., None, empty) or is not one of the options;
    else whether it is the right option. Raises BankError if there is no such question."""
    found = [q for q in questions(assignment, folder) if q.number == number]
    if not found:
        raise BankError(f"{assignment} has no question {number}.")
    return answer_is_right(assignment, found[0], answer)


def answer_is_right(assignment: str, question: Question, answer: Any) -> bool | None:
    """Like is_right, for a question already read from its bank."""
    letter = None if _unanswered(answer) else _letter(answer, question.options)
    if letter is None:
        return None
    return key(f"knowledge/{assignment}/{question.number}", letter) == question.key


def _answer_for(answers: dict, number: int) -> Any:
    """The answer to question `number`: by its number, or the number written as text."""
    for k, v in answers.items():
        if (type(k) is int and k == number) or (type(k) is str and k.strip() == str(number)):
            return v
    return Ellipsis


def _listed(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    if len(words) == 1:
        return _("question {number}").format(number=words[0])
    return _("questions {numbers} and {last}").format(numbers=", ".join(words[:-1]), last=words[-1])


def _letters(options: tuple[str, ...]) -> str:
    quoted = [f'"{o}"' for o in options]
    if len(quoted) == 1:
        return quoted[0]
    return _("{letters} or {last}").format(letters=", ".join(quoted[:-1]), last=quoted[-1])


def _problems(bank: list[Question], answers: Any, name: str) -> tuple[list[str], set[int]]:
    """Plain sentences about what is not answered or not a letter, and the numbers of the
    questions whose answer is one of the options."""
    if type(answers) is not dict:
        return ([_("`{name}` should stay the list of answers in curly brackets {{ }}, one line per "
                   "question, like 1: \"a\",. Undo your change to that cell (Edit > Undo), then run it again.").format(
                     name=name)],
                set())
    open_, odd, valid = [], [], set()
    for q in bank:
        answer = _answer_for(answers, q.number)
        if _unanswered(answer):
            open_.append(q.number)
        elif _letter(answer, q.options) is None:
            odd.append(_("Question {number}: write one letter in quotes: {letters}.").format(
                number=q.number, letters=_letters(q.options)))
        else:
            valid.add(q.number)
    lines = []
    if open_:
        lines.append(_("Not answered yet: {questions}. Replace each ... with one letter in quotes, "
                       "like {example}, then run this cell again.").format(
            questions=_listed(open_), example=_letters(bank[0].options[:1])))
    lines += odd
    known = {q.number for q in bank}
    extra = [k for k in answers
             if not any((type(k) is int and k == n) or (type(k) is str and k.strip() == str(n)) for n in known)]
    if extra:
        lines.append(_("There is no question {number} here: remove that line.").format(number=repr(extra[0])))
    return lines, valid


def _bank_or_say(assignment: str, folder) -> list[Question] | None:
    try:
        return questions(assignment, folder)
    except BankError:
        print(_("The questions of {assignment} could not be read. This is not your mistake: carry on with "
                "the module, and tell your trainer.").format(assignment=assignment))
        return None


def noted(assignment: str, answers: Any, folder: Path | str | None = None) -> None:
    """Say which questions are not answered yet (or not one of the letters), or that the
    answers are noted. Never says what is right, never raises."""
    try:
        bank = _bank_or_say(assignment, folder)
        if bank is None:
            return
        lines, _valid = _problems(bank, answers, "knowledge_before")
        if lines:
            print("\n".join(lines))
        else:
            print(_("Noted. Nothing is graded here: the same questions come back at the end of the module."))
    except Exception:  # an ungraded check must never stop Run All
        print(_("Your answers could not be read here; nothing is graded, so carry on with the module."))


def compare(assignment: str, before: Any, after: Any, folder: Path | str | None = None) -> None:
    """For each question: right at the start? right now? and, once answered now, why the
    right option is right; then a closing line. Never raises."""
    try:
        bank = _bank_or_say(assignment, folder)
        if bank is None:
            return
        lines, valid_now = _problems(bank, after, "knowledge_after")
        before = before if type(before) is dict else {}
        right_before = right_now = 0
        out = []
        for q in bank:
            was = answer_is_right(assignment, q, _answer_for(before, q.number))
            now = answer_is_right(assignment, q, _answer_for(after, q.number)) if q.number in valid_now else None
            right_before += was is True
            right_now += now is True
            start = {True: _("right"), False: _("not right"), None: _("not answered")}[was]
            if now is None:
                out.append(_("Question {number}: at the start {start}; now not answered yet.").format(
                    number=q.number, start=start))
            else:
                out.append(_("Question {number}: at the start {start}; now {now}.").format(
                    number=q.number, start=start, now=_("right") if now else _("not right")) + f" {q.explanation()}")
        total = len(bank)
        out.append(_("{before} of {total} right at the start, {now} of {total} now.").format(
            before=right_before, now=right_now, total=total))
        if lines:
            out += ["", *lines]
        print("\n".join(out))
    except Exception:  # an ungraded check must never stop Run All
        print(_("Your answers could not be compared here; nothing is graded, so carry on with the module."))
