"""Make persona_posts.csv and persona_profile.csv: what Alex Martin, the course's learner
persona, posted on five networks, and Alex's professional profile (module 3).

Alex, the companies and every post are invented; nothing describes a real person. A few
inconsistencies are planted on purpose (the profile's job title, availability and one claim
are each contradicted by a post), as well as posts whose tone clashes with the profile.
Seeded, so the files are the same on every run: `python course/learner/data/make_persona.py`.

persona_posts.csv columns
- post_id: P01, P02... in date order.
- date: YYYY-MM-DD, between January 2025 and October 2026.
- network: LinkedIn, Facebook, Instagram, X, TikTok.
- audience: who can see it: public, connections (LinkedIn), friends, followers
  (approved followers of a private account), close_friends.
- tone: professional, friendly, humorous, angry, crude.
- is_work: True if the post is about work (the job, the employer, clients, the trade).
- likes: reactions received.
- text: the post.

persona_profile.csv columns
- field, value: what Alex's professional profile (LinkedIn-style) says.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from course.learner.data import write_csv

SEED = 20261124
HERE = Path(__file__).parent
POSTS_OUT = HERE / "persona_posts.csv"
PROFILE_OUT = HERE / "persona_profile.csv"

PROFILE = [
    ("name", "Alex Martin"),
    ("job_title", "Senior Supply Chain Analyst"),
    ("employer", "Norda Logistics"),
    ("experience", "8 years in freight and warehouse planning"),
    ("availability", "Not open to new roles: fully committed to Norda Logistics"),
    ("claim_languages", "Fluent in German (C1) and English"),
    ("claim_certification", "Certified supply-chain planner (2022)"),
    ("location", "Lyon, France"),
]

# network, audience, tone, is_work, text
POSTS = [
    # LinkedIn: almost all work, professional
    ("LinkedIn", "public", "professional", True, "Our new cross-dock in Lyon cut average delivery time by 11%. Proud of the planning team."),
    ("LinkedIn", "public", "professional", True, "Sharing a good read on demand forecasting after two volatile years. Worth ten minutes."),
    ("LinkedIn", "connections", "professional", True, "Great panel at the regional logistics fair today, thanks to everyone who stopped by our stand."),
    ("LinkedIn", "public", "friendly", True, "Eight years since my first pallet count. Thank you to the mentors who taught me to love spreadsheets."),
    ("LinkedIn", "public", "professional", True, "Norda Logistics is hiring two planners in Lyon: message me if you know someone good."),
    ("LinkedIn", "connections", "professional", True, "Presented our route-optimisation pilot to the board. Next step: rollout in Q3."),
    ("LinkedIn", "public", "humorous", False, "Marathon done. My legs are filing a complaint with HR."),
    ("LinkedIn", "public", "professional", True, "Vielen Dank an unsere Partner in Hamburg for a productive week of workshops."),
    # Facebook: friends, but a lot of work content
    ("Facebook", "friends", "friendly", False, "Sunday lunch at my parents', my nephew now beats me at chess."),
    ("Facebook", "friends", "professional", True, "Please like and share our company page! Norda Logistics just launched same-day delivery in Grenoble."),
    ("Facebook", "friends", "professional", True, "Long read: what our quarterly volume figures say about the freight market this autumn."),
    ("Facebook", "friends", "professional", True, "Reminder: our webinar on warehouse automation is on Thursday, link in comments."),
    ("Facebook", "friends", "friendly", True, "Leaked a peek at the new client dashboard we launch next month, don't tell anyone!"),
    ("Facebook", "friends", "professional", True, "New article on the Norda blog about peak-season planning, please read and comment."),
    ("Facebook", "public", "friendly", True, "Happy to share that I am now a junior planner in the Norda Logistics night team. New shifts, new colleagues!"),
    ("Facebook", "friends", "humorous", False, "Tried to assemble a wardrobe without the instructions. The wardrobe won."),
    # Instagram: a private account (approved followers); Close Friends for stories, posts and reels
    ("Instagram", "followers", "friendly", False, "Sunrise over the Alps from the hut, worth the 5 a.m. start."),
    # a TikTok video, listed here so that the seeded dates stay as they were
    ("TikTok", "public", "crude", False, "4 a.m., 6 shots down, who needs a liver anyway #wasted"),
    ("Instagram", "followers", "humorous", False, "Three months of German lessons and I still cannot order a coffee in Berlin."),
    ("Instagram", "close_friends", "friendly", False, "Moving day done, thank you to the best friends in the world."),
    ("Instagram", "followers", "friendly", True, "Team building at the warehouse: we won the forklift slalom."),
    ("Instagram", "followers", "friendly", False, "Homemade tarte tatin, third attempt, finally edible."),
    # X: public, mixed
    ("X", "public", "professional", True, "Thread: five things I learned running a warehouse during a heatwave."),
    ("X", "public", "angry", True, "Bexley Foods changed their order for the 4th time this week. Who hires these clowns?"),
    ("X", "public", "humorous", False, "My cat has discovered the keyboard. Apologies for any tweets in cat."),
    ("X", "public", "angry", True, "Updating my CV tonight. Anyone hiring? I am done with this place."),
    ("X", "public", "friendly", False, "Lyon in the rain is still the most beautiful city in France."),
    ("X", "public", "professional", True, "Good to see rail freight subsidies back on the agenda."),
    # TikTok: private life only
    ("TikTok", "public", "humorous", False, "POV: you try to fold a fitted sheet."),
    ("TikTok", "followers", "friendly", False, "My grandmother's ratatouille recipe, in 60 seconds."),
    ("TikTok", "public", "crude", False, "Rating the worst kebabs in Lyon at 3 a.m., uncensored edition."),
    ("TikTok", "followers", "humorous", False, "Dog vs vacuum cleaner, round 12."),
]

START = date(2025, 1, 1)
DAYS = (date(2026, 10, 31) - START).days


def make_posts(rng: random.Random) -> list[dict]:
    dated = []
    for network, audience, tone, is_work, text in POSTS:
        when = START + timedelta(days=rng.randint(0, DAYS))
        likes = rng.randint(5, 60) if audience not in ("public", "connections") else rng.randint(10, 400)
        dated.append((when, network, audience, tone, is_work, likes, text))
    dated.sort(key=lambda r: (r[0], r[1]))
    return [{"post_id": f"P{i:02d}", "date": d.isoformat(), "network": n, "audience": a, "tone": t,
             "is_work": w, "likes": lk, "text": tx}
            for i, (d, n, a, t, w, lk, tx) in enumerate(dated, start=1)]


def main() -> None:
    posts = make_posts(random.Random(SEED))
    write_csv(POSTS_OUT, posts)
    write_csv(PROFILE_OUT, [{"field": f, "value": v} for f, v in PROFILE])
    print(f"wrote {len(posts)} posts to {POSTS_OUT} and {len(PROFILE)} profile fields to {PROFILE_OUT}")


if __name__ == "__main__":
    main()
