"""Pictures of the persona gap for module 3 (coherent personas).

`plot_tone_timeline` puts every post on a timeline, one row per network, coloured by tone,
so the distance between the professional persona (LinkedIn, calm) and the private one
(X and TikTok: sometimes angry or crude, and public) is visible at a glance.
It draws what the data says and decides nothing: spotting the clashes is the learner's job.
"""

from __future__ import annotations

import pandas as pd

from .charts import for_reading
from .language import N_, _

# From the calmest tone to the one that discredits most quickly.
TONE_ORDER = [N_("professional"), N_("friendly"), N_("humorous"), N_("angry"), N_("crude")]
TONE_COLOURS = {"professional": "#1f77b4", "friendly": "#2ca02c", "humorous": "#bcbd22",
                "angry": "#ff7f0e", "crude": "#d62728"}
NETWORK_ORDER = ["LinkedIn", "X", "Facebook", "Instagram", "TikTok"]
PUBLIC = "public"


@for_reading
def plot_tone_timeline(posts: pd.DataFrame):
    """Every post as a dot: date across, network down, colour = tone. Posts anyone can see
    (audience "public") are drawn large with a black edge. Returns the matplotlib Figure.

    `posts` needs the columns date, network, tone and audience."""
    import matplotlib.pyplot as plt

    missing = {"date", "network", "tone", "audience"} - set(posts.columns)
    if missing:
        raise ValueError(f"the posts table has no column {', '.join(sorted(missing))}")
    unknown = set(posts["tone"]) - set(TONE_ORDER)
    if unknown:
        raise ValueError(f"unknown tone(s) {', '.join(sorted(unknown))}; expected {', '.join(TONE_ORDER)}")
    networks = [n for n in NETWORK_ORDER if n in set(posts["network"])]
    networks += sorted(set(posts["network"]) - set(networks))
    row = {n: i for i, n in enumerate(networks)}
    dates = pd.to_datetime(posts["date"])

    fig, ax = plt.subplots(figsize=(9, 3.8))
    for tone in TONE_ORDER:
        for is_public in (False, True):
            picked = (posts["tone"] == tone) & ((posts["audience"] == PUBLIC) == is_public)
            if not picked.any():
                continue
            ax.scatter(dates[picked], posts.loc[picked, "network"].map(row),
                       s=110 if is_public else 45, color=TONE_COLOURS[tone],
                       edgecolors="black" if is_public else "none", linewidths=1.2,
                       label=_("{tone} (public)").format(tone=_(tone)) if is_public else _(tone), zorder=3)
    ax.set_yticks(range(len(networks)), networks)
    ax.set_ylim(len(networks) - 0.5, -0.5)  # first network on top
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(_("Tone of each post, network by network (large dots: anyone can see them)"))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.tight_layout()
    plt.close(fig)  # the notebook shows it; no second copy from pyplot's state
    return fig
