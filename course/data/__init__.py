"""The course's synthetic data sets, each made by a seeded `make_*.py` script beside it.

Load them by name: `load("contacts")` returns a fresh pandas DataFrame every call, so an
exercise that changes its copy cannot change anyone else's.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd


def path(name: str):
    """Path to data set `name` (without .csv)."""
    ref = resources.files(__name__) / f"{name}.csv"
    if not ref.is_file():
        available = sorted(p.name[:-4] for p in resources.files(__name__).iterdir() if p.name.endswith(".csv"))
        raise FileNotFoundError(f"No data set {name!r}; available: {', '.join(available)}")
    return ref


def load(name: str) -> pd.DataFrame:
    """Data set `name` as a DataFrame (text columns stay text: no NaN for empty cells)."""
    with resources.as_file(path(name)) as p:
        return pd.read_csv(p, keep_default_na=False)
