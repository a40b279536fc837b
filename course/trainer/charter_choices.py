"""Which rules the cohort kept in its charters (module 7), counted anonymously.

The rules are read from `my_charter` in each learner's graded notebook by parsing (`ast`),
never by running it. A charter counts once its networks are all filled in (no `...`
left), so an untouched form, which lists every rule, is not read as a choice. The counts
are shown only from MIN_CHARTERS charters on: with fewer, a count could point at a person.
"""

from __future__ import annotations

import ast
from collections import Counter

from ..learner.charter import RULES
from ..learner.check import typed_word
from .knowledge import graded_notebook
from .results import Cohort

ANSWER_CELL = "answer_my_charter"  # the grade_id of module 7's charter form
MIN_CHARTERS = 5


def _charter_dict(source: str) -> ast.Dict | None:
    try:
        tree = ast.parse(source[:20_000])
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    found = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "my_charter"
                                                for t in node.targets):
            found = node.value if isinstance(node.value, ast.Dict) else None
    return found


def _entry(charter: ast.Dict, name: str):
    for k, v in zip(charter.keys, charter.values):
        if isinstance(k, ast.Constant) and type(k.value) is str and typed_word(k.value) == name:
            return v
    return None


def rules_in_cell(source: str) -> list[str] | None:
    """The known rules a filled-in charter keeps, or None (no charter, or not filled in)."""
    charter = _charter_dict(source)
    if charter is None:
        return None
    networks, rules = _entry(charter, "networks"), _entry(charter, "rules")
    if not isinstance(networks, ast.Dict) or not isinstance(rules, (ast.List, ast.Tuple)):
        return None
    if not networks.values or not all(isinstance(v, ast.Constant) and type(v.value) is str
                                      for v in networks.values):
        return None
    words = {typed_word(r.value) for r in rules.elts if isinstance(r, ast.Constant) and type(r.value) is str}
    return [rule for rule in RULES if rule in words]


def _grade_id(cell) -> str | None:
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source if isinstance(source, str) else ""


def chosen_rules(cohort: Cohort) -> dict:
    """{"charters": n, "minimum": MIN_CHARTERS, "rules": [{"rule", "text", "learners"}, ...]}:
    the rules most kept first; "rules" is empty when fewer than MIN_CHARTERS charters."""
    counts: Counter = Counter()
    charters = 0
    for module in cohort.modules:
        if not any(e.answer_cell == ANSWER_CELL for e in module.exercises):
            continue
        for learner in cohort.learners:
            sub = cohort.submission(learner.id, module.name)
            graded = sub is not None and sub.graded  # the edition handed in: a French one has its own notebook
            nb = (graded_notebook(cohort, learner.id, sub.assignment, sub.notebook or module.notebook)
                  if graded else None)
            cells = [c for c in (nb or {}).get("cells", []) if _grade_id(c) == ANSWER_CELL]
            rules = rules_in_cell(_source(cells[0])) if cells else None
            if rules is not None:
                charters += 1
                counts.update(rules)
    return rule_counts(charters, counts)


def rule_counts(charters: int, counts: Counter) -> dict:
    shown = charters >= MIN_CHARTERS
    order = list(RULES)
    rules = sorted(((r, counts.get(r, 0)) for r in order), key=lambda item: (-item[1], order.index(item[0])))
    rules = rules if shown else []
    return {"charters": charters, "minimum": MIN_CHARTERS,
            "rules": [{"rule": r, "text": RULES[r], "learners": n} for r, n in rules]}
