"""Right type, wrong content: variants of a model answer, made inside the learner's kernel.

This file's text is run in the kernel (it imports nothing from the tests). Each variant
is (label, value); a few are the same answer written another way ("6.0", "  LinkedIn",
other order), which the grade accepts and the visible check must accept too.
"""


def _perturbations(value):
    import pathlib

    out = []
    kind = type(value)
    try:
        import numpy as np
        import pandas as pd
    except ImportError:  # pragma: no cover - the course always has them
        np = pd = None
    if np is not None and isinstance(value, (np.integer, np.floating, np.bool_)):
        value = value.item()
        kind = type(value)
    if kind is bool:
        out.append(("negated", not value))
    elif kind is int:
        out += [("plus one", value + 1), ("minus one", value - 1), ("doubled", value * 2 + 1),
                ("written as a decimal", float(value)), ("in quotes", str(value))]
    elif kind is float:
        out += [("times two", value * 2 + 0.5), ("plus 0.1", value + 0.1), ("as a percentage", value * 100),
                ("rounded to a whole number", float(round(value)) if round(value) != value else value + 1)]
    elif kind is str:
        other = value + "x" if value else "x"
        out += [("changed text", other), ("first letter dropped", value[1:] or "y"),
                ("in capitals with spaces", "  " + value.upper() + " ")]
    elif kind in (list, tuple):
        items = list(value)
        if items:
            out += [("last item dropped", kind(items[:-1])), ("first item repeated", kind(items + [items[0]]))]
            for label, variant in _perturbations(items[0])[:2]:
                out.append((f"first item {label}", kind([variant] + items[1:])))
            if len(items) > 1:
                out.append(("order reversed", kind(items[::-1])))
        out.append(("empty", kind()))
    elif kind in (set, frozenset):
        items = sorted(value, key=repr)
        if items:
            out.append(("one item dropped", kind(items[1:])))
    elif kind is dict:
        keys = list(value)
        if keys:
            out.append(("one key dropped", {k: value[k] for k in keys[1:]}))
        for k in keys[:6]:
            for label, variant in _perturbations(value[k])[:2]:
                changed = dict(value)
                changed[k] = variant
                out.append((f"entry {k!r} {label}", changed))
    elif pd is not None and kind is pd.Series:
        if len(value):
            out += [("last row dropped", value.iloc[:-1])]
            if value.dtype.kind in "if":
                out += [("times two", value * 2 + 1), ("summed instead", value.sum())]
            elif value.dtype.kind == "b":
                out.append(("negated", ~value))
    elif pd is not None and kind is pd.DataFrame:
        out.append(("no rows", value.iloc[0:0]))
        if len(value):
            out += [("last row dropped", value.iloc[:-1]),
                    ("first row twice", pd.concat([value, value.iloc[:1]]))]
        if len(value.columns) > 1:
            out.append(("last column dropped", value[value.columns[:-1]]))
    elif isinstance(value, pathlib.PurePath):
        out.append(("another file", value.with_name("other-" + value.name)))
    return out
