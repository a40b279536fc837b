"""Chart helpers: they draw exactly the table they are given, and never show it themselves."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course.learner import charts  # noqa: E402

TABLE = pd.DataFrame({"work contacts": [21, 6, 0], "private contacts": [11, 25, 3]},
                     index=["linkedin", "facebook", "x"])

WEEKS = pd.Series([0.1, 0.25, 0.4], index=["2026-W39", "2026-W40", "2026-W41"], name="outside_hours")


def bar_heights(fig, label):
    ax = fig.axes[0]
    container = next(c for c in ax.containers if c.get_label() == label)
    return [bar.get_height() for bar in container]


def test_draws_one_labelled_bar_per_cell():
    fig = charts.grouped_bars(TABLE, "Who sees what")
    assert isinstance(fig, Figure)
    for column in TABLE.columns:
        assert bar_heights(fig, column) == TABLE[column].tolist()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["linkedin", "facebook", "x"]
    assert ax.get_title() == "Who sees what"
    # Every bar carries its value as text, zero included, so the chart reads exactly.
    labels = sorted(t.get_text() for t in ax.texts)
    assert labels == sorted(str(v) for v in TABLE.to_numpy().ravel())


def test_legend_names_every_column():
    fig = charts.grouped_bars(TABLE, "t")
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == list(TABLE.columns)


def test_does_not_leave_a_figure_open_for_jupyter_to_show_twice():
    plt.close("all")
    charts.grouped_bars(TABLE, "t")
    assert plt.get_fignums() == []


def test_refuses_an_empty_table():
    with pytest.raises(ValueError, match="at least one row"):
        charts.grouped_bars(pd.DataFrame(), "t")


@pytest.mark.parametrize("execution", ["autograde", "validate"])
def test_charts_are_not_drawn_while_nbgrader_runs_the_notebook(monkeypatch, execution):
    from course.learner import passwords, persona
    from course.learner.data import load

    plt.close("all")
    monkeypatch.setenv("NBGRADER_EXECUTION", execution)  # what nbgrader sets in the kernel
    drawn = [charts.grouped_bars(TABLE, "t"), persona.plot_tone_timeline(load("persona_posts")),
             passwords.plot_entropy_by_length(), charts.weekly_share_bars(WEEKS)]
    for chart in drawn:
        assert isinstance(chart, charts.ChartNotDrawn)
        assert "run this cell in your own notebook" in repr(chart)
    assert plt.get_fignums() == []


def test_charts_are_drawn_for_a_person(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert isinstance(charts.grouped_bars(TABLE, "t"), Figure)


def test_weekly_share_bars_draw_each_week_as_a_percentage():
    plt.close("all")
    fig = charts.weekly_share_bars(WEEKS)
    ax = fig.axes[0]
    assert [round(p.get_height(), 6) for p in ax.patches] == [10.0, 25.0, 40.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(WEEKS.index)
    assert [round(y, 3) for line in ax.get_lines() for y in line.get_ydata()] == [33.333, 33.333]
    assert plt.get_fignums() == []


@pytest.mark.parametrize("given, words", [
    (WEEKS * 0 + pd.Series([7, 21, 35], index=WEEKS.index), "goes up to 35"),   # .sum(): counts
    (WEEKS * 100, "goes up to 40"),                                             # percentages
    (Ellipsis, "Nothing to draw yet"),
    (WEEKS.to_frame(), "single square brackets"),
    (0.19, "one share per week"),
    (WEEKS.iloc[:0], "no weeks"),
    (pd.Series(["a", "b"]), "should hold numbers"),
])
def test_weekly_share_bars_say_what_is_wrong_instead_of_drawing_nonsense(monkeypatch, given, words):
    """A wrong answer (counts from .sum(), still ..., a table) gets a plain sentence, not a
    chart climbing to 3,500 %, and never an error that would stop Run All."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    plt.close("all")
    note = charts.weekly_share_bars(given)
    assert isinstance(note, charts.ChartNote) and words in repr(note)
    assert "Traceback" not in repr(note) and len(repr(note).splitlines()) == 1
    assert plt.get_fignums() == []
    assert charts.weekly_share_problem(WEEKS) is None
