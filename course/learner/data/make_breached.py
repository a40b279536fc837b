"""Make breached_sha1.csv: SHA-1 fingerprints of very common passwords, the kind every
breach list holds ("123456", "password", "azerty", "soleil"...).

Only fingerprints are stored, as a real breach-checking service would compare them;
the words below are generic, none belongs to a real person.
Deterministic: `python course/learner/data/make_breached.py`.

Columns
- sha1: the SHA-1 fingerprint (40 lower-case hexadecimal characters) of a common password.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

OUT = Path(__file__).with_name("breached_sha1.csv")

COMMON_WORDS = ["password", "azerty", "qwerty", "soleil", "bonjour", "doudou", "chouchou",
                "loulou", "marseille", "paris", "football", "princesse", "nicolas", "camille",
                "iloveyou", "dragon", "monkey", "sunshine", "welcome", "admin", "motdepasse",
                "linkedin", "facebook", "instagram", "jetaime", "coucou", "chocolat", "master",
                "superman", "batman", "starwars", "letmein", "abc", "toto", "test"]
COMMON_NUMBERS = ["123456", "123456789", "12345678", "12345", "1234567", "111111", "000000",
                  "123123", "654321", "121212", "1234567890", "0000", "1234", "987654321"]
# The endings people add to satisfy "add a digit" rules: breach lists are full of them.
SUFFIXES = ["", "1", "12", "123", "1234", "!", "2023", "2024", "2025", "2026"]


def common_passwords() -> list[str]:
    """The plain-text list, in a stable order, without duplicates."""
    out = list(COMMON_NUMBERS)
    for word in COMMON_WORDS:
        for base in (word, word.capitalize()):
            out += [base + s for s in SUFFIXES]
    out += ["azerty123", "qwerty123", "Azerty123!", "P@ssw0rd", "Passw0rd!", "Motdepasse1!"]
    return list(dict.fromkeys(out))


def main() -> None:
    rows = [hashlib.sha1(p.encode("utf-8")).hexdigest() for p in common_passwords()]
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["sha1"])
        writer.writerows([h] for h in sorted(rows))
    print(f"wrote {len(rows)} fingerprints to {OUT}")


if __name__ == "__main__":
    main()
