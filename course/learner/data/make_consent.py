"""Make the photo-consent records of module 7 (all people invented).

team_photos.csv: who appears in each photo Alex would like to post.
- photo_id, caption, person, role (colleague, client, or Alex themself)
consents.csv: the written consents Alex collected, one per person and photo
(consent is given for a given photo: agreeing to one is not agreeing to all).
- photo_id, person, given_on

Written out by hand rather than drawn at random, so that each teaching case is there:
a person who agreed for one photo but not for another, a client with no consent at all,
a photo where everyone agreed. `python course/learner/data/make_consent.py`.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent

APPEARANCES = [
    # photo_id, caption, person, role
    ("F1", "Team lunch after the Lille hub opening", "Alex M.", "self"),
    ("F1", "Team lunch after the Lille hub opening", "Lea B.", "colleague"),
    ("F1", "Team lunch after the Lille hub opening", "Hugo T.", "colleague"),
    ("F2", "Signing day with Bexley Foods", "Alex M.", "self"),
    ("F2", "Signing day with Bexley Foods", "Rania O.", "client"),
    ("F3", "Dana's farewell drinks", "Dana K.", "colleague"),
    ("F3", "Dana's farewell drinks", "Lea B.", "colleague"),
    ("F3", "Dana's farewell drinks", "Ines R.", "colleague"),
    ("F4", "Our stand at the SITL fair", "Hugo T.", "colleague"),
    ("F4", "Our stand at the SITL fair", "Marc V.", "client"),
    ("F5", "Warehouse team, night shift", "Ines R.", "colleague"),
    ("F5", "Warehouse team, night shift", "Yann D.", "colleague"),
    ("F6", "Alex at the new desk", "Alex M.", "self"),
]

CONSENTS = [
    # photo_id, person, given_on
    ("F1", "Lea B.", "2026-09-10"),
    ("F1", "Hugo T.", "2026-09-10"),
    ("F3", "Dana K.", "2026-09-25"),
    ("F3", "Ines R.", "2026-09-26"),
    ("F4", "Hugo T.", "2026-10-02"),
    ("F4", "Marc V.", "2026-10-03"),
    ("F5", "Yann D.", "2026-10-05"),
]


def write(name: str, header: list[str], rows: list[tuple]) -> None:
    with (HERE / name).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {HERE / name}")


def main() -> None:
    write("team_photos.csv", ["photo_id", "caption", "person", "role"], APPEARANCES)
    write("consents.csv", ["photo_id", "person", "given_on"], CONSENTS)


if __name__ == "__main__":
    main()
