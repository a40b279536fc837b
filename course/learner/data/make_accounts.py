"""Make accounts.csv: the online accounts of Alex Martin, the course's learner persona,
as a security audit would list them (module 5, secure accounts).

Service names are generic or invented; nothing describes a real person or a real account.
Seeded, so the file is the same on every run: `python course/learner/data/make_accounts.py`.

Columns
- service: the site or app (a short name, as learners type it in answers).
- what: what kind of service it is.
- main_email: the address the account is registered with: personal or work.
- recovery_emails: where a reset link can go: personal, work, or personal + work.
- password_id: a label for the password used (never the password itself); two accounts
  with the same label share a password.
- mfa: the second factor turned on: none, sms, app (authenticator app), passkey.
- oldest_session_days: days since the oldest still-open session (a browser or a phone
  still logged in) was last used.
- connected_apps: how many third-party apps can read or post through the account.
"""

from __future__ import annotations

import random
from pathlib import Path

from course.learner.data import write_csv

SEED = 20261123
OUT = Path(__file__).with_name("accounts.csv")

# service, what, main_email, recovery_emails, password_id, mfa, stale session?
ACCOUNTS = [
    ("LinkedIn",          "professional network", "work",     "work",            "PW-1", "sms",     False),
    ("Facebook",          "social network",       "personal", "personal",        "PW-2", "none",    True),
    ("Instagram",         "social network",       "personal", "personal",        "PW-2", "app",     False),
    ("X",                 "social network",       "personal", "personal + work", "PW-3", "none",    True),
    ("TikTok",            "social network",       "personal", "personal",        "PW-4", "app",     False),
    ("Personal webmail",  "email",                "personal", "personal",        "PW-5", "passkey", False),
    ("Online bank",       "bank",                 "personal", "personal",        "PW-6", "app",     False),
    ("Shopora",           "online shop",          "personal", "work",            "PW-2", "none",    True),
    ("Nuvo",              "photo cloud",          "personal", "personal",        "PW-7", "passkey", False),
    ("Logistics forum",   "professional forum",   "work",     "work",            "PW-1", "sms",     True),
    ("Runfly",            "running app",          "personal", "personal + work", "PW-8", "none",    False),
]


def make_rows(rng: random.Random) -> list[dict]:
    rows = []
    for service, what, main, recovery, pw, mfa, stale in ACCOUNTS:
        rows.append({"service": service, "what": what, "main_email": main, "recovery_emails": recovery,
                     "password_id": pw, "mfa": mfa,
                     # stale: unused for more than 90 days, the rule the notebook uses
                     "oldest_session_days": rng.randint(95, 420) if stale else rng.randint(0, 60),
                     "connected_apps": rng.randint(0, 6)})
    return rows


def main() -> None:
    rows = make_rows(random.Random(SEED))
    write_csv(OUT, rows)
    print(f"wrote {len(rows)} accounts to {OUT}")


if __name__ == "__main__":
    main()
