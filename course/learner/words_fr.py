"""The French words a learner may type where the course expects one of its English values.

The exercises compare typed words with English values ("friends", "only_me", "not used"...).
A learner of the French edition may type the French word the app or the module shows
("amis", "moi uniquement", "non utilisé"): `english()` gives the English value it stands for,
so the visible check and the hidden test accept it as they accept the English. The table is
closed, written from the exercises (answer cells, wrong_answers/*.toml, the visibility model's
settings, the charter's choices): a French word counts only where its English value is an
answer. Lookup ignores case, accents, runs of spaces, "_" or "-" for a space, and a trailing
"..." (the apps write "Amis sauf...").

Both editions use the same rule, so a module grades identically in English and French.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# French -> English value(s), the English written as the course writes it. Several English
# values: the word means each of them, depending on the network (the settings reader picks
# the one that network has; elsewhere the first counts).
WORDS: dict[str, str | tuple[str, ...]] = {
    # Who sees a post: audiences, as the apps name them in French (Facebook, Instagram,
    # LinkedIn, TikTok, WhatsApp).
    "amis": "friends",
    "amis sauf": "friends_except",
    "amis sauf certains": "friends_except",
    "amis, sauf": "friends_except",  # Facebook's menu as netcost-security.fr lists it
    "amis spécifiques": "specific_friends",
    "amis précis": "specific_friends",
    "moi uniquement": ("only_me", "only_you"),
    "seulement moi": ("only_you", "only_me"),
    "personnalisé": "custom",
    "groupe": "group",
    "abonnés": "followers",
    "amis proches": "close_friends",
    "tout le monde": ("anyone", "everyone"),
    "relations": "connections",
    "mes contacts": "my_contacts",
    "mes contacts sauf": "my_contacts_except",
    "partager uniquement avec": "only_share_with",
    "compte privé": "private account",
    "protéger vos posts": "protect your posts",
    "protéger vos tweets": "protect your posts",
    "protéger mes tweets": "protect your posts",  # X's French help
    "protégez vos publications": "protect your posts",
    "privé": "private",
    "masqué": "hidden",
    "publication": "post",
    # Who is who among Alex's contacts (the groups, one or several).
    "famille": "family",
    "ami proche": "close_friend",
    "ami": "friend",
    "amie": "friend",
    "amies": "friends",
    "connaissance": "acquaintance",
    "connaissances": "acquaintances",
    "collègue": "colleague",
    "collègues": "colleagues",
    "responsable": "manager",
    "recruteur": "recruiter",
    "recruteurs": "recruiters",
    "concurrent": "competitor",
    "concurrents": "competitors",
    "accès restreint": "restricted",
    "restreint": "restricted",
    # Where a post goes, what to do with it, how to log in.
    "nulle part": "nowhere",
    "offre d'emploi": "job offer",
    "photo de famille": "family photo",
    "garder": "keep",
    "conserver": "keep",
    "déplacer": "move",
    "restreindre": "restrict",
    "supprimer": "delete",
    "aucun": "none",
    "aucune": "none",
    "clé d'accès": "passkey",
    "application": "app",
    "appli": "app",
    "texto": "sms",
    # The charter: what each network is for.
    "travail": "work",
    "vie privée": "private",
    "non utilisé": "not used",
    "pas utilisé": "not used",
    "semaine": "week",
}


def _plain(text: str) -> str:
    """Lower case, no accents, one space between words, "_" and "-" as spaces."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("_", " ").replace("-", " ").split())


def _build() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for french, english in WORDS.items():
        values = (english,) if isinstance(english, str) else english
        if _plain(french) in {_plain(v) for v in values}:
            raise ValueError(f"words_fr: {french!r} is its own English value; leave it out")
        table[_plain(french)] = values
    return table


_TABLE = _build()
# Every English value a French word of the table stands for.
ENGLISH_VALUES = frozenset(value for values in _TABLE.values() for value in values)


@lru_cache(maxsize=4096)  # checks look up every word of a table: the same few words, many times
def english_values(text: str) -> tuple[str, ...]:
    """The English values the French `text` stands for; () when it is not in the table."""
    key = _plain(text)
    found = _TABLE.get(key)
    if found is None and key.endswith((".", "…")):
        found = _TABLE.get(key.rstrip(".… "))
    return found or ()


def english(text: str, among=()) -> str:
    """The English value of the French word `text` (the one in `among` if it has several
    and `among` is given), or `text` itself when it is not a French word of the table."""
    values = english_values(text)
    if not values:
        return text
    return next((v for v in values if v in among), values[0])
