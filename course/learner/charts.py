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

if TYPE_CHECKING:  # pyplot loads when a chart is drawn, not when a module imports this one
    import pandas as pd
    from matplotlib.figure import Figure

# Colour-blind-safe palette (Okabe-Ito), in a stable order.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


class ChartNotDrawn:
    """What a chart helper returns while nbgrader grades or validates the notebook."""

    def __repr__(self) -> str:
        return ("[Chart not drawn while the notebook is graded (charts are not graded): "
                "run this cell in your own notebook to see it.]")


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
def grouped_bars(table: pd.DataFrame, title: str, ylabel: str = "number of contacts") -> Figure:
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
    ax.set_ylabel(ylabel)
    ax.margins(y=0.15)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False)
    fig.tight_layout()
    plt.close(fig)
    return fig


@for_reading
def weekly_share_bars(weekly_share: pd.Series, title: str = "Work messages sent outside working hours") -> Figure:
    """One bar per week: the share (0 to 1) of that week's messages sent outside hours,
    drawn as a percentage, with a line at one third to read the worst weeks against."""
    import matplotlib.pyplot as plt

    if len(weekly_share) == 0:
        raise ValueError("weekly_share_bars needs at least one week.")
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(weekly_share)), 4))
    percent = [100 * float(v) for v in weekly_share.tolist()]
    ax.bar([str(week) for week in weekly_share.index], percent, color="#c0392b")
    ax.axhline(100 / 3, color="grey", linestyle="--", linewidth=1)
    ax.annotate("one third", (len(percent) - 0.5, 100 / 3), xytext=(-4, 3), textcoords="offset points",
                ha="right", fontsize=8, color="dimgrey")
    ax.set_title(title)
    ax.set_xlabel("week")
    ax.set_ylabel("% of the week's messages")
    ax.tick_params(axis="x", labelrotation=90)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    plt.close(fig)
    return fig
