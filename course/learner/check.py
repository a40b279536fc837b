"""Checks used by the test cells of the notebooks.

Each check raises `AnswerError` (an AssertionError, which nbgrader scores as a failed
test) with a message written for a learner who does not program: what is wrong, and
what to do. Every check returns None, silently: nbgrader reads a number left as a test
cell's last value as partial credit, and anything on stderr as a failure.

Comparisons never trust the learner's object: the type is checked first, exactly
(`type(x) is str`, not isinstance), so an object whose `__eq__` always says True, or a
subclass of str with a doctored `__eq__`, is refused before any comparison is made.
"""

from __future__ import annotations

import math
import sys
from pathlib import PurePath
from typing import Any, Iterable

__all__ = [
    "AnswerError",
    "answered",
    "is_type",
    "equal",
    "same_items",
    "one_of",
    "has_keys",
    "number_close",
    "table_columns",
    "same_table",
    "looks_right",
]


class AnswerError(AssertionError):
    """A learner's answer is not right yet; the message says why in plain words."""


_TYPE_WORDS = {
    str: 'a text in quotes, like "LinkedIn"',
    int: "a whole number, like 3",
    float: "a number, like 2.5",
    bool: "True or False",
    list: 'a list in square brackets, like ["a", "b"]',
    tuple: 'a tuple in round brackets, like ("a", "b")',
    dict: 'a dictionary in curly brackets, like {"key": "value"}',
    set: 'a set in curly brackets, like {"a", "b"}',
}


def _describe(value: Any) -> str:
    if value is Ellipsis:
        return "still ... (not answered yet)"
    if value is None:
        return "None (empty)"
    kind = type(value)
    for t, word in _TYPE_WORDS.items():
        if kind is t:
            return word.split(",")[0]
    return _library_word(kind) or f"something of type {kind.__name__}"


def _library_word(kind: type) -> str | None:
    """Plain words for the pandas, numpy and pathlib values learners often end up with.
    Only the exact type is looked at: a learner's object cannot pretend to be another."""
    pd, np = sys.modules.get("pandas"), sys.modules.get("numpy")
    if pd is not None and kind is pd.Series:
        return "a column of a table (a pandas Series; .tolist() turns it into a list)"
    if pd is not None and kind is pd.DataFrame:
        return "a table (a pandas DataFrame)"
    if np is not None and issubclass(kind, np.bool_):
        return "a numpy True or False (write bool(...) around it)"
    if np is not None and issubclass(kind, np.integer):
        return "a numpy whole number (write int(...) around it)"
    if np is not None and issubclass(kind, np.floating):
        return "a numpy number (write float(...) around it)"
    if issubclass(kind, PurePath):
        return "a file path (write str(...) around it to get its text)"
    return None


def _fail(message: str) -> None:
    # `from None` keeps the learner's traceback short: only the message matters.
    raise AnswerError(message) from None


def answered(value: Any, name: str) -> None:
    """Fail if the answer is still the `...` placeholder or empty."""
    __tracebackhide__ = True
    if value is Ellipsis:
        _fail(f"You have not answered yet: replace the ... after `{name} =` with your answer, then run that cell again.")
    if value is None:
        _fail(f"`{name}` is empty (None). Write your answer after `{name} =` and run the cell again.")


def is_type(value: Any, expected: type | tuple[type, ...], name: str) -> None:
    """Fail unless `type(value)` is exactly `expected` (or one of them)."""
    __tracebackhide__ = True
    answered(value, name)
    kinds = expected if isinstance(expected, tuple) else (expected,)
    if type(value) not in kinds:
        wanted = " or ".join(_TYPE_WORDS.get(k, k.__name__) for k in kinds)
        _fail(f"`{name}` should be {wanted}, but it is {_describe(value)}.")


def _strict_equal(actual: Any, expected: Any, tol: float = 1e-9) -> bool:
    """Deep equality that checks exact types at every level before comparing."""
    if type(actual) is not type(expected):
        # A whole number where a decimal is expected is fine (3 for 3.0).
        if type(expected) is float and type(actual) is int:
            return math.isclose(actual, expected, rel_tol=tol, abs_tol=tol)
        return False
    if type(expected) is float:
        return math.isclose(actual, expected, rel_tol=tol, abs_tol=tol)
    if type(expected) in (str, int, bool, type(None)):
        return actual == expected
    if type(expected) in (list, tuple):
        return len(actual) == len(expected) and all(
            _strict_equal(a, e, tol) for a, e in zip(actual, expected)
        )
    if type(expected) is dict:
        if not all(type(k) in (str, int, bool, tuple) for k in actual):
            return False
        return set(actual) == set(expected) and all(
            _strict_equal(actual[k], expected[k], tol) for k in expected
        )
    if type(expected) in (set, frozenset):
        if not all(type(x) in (str, int, bool, float, tuple) for x in actual):
            return False
        return set(actual) == set(expected)
    raise TypeError(f"check.equal cannot compare values of type {type(expected).__name__}")


