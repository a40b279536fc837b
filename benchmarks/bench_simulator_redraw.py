"""How long the simulator takes to redraw after a control change (target: under 100 ms).

Builds the widget once, then changes one control at a time, cycling through changes a
learner makes (audience, network, tags, checkboxes), and times each `.value` assignment:
ipywidgets runs the observers synchronously, so that time is the whole redraw (model,
table, chart PNG). Prints the median and the 95th percentile as its last lines.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course.learner.simulator import build_simulator  # noqa: E402

CHANGES = 50
TARGET_MS = 100.0


def changes(sim):
    """(control, value) pairs, each different from the control's value before it."""
    steps = [
        (sim.facebook["audience"], "public"), (sim.facebook["audience"], "friends"),
        (sim.tags, ("Anna R.",)), (sim.facebook["tag_review"], True), (sim.tags, ()),
        (sim.facebook["tag_review"], False),
        (sim.network, "x"), (sim.x["protected"], True), (sim.x["protected"], False),
        (sim.network, "linkedin"), (sim.linkedin["audience"], "connections"),
        (sim.linkedin["audience"], "anyone"),
        (sim.network, "instagram"), (sim.instagram["share_to"], "close_friends_story"),
        (sim.instagram["share_to"], "feed"), (sim.network, "facebook"),
    ]
    while True:
        yield from steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=CHANGES, help=f"control changes timed (default: {CHANGES})")
    args = parser.parse_args()
    started = time.perf_counter()
    sim = build_simulator()
    build_ms = (time.perf_counter() - started) * 1000
    times = []
    for (control, value), _ in zip(changes(sim), range(args.changes)):
        t0 = time.perf_counter()
        control.value = value
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    print(f"simulator built in {build_ms:.1f} ms")
    print(f"redraw after a control change, {args.changes} changes (target < {TARGET_MS:.0f} ms):")
    print(f"median {statistics.median(times):.1f} ms")
    print(f"p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
