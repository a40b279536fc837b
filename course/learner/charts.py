"""Charts the notebooks draw for learners to read.

Each helper takes a table the notebook has already computed, draws it and returns the
matplotlib Figure without showing it: the notebook shows it by leaving it as the last
value of a cell. Closing the figure in pyplot keeps Jupyter from showing it a second
time and keeps memory flat when a cohort is graded.

Charts are for reading and are never graded. While nbgrader runs a notebook to grade or
validate it, it sets NBGRADER_EXECUTION in the kernel so that a notebook can skip such
work (nbgrader FAQ, "Can I modify the notebook behavior during autograding or
validation?"); every chart helper is wrapped in `for_reading`, which then returns a line
of text instead of a figure. Drawing a chart costs about 0.2 s of CPU, more than
everything else in its notebook: most of the time of grading a cohort.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from .language import _

if TYPE_CHECKING:  # pyplot loads when a chart is drawn, not when a module imports this one
    import pandas as pd
    from matplotlib.figure import Figure

# Colour-blind-safe palette (Okabe-Ito), in a stable order.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


class ChartNotDrawn:
    """What a chart helper returns while nbgrader grades or validates the notebook."""

    def __repr__(self) -> str:
        return _("[Chart not drawn while the notebook is graded (charts are not graded): "
                 "run this cell in your own notebook to see it.]")


class ChartNote:
    """What a chart helper returns instead of a chart that would mislead: a plain sentence
    saying what is wrong with the table it was given (a cell never fails for it)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def while_grading() -> bool:
    """True while nbgrader runs the notebook (autograde or validate), not while a person does."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def for_reading(draw):
    """Wrap a chart helper: it draws for a person and is skipped while nbgrader runs the notebook."""
    @functools.wraps(draw)
    def helper(*args, **kwargs):
        if while_grading():
            return ChartNotDrawn()
        return draw(*args, **kwargs)

    return helper


@for_reading
def grouped_bars(table: pd.DataFrame, title: str, ylabel: str | None = None) -> Figure:
    """One group of bars per row of `table` (e.g. a network), one bar per column
    (e.g. an audience), each bar labelled with its value so it can be read exactly."""
    import matplotlib.pyplot as plt

    if table.empty:
        raise ValueError("grouped_bars needs a table with at least one row and one column.")
    rows, columns = list(table.index), list(table.columns)
    width = 0.8 / len(columns)
    fig, ax = plt.subplots(figsize=(max(6, 1.3 * len(rows) * max(1, len(columns) / 2)), 4))
    for i, column in enumerate(columns):
        positions = [r + (i - (len(columns) - 1) / 2) * width for r in range(len(rows))]
        bars = ax.bar(positions, table[column].tolist(), width, label=str(column),
                      color=PALETTE[i % len(PALETTE)])
        ax.bar_label(bars, padding=2, fontsize=9)
    ax.set_xticks(range(len(rows)), [str(r) for r in rows])
    ax.set_title(title)
    ax.set_ylabel(_("number of contacts") if ylabel is None else ylabel)
    ax.margins(y=0.15)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False)
    fig.tight_layout()
    plt.close(fig)
    return fig


def weekly_share_problem(weekly_share) -> str | None:
    """Why `weekly_share` is not one share (0 to 1) per week, in plain words, or None."""
    import pandas as pd

    if weekly_share is Ellipsis:
        return _("Nothing to draw yet: answer `weekly_share` above (replace its ...), then run this cell again.")
    if type(weekly_share) is pd.DataFrame:
        return _("`weekly_share` is a table, not one column: write [\"outside_hours\"] with single square "
                 "brackets, then run this cell again.")
    if type(weekly_share) is not pd.Series:
        return _("Nothing to draw: `weekly_share` should be one share per week, what "
                 "groupby(...)[...].mean() gives. Fix it above, then run this cell again.")
    if len(weekly_share) == 0:
        return _("Nothing to draw: `weekly_share` has no weeks.")
    if weekly_share.dtype.kind not in "biuf":
        return _("Nothing to draw: `weekly_share` should hold numbers (shares between 0 and 1).")
    top = float(weekly_share.max())
    if top > 1 or float(weekly_share.min()) < 0:
        return _("Not drawn: a share is between 0 and 1 (100 %), but `weekly_share` goes up to {top}. "
                 "It holds counts, not shares: take the .mean() of \"outside_hours\", not its .sum() "
                 "or .count(), then run this cell again.").format(top=f"{top:g}")
    return None


@for_reading
def weekly_share_bars(weekly_share: pd.Series, title: str | None = None) -> Figure:
    """One bar per week: the share (0 to 1) of that week's messages sent outside hours,
    drawn as a percentage, with a line at one third to read the worst weeks against.
    Anything else (still `...`, counts instead of shares, a table) is not drawn: a
    ChartNote says what is wrong instead of drawing nonsense."""
    import matplotlib.pyplot as plt

    problem = weekly_share_problem(weekly_share)
    if problem:
        return ChartNote(problem)
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(weekly_share)), 4))
    percent = [100 * float(v) for v in weekly_share.tolist()]
    ax.bar([str(week) for week in weekly_share.index], percent, color="#c0392b")
    ax.axhline(100 / 3, color="grey", linestyle="--", linewidth=1)
    ax.annotate(_("one third"), (len(percent) - 0.5, 100 / 3), xytext=(-4, 3), textcoords="offset points",
                ha="right", fontsize=8, color="dimgrey")
    ax.set_title(_("Work messages sent outside working hours") if title is None else title)
    ax.set_xlabel(_("week"))
    ax.set_ylabel(_("% of the week's messages"))
    ax.tick_params(axis="x", labelrotation=90)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    plt.close(fig)
    return fig