def equal(actual: Any, expected: Any, message: str, tol: float = 1e-9) -> None:
    """Fail with `message` unless `actual` equals `expected`, types included."""
    __tracebackhide__ = True
    if not _strict_equal(actual, expected, tol):
        _fail(message)


def same_items(actual: Any, expected: Iterable[Any], name: str, what: str = "items") -> None:
    """Fail unless `actual` (a list, tuple or set) holds the same items as `expected`,
    in any order. The message names what is missing and what should not be there."""
    __tracebackhide__ = True
    is_type(actual, (list, tuple, set), name)
    expected = list(expected)
    allowed = {type(e) for e in expected} or {str}
    odd = [a for a in actual if type(a) not in allowed]
    if odd:
        _fail(f"`{name}` contains {odd[0]!r}, which is not one of the {what} this exercise asks for.")
    missing = [e for e in expected if e not in set(actual)]
    extra = sorted({a for a in actual if a not in set(expected)}, key=repr)
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing: {', '.join(map(repr, missing))}")
        if extra:
            parts.append(f"should not be there: {', '.join(map(repr, extra))}")
        _fail(f"`{name}` does not hold the right {what} yet ({'; '.join(parts)}).")
    if type(actual) in (list, tuple) and len(actual) != len(set(actual)):
        _fail(f"`{name}` lists some {what} twice: keep each one once.")


def one_of(value: Any, choices: Iterable[Any], name: str) -> None:
    """Fail unless `value` is exactly one of `choices` (for multiple-choice answers)."""
    __tracebackhide__ = True
    choices = list(choices)
    answered(value, name)
    if not any(type(value) is type(c) and value == c for c in choices):
        listed = ", ".join(repr(c) for c in choices)
        _fail(f"`{name}` should be one of {listed} (copy it exactly, quotes included); it is {value!r}.")


def has_keys(value: Any, keys: Iterable[str], name: str) -> None:
    """Fail unless `value` is a dict with exactly these keys."""
    __tracebackhide__ = True
    is_type(value, dict, name)
    keys = list(keys)
    missing = [k for k in keys if k not in value]
    extra = [k for k in value if k not in keys]
    if missing:
        _fail(f"`{name}` is missing the key(s) {', '.join(map(repr, missing))}.")
    if extra:
        _fail(f"`{name}` has key(s) this exercise does not use: {', '.join(map(repr, extra))}.")


def number_close(value: Any, expected: float, message: str, tol: float = 0.01) -> None:
    """Fail with `message` unless `value` is a plain number within `tol` of `expected`."""
    __tracebackhide__ = True
    if type(value) not in (int, float) or isinstance(value, bool):
        # numpy numbers are fine too, as long as they are real numbers.
        try:
            import numpy as np

            if not isinstance(value, (np.integer, np.floating)):
                raise TypeError
            value = float(value)
        except (ImportError, TypeError):
            _fail(f"The answer should be a number, but it is {_describe(value)}.")
    if not math.isclose(float(value), float(expected), rel_tol=tol, abs_tol=tol):
        _fail(message)


def table_columns(table: Any, columns: Iterable[str], name: str) -> None:
    """Fail unless `table` is a pandas DataFrame with these columns."""
    __tracebackhide__ = True
    import pandas as pd

    answered(table, name)
    if type(table) is not pd.DataFrame:
        _fail(f"`{name}` should be a table (a pandas DataFrame), but it is {_describe(table)}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        _fail(f"The table `{name}` has no column {', '.join(map(repr, missing))}.")


def same_table(actual: Any, expected: Any, name: str, message: str) -> None:
    """Fail with `message` unless two pandas objects hold the same values
    (row and column order and dtypes are ignored; numbers to 1e-6)."""
    __tracebackhide__ = True
    import pandas as pd

    answered(actual, name)
    if type(actual) is not type(expected) or type(expected) not in (pd.DataFrame, pd.Series):
        _fail(f"`{name}` should be a pandas {type(expected).__name__}, but it is {_describe(actual)}.")
    try:
        a, e = actual, expected
        if type(e) is pd.DataFrame:
            a = a.reindex(index=e.index, columns=e.columns)
            pd.testing.assert_frame_equal(a, e, check_dtype=False, check_names=False, atol=1e-6)
        else:
            a = a.reindex(index=e.index)
            pd.testing.assert_series_equal(a, e, check_dtype=False, check_names=False, atol=1e-6)
        if set(map(str, actual.index)) != set(map(str, expected.index)):
            raise AssertionError
    except (AssertionError, TypeError, ValueError):
        _fail(message)


def looks_right(note: str = "") -> None:
    """Print a short encouragement after the visible checks of a test cell pass."""
    print("✓ Looks right so far." + (f" {note}" if note else "") +
          " (Your final grade also runs a few more checks.)")
