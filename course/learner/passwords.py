"""Password helpers for module 4 (strong passwords): seeded generators, SHA-1 hashing,
the breached-password list, and a chart of entropy against length.

Nothing here decides whether a password is good enough: that is what the learner works
out in the notebook. Nothing here sends anything over the network either.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import string

import pandas as pd

from .charts import for_reading
from .data import load
from .language import N_, _

# The character sets a password can draw from, smallest first. "all printable" is the
# 94 characters a US keyboard types without the space bar. The names are the data's; the
# chart shows them in the learner's language.
ALPHABETS: dict[str, str] = {
    N_("digits"): string.digits,
    N_("lowercase"): string.ascii_lowercase,
    N_("letters"): string.ascii_letters,
    N_("letters and digits"): string.ascii_letters + string.digits,
    N_("all printable"): string.ascii_letters + string.digits + string.punctuation,
}

_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"


def _make_wordlist() -> list[str]:
    # 7,776 invented, pronounceable words: as many as a diceware list (6**5), so a word
    # drawn from it is worth the same as a roll of five dice.
    syllables = [c + v for c in _CONSONANTS for v in _VOWELS]
    words = ["".join(p) + end for p in itertools.product(syllables, repeat=2) for end in "lnrs"]
    return sorted(random.Random(7776).sample(words, 7776))


WORDLIST: list[str] = _make_wordlist()


def generate_password(length: int, alphabet: str, rng: random.Random) -> str:
    """A random password of `length` characters drawn from ALPHABETS[alphabet]."""
    chars = ALPHABETS[alphabet]
    return "".join(rng.choice(chars) for _ in range(length))


def generate_passphrase(words: int, rng: random.Random, separator: str = "-") -> str:
    """A random passphrase of `words` words from WORDLIST, joined by `separator`."""
    return separator.join(rng.choice(WORDLIST) for _ in range(words))


# (id, kind, how many symbols, alphabet): the sample the entropy exercise works on.
# Chosen so that length visibly beats variety: G2 mixes every character type but is
# short; G5 is lower case only but long. G4 is one of the CNIL's examples of about 80 bits
# (14 letters and digits); G3, two characters shorter, falls well below. No sample is
# near a threshold (the CNIL's "about 80" holds its own 12-character example, 78.7 to
# 79.6 bits), so the exercise's verdicts do not depend on how "about" is read.
_SAMPLE = [
    ("G1", "PIN", 6, "digits"),
    ("G2", "password", 8, "all printable"),
    ("G3", "password", 12, "letters and digits"),
    ("G4", "password", 14, "letters and digits"),
    ("G5", "password", 20, "lowercase"),
    ("G6", "passphrase", 4, "words"),
    ("G7", "passphrase", 7, "words"),
]


def sample_passwords(seed: int = 2026) -> pd.DataFrame:
    """A small table of freshly generated passwords and passphrases (seeded).

    Columns: id, kind, secret, length (characters, or words for a passphrase),
    alphabet, alphabet_size (how many symbols each position is drawn from)."""
    rng = random.Random(seed)
    rows = []
    for pid, kind, length, alphabet in _SAMPLE:
        if alphabet == "words":
            secret, size = generate_passphrase(length, rng), len(WORDLIST)
        else:
            secret, size = generate_password(length, alphabet, rng), len(ALPHABETS[alphabet])
        rows.append({"id": pid, "kind": kind, "secret": secret, "length": length,
                     "alphabet": alphabet, "alphabet_size": size})
    return pd.DataFrame(rows)


# Passwords Alex is thinking of using (module 4): some are on the bundled breach list,
# some are not; only the passphrase is long enough for a password used alone (NIST
# SP 800-63B-4 §3.1.1.2: 15 characters, 8 with multi-factor authentication).
CANDIDATES: tuple[str, ...] = ("Soleil2024", "P@ssw0rd", "Marseille13", "Camille1234",
                               "Norda2026!", "tulip-anchor-violin-gravel-orbit-nine")


def candidate_passwords() -> pd.DataFrame:
    """The candidates as a table: id (C1, C2, ...) and password, in CANDIDATES order."""
    return pd.DataFrame({"id": [f"C{i}" for i in range(1, len(CANDIDATES) + 1)],
                         "password": list(CANDIDATES)})


def sha1_hex(text: str) -> str:
    """The SHA-1 fingerprint of `text` (UTF-8), as 40 lower-case hexadecimal characters.
    The same text always gives the same fingerprint; the fingerprint does not give the text back
    (but a common password is easy to guess, which is why breach lists work)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def breached_hashes() -> set[str]:
    """The SHA-1 fingerprints of the bundled list of common, breached passwords."""
    return set(load("breached_sha1")["sha1"])


# CNIL délibération n° 2022-100: the bits a password needs, by login system: the password
# alone protects the account (about 80), failed tries are limited (50), the code unlocks
# extra hardware that blocks after a few wrong tries (13).
CNIL_THRESHOLDS = {N_("password alone"): 80, N_("limited tries"): 50, N_("extra hardware"): 13}


@for_reading
def plot_entropy_by_length(max_length: int = 20):
    """A chart of a random password's entropy (bits) as its length grows, one line per
    alphabet, with the CNIL thresholds drawn across. Returns the matplotlib Figure."""
    import matplotlib.pyplot as plt

    lengths = list(range(1, max_length + 1))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name, chars in ALPHABETS.items():
        ax.plot(lengths, [n * math.log2(len(chars)) for n in lengths], marker=".",
                label=_("{alphabet} ({count} symbols)").format(alphabet=_(name), count=len(chars)))
    for label, bits in CNIL_THRESHOLDS.items():
        ax.axhline(bits, color="grey", linestyle="--", linewidth=1)
        ax.annotate(_("CNIL: {threshold} ({bits} bits)").format(threshold=_(label), bits=bits), (max_length, bits),
                    xytext=(-4, 3), textcoords="offset points", fontsize=8, color="dimgrey", ha="right")
    ax.set_xlabel(_("length (characters)"))
    ax.set_ylabel(_("entropy (bits)"))
    ax.set_title(_("A random password gets stronger with every character"))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, 0.93))
    ax.set_xlim(1, max_length)
    ax.set_xticks(range(2, max_length + 1, 2))
    ax.set_ylim(0, None)
    plt.close(fig)  # the notebook shows it; no second copy from pyplot's state
    return fig
