"""Make accounts.csv: the online accounts of Alex Martin, the course's learner persona,
as a security audit would list them (module 4).

Service names are generic or invented; nothing describes a real person or a real account.
Seeded, so the file is the same on every run: `python course/learner/data/make_accounts.py`.

Columns
- service: the site or app.
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

# service, main_email, recovery_emails, password_id, mfa, stale session?
ACCOUNTS = [
    ("LinkedIn",               "work",     "work",             "PW-1", "sms",     False),
    ("Facebook",               "personal", "personal",         "PW-2", "none",    True),
    ("Instagram",              "personal", "personal",         "PW-2", "app",     False),
    ("X",                      "personal", "personal + work",  "PW-3", "none",    True),
    ("TikTok",                 "personal", "personal",         "PW-4", "app",     False),
    ("Personal webmail",       "personal", "personal",         "PW-5", "passkey", False),
    ("Online bank",            "personal", "personal",         "PW-6", "app",     False),
    ("Shopora (online shop)",  "personal", "work",             "PW-2", "none",    True),
    ("Nuvo (photo cloud)",     "personal", "personal",         "PW-7", "passkey", False),
    ("Logistics forum",        "work",     "work",             "PW-1", "sms",     True),
    ("Runfly (running app)",   "personal", "personal + work",  "PW-8", "none",    False),
]


def make_rows(rng: random.Random) -> list[dict]:
    rows = []
    for service, main, recovery, pw, mfa, stale in ACCOUNTS:
        rows.append({"service": service, "main_email": main, "recovery_emails": recovery,
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
