"""Make posts.csv: posts Alex Martin (the course's learner persona, who works at Norda
Logistics: see make_contacts.py) is thinking of publishing this month.

All invented. Each topic has a few candidate texts; the seeded draw picks some of them
and shuffles their order, so the file is the same on every run:
`python course/learner/data/make_posts.py`.

Columns
- post_id: 1, 2, ... in the order Alex drafted them.
- text: the post as Alex would write it.
- topic: family, friends_life, hobby, opinion (private life); industry_news,
  company_news, job_offer (work); confidential (work information that must not be
  posted anywhere).
- about: a few words on what the post is about, for messages and tables.
"""

from __future__ import annotations

import random
from pathlib import Path

from course.learner.data import write_csv

SEED = 20261123
OUT = Path(__file__).with_name("posts.csv")

# topic: (how many to draw, candidates as (about, text))
TOPICS: dict[str, tuple[int, list[tuple[str, str]]]] = {
    "family": (2, [
        ("a family birthday", "Grandma turned 90 today! Three generations around one cake."),
        ("a nephew's first steps", "My nephew Leo took his first steps this morning, the whole family cried."),
        ("a Sunday family lunch", "Sunday lunch at my parents': my dad still makes the best tart in the village."),
    ]),
    "friends_life": (2, [
        ("a night out with friends", "Karaoke night with the usual gang. Nobody should ever hear me sing again."),
        ("a friend's wedding", "Best man speech done, tears everywhere. Congratulations to Sam and Noa!"),
        ("a weekend with friends", "Lake weekend with friends: no phones, one canoe, too many crepes."),
    ]),
    "hobby": (2, [
        ("a running race", "Finished my first half marathon in 1h58! Legs gone, very happy."),
        ("a pottery class", "Week 6 of pottery class: my bowl is finally round(ish)."),
        ("a bread recipe", "Sourdough attempt number 12, recipe in the comments."),
    ]),
    "opinion": (1, [
        ("the new cycle lane in town", "The new cycle lane on the high street is the best thing the town has done in years."),
        ("a TV series finale", "That series finale was a disappointment. Eight seasons for this?"),
    ]),
    "industry_news": (2, [
        ("a report on freight prices", "Interesting report on road freight prices in Europe this quarter: worth a read for anyone in logistics."),
        ("a new rule for delivery vans", "New low-emission zone rules for delivery vans start next year: here is what changes for carriers."),
        ("a warehouse automation article", "Good article on warehouse automation: robots help, but planning still makes the difference."),
    ]),
    "company_news": (1, [
        ("Norda Logistics' new depot", "Proud that Norda Logistics opens its new depot in Lyon today, 40 jobs created in the area."),
        ("a Norda Logistics award", "Norda Logistics won this year's regional award for low-carbon delivery. Well done, team!"),
    ]),
    "job_offer": (1, [
        ("a job opening in Alex's team", "My team at Norda Logistics is hiring a transport planner in Lille. Get in touch!"),
        ("an internship offer", "Norda Logistics offers a 6-month internship in supply-chain data. Share with students you know!"),
    ]),
    "confidential": (2, [
        ("a price rise not yet announced", "Between us: our delivery prices go up 8% in March, clients will only hear about it next month."),
        ("an unsigned client contract", "Almost there: Bexley Foods should sign the big contract with us next week, still secret."),
        ("the quarter's numbers before they are published", "Our quarterly numbers are much better than the market expects. Results out in two weeks."),
    ]),
}


def make_rows(rng: random.Random) -> list[dict]:
    drafts = []
    for topic, (count, candidates) in TOPICS.items():
        for about, text in rng.sample(candidates, k=count):
            drafts.append({"text": text, "topic": topic, "about": about})
    rng.shuffle(drafts)
    return [{"post_id": i, **draft} for i, draft in enumerate(drafts, start=1)]


def main() -> None:
    rows = make_rows(random.Random(SEED))
    write_csv(OUT, rows, ["post_id", "text", "topic", "about"])
    print(f"wrote {len(rows)} posts to {OUT}")


if __name__ == "__main__":
    main()
