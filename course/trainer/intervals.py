"""95 % intervals for the report's shares: Wilson's score interval for one share, and a
bootstrap over learners for the change in a share between two answers of the same learners.

Wilson's interval (Wilson 1927; Newcombe, Statistics in Medicine 17, 1998, method 3) stays
inside 0..1 and behaves with small counts, where the textbook p ± 1.96·se does not.

The change before -> after is paired (the same learners answer twice) and each learner
answers several questions, so answers are not independent. Resampling whole learners
(a cluster bootstrap, percentile interval, fixed seed so a report is the same on every
run) respects both, without a model of how a learner's answers are related.
"""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution
RESAMPLES = 4000
SEED = 20


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson's score interval for `successes` out of `n` (None when n is 0)."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError(f"successes ({successes}) should be between 0 and n ({n})")
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


def paired_change(learners: list[tuple[int, int, int]], resamples: int = RESAMPLES,
                  seed: int = SEED) -> tuple[float, float] | None:
    """A 95 % percentile bootstrap interval for the change in the share right, resampling
    learners. Each learner is (right before, right after, questions answered both times);
    the share of a resample is its total right over its total questions. None without data."""
    counts = np.array([row for row in learners if row[2] > 0], dtype=float).reshape(-1, 3)
    if not len(counts):
        return None
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(counts), size=(resamples, len(counts)))
    totals = counts[picks].sum(axis=1)  # resamples x (before, after, asked)
    changes = (totals[:, 1] - totals[:, 0]) / totals[:, 2]
    low, high = np.percentile(changes, [2.5, 97.5])
    return float(low), float(high)
