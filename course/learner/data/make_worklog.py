"""Make worklog.csv: six weeks of work messages sent by Alex Martin's team (invented).

Module 7 measures how many were sent outside working hours (before 8:00, from 19:00, or
at the weekend) and how that share moves week by week: a project deadline in weeks 4
and 5 pushes it up. Seeded: `python course/learner/data/make_worklog.py`.

Columns
- message_id
- sent_at: local time, "YYYY-MM-DD HH:MM"
- sender: an invented first name and initial
- channel: email or chat
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from course.learner.data import write_csv

SEED = 20261107
OUT = Path(__file__).with_name("worklog.csv")
FIRST_MONDAY = datetime(2026, 9, 7)
WEEKS = 6
SENDERS = ["Alex M.", "Dana K.", "Lea B.", "Hugo T.", "Ines R."]
# Per week: (messages, probability that a message goes out after hours or at the weekend).
WEEK_PLAN = [(70, 0.08), (75, 0.10), (80, 0.14), (90, 0.30), (95, 0.38), (70, 0.12)]


def sent_time(rng: random.Random, monday: datetime, outside: bool) -> datetime:
    if outside:
        if rng.random() < 0.35:  # a weekend message
            day = monday + timedelta(days=rng.choice([5, 6]))
            return day + timedelta(hours=rng.randint(9, 22), minutes=rng.randrange(60))
        day = monday + timedelta(days=rng.randrange(5))
        hour = rng.choice([6, 7, 19, 20, 21, 22, 23])
        return day + timedelta(hours=hour, minutes=rng.randrange(60))
    day = monday + timedelta(days=rng.randrange(5))
    return day + timedelta(hours=rng.randint(8, 18), minutes=rng.randrange(60))


def make_rows(rng: random.Random) -> list[dict]:
    times = []
    for week, (count, outside_share) in enumerate(WEEK_PLAN[:WEEKS]):
        monday = FIRST_MONDAY + timedelta(weeks=week)
        times += [sent_time(rng, monday, rng.random() < outside_share) for _ in range(count)]
    times.sort()
    return [{"message_id": f"M{i + 1:04d}", "sent_at": t.strftime("%Y-%m-%d %H:%M"),
             "sender": rng.choice(SENDERS), "channel": rng.choice(["email", "chat", "chat"])}
            for i, t in enumerate(times)]


def main() -> None:
    rows = make_rows(random.Random(SEED))
    write_csv(OUT, rows)
    print(f"wrote {len(rows)} messages to {OUT}")


if __name__ == "__main__":
    main()
