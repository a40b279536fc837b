"""Make contacts.csv: the synthetic contact network of Alex Martin, the course's learner persona.

Every name is invented from the short lists below; nothing describes a real person.
Seeded, so the file is the same on every run: `python course/learner/data/make_contacts.py`.

Columns
- contact_id, name: invented.
- group: how Alex knows them: family, close_friend, friend, acquaintance, colleague,
  manager, client, recruiter, competitor.
- employer: fictitious companies (Alex works at Norda Logistics).
- facebook, instagram, linkedin, x, tiktok, whatsapp: 1 if connected with Alex there
  (Facebook friend, Instagram/X/TikTok follower, LinkedIn connection, WhatsApp contact).
- facebook_list: the Facebook friend list Alex put them in (close_friends,
  acquaintances, restricted) or empty.
- friend_count: how many friends they have themselves (what a tag can reach).
"""

from __future__ import annotations

import random
from pathlib import Path

from course.learner.data import write_csv

SEED = 20261122
OUT = Path(__file__).with_name("contacts.csv")

FIRST = ["Lea", "Hugo", "Chloe", "Louis", "Manon", "Jules", "Ines", "Nathan", "Sarah", "Tom",
         "Camille", "Lucas", "Emma", "Noah", "Jade", "Adam", "Louise", "Gabriel", "Alice", "Arthur",
         "Zoe", "Raphael", "Lina", "Paul", "Mila", "Victor", "Anna", "Sacha", "Rose", "Eliott",
         "Nora", "Malo", "Iris", "Yanis", "Ambre", "Theo", "Julia", "Samuel", "Clara", "Nael"]
LAST_INITIALS = "ABCDEFGHJKLMNPRSTVW"

NETWORKS = ["facebook", "instagram", "linkedin", "x", "tiktok", "whatsapp"]

# group: (how many, employer choices, probability of a connection per network)
GROUPS = {
    "family":       (8,  ["-"],                                {"facebook": .9, "instagram": .6, "linkedin": .2, "x": .1, "tiktok": .3, "whatsapp": 1}),
    "close_friend": (6,  ["-"],                                {"facebook": .9, "instagram": .9, "linkedin": .4, "x": .2, "tiktok": .5, "whatsapp": 1}),
    "friend":       (12, ["-"],                                {"facebook": .8, "instagram": .7, "linkedin": .3, "x": .2, "tiktok": .3, "whatsapp": .5}),
    "acquaintance": (8,  ["-"],                                {"facebook": .7, "instagram": .4, "linkedin": .3, "x": .2, "tiktok": .2, "whatsapp": .1}),
    "colleague":    (10, ["Norda Logistics"],                  {"facebook": .4, "instagram": .3, "linkedin": .9, "x": .2, "tiktok": .1, "whatsapp": .4}),
    "manager":      (1,  ["Norda Logistics"],                  {"facebook": 1,  "instagram": 0,  "linkedin": 1,  "x": 0,  "tiktok": 0,  "whatsapp": 1}),
    "client":       (6,  ["Bexley Foods", "Orvane Retail"],    {"facebook": .2, "instagram": .1, "linkedin": .9, "x": .3, "tiktok": 0,  "whatsapp": .2}),
    "recruiter":    (3,  ["Talentia Search"],                  {"facebook": 0,  "instagram": 0,  "linkedin": 1,  "x": .3, "tiktok": 0,  "whatsapp": 0}),
    "competitor":   (4,  ["Vantor Freight", "Kestrel Cargo"],  {"facebook": .5, "instagram": .3, "linkedin": .8, "x": .4, "tiktok": 0,  "whatsapp": 0}),
}

FACEBOOK_LIST = {"close_friend": "close_friends", "acquaintance": "acquaintances", "family": ""}


def make_rows(rng: random.Random) -> list[dict]:
    names = rng.sample([f"{f} {i}." for f in FIRST for i in LAST_INITIALS], k=sum(g[0] for g in GROUPS.values()))
    rows = []
    for group, (count, employers, prob) in GROUPS.items():
        for _ in range(count):
            row = {"contact_id": f"C{len(rows) + 1:03d}", "name": names[len(rows)], "group": group,
                   "employer": rng.choice(employers)}
            for net in NETWORKS:
                row[net] = int(rng.random() < prob[net])
            row["facebook_list"] = FACEBOOK_LIST.get(group, "") if row["facebook"] else ""
            row["friend_count"] = rng.randint(40, 600)
            rows.append(row)
    # Teaching cases that must exist whatever the draw: the manager and one competitor
    # are Facebook friends, and the manager is on the Restricted list.
    manager = next(r for r in rows if r["group"] == "manager")
    manager["facebook"], manager["facebook_list"] = 1, "restricted"
    rival = next(r for r in rows if r["group"] == "competitor")
    rival["facebook"] = 1
    return rows


def main() -> None:
    rows = make_rows(random.Random(SEED))
    write_csv(OUT, rows)
    print(f"wrote {len(rows)} contacts to {OUT}")


if __name__ == "__main__":
    main()
