"""The course's synthetic data sets, each made by a seeded `make_*.py` script beside it.

Load them by name: `load("contacts")` returns a fresh pandas DataFrame every call, so an
exercise that changes its copy cannot change anyone else's. Each file is parsed once per
process and copied after that: hidden tests load data sets again and again, and a copy
costs a tenth of parsing the CSV. The grading worker parses them all before it forks.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources
from pathlib import Path

import pandas as pd

from ..language import _


def path(name: str):
    """Path to data set `name` (without .csv)."""
    ref = resources.files(__name__) / f"{name}.csv"
    if not ref.is_file():
        raise FileNotFoundError(_("No data set {name}; available: {names}").format(
            name=repr(name), names=", ".join(available())))
    return ref


def load(name: str) -> pd.DataFrame:
    """Data set `name` as a DataFrame (text columns stay text: no NaN for empty cells)."""
    ref = path(name)
    # A data set regenerated while the process runs is parsed again.
    stat = ref.stat() if isinstance(ref, Path) else None
    stamp = (stat.st_mtime_ns, stat.st_size) if stat else None
    return _parsed(name, stamp).copy(deep=True)


@functools.lru_cache(maxsize=None)
def _parsed(name: str, stamp) -> pd.DataFrame:
    with resources.as_file(path(name)) as p:
        return pd.read_csv(p, keep_default_na=False)


def available() -> list[str]:
    """The names of every data set."""
    return sorted(p.name[:-4] for p in resources.files(__name__).iterdir() if p.name.endswith(".csv"))


def write_csv(out: Path, rows: list[dict], fieldnames: list[str] | None = None) -> None:
    """Write `rows` to `out` the way every make_*.py script does: UTF-8, "\\n" line ends
    (the same bytes on every OS, so regenerating a data set leaves git clean)."""
    with Path(out).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fieldnames or list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
