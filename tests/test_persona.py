"""course.learner.persona: the tone timeline draws every post, where the data says."""

import pandas as pd
import pytest

from course.learner import persona
from course.learner.data import load


def _points(fig):
    return sum(len(c.get_offsets()) for c in fig.axes[0].collections)


def test_every_post_is_drawn_once():
    posts = load("persona_posts")
    assert _points(persona.plot_tone_timeline(posts)) == len(posts)


def test_public_posts_are_drawn_large_and_labelled():
    posts = pd.DataFrame({"date": ["2026-01-01", "2026-02-01"], "network": ["X", "LinkedIn"],
                          "tone": ["angry", "professional"], "audience": ["public", "connections"]})
    fig = persona.plot_tone_timeline(posts)
    by_label = {c.get_label(): c for c in fig.axes[0].collections}
    assert set(by_label) == {"angry (public)", "professional"}
    assert by_label["angry (public)"].get_sizes()[0] > by_label["professional"].get_sizes()[0]
    # LinkedIn is drawn on the top row, X below it
    assert by_label["professional"].get_offsets()[0][1] == 0
    assert by_label["angry (public)"].get_offsets()[0][1] == 1


def test_missing_column_or_unknown_tone_is_refused_with_a_reason():
    posts = load("persona_posts")
    with pytest.raises(ValueError, match="audience"):
        persona.plot_tone_timeline(posts.drop(columns="audience"))
    with pytest.raises(ValueError, match="sarcastic"):
        persona.plot_tone_timeline(posts.assign(tone="sarcastic"))
