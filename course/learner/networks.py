"""A catalogue of social networks as they are today: what each is used for, who sees a
post by default, which audience controls it offers, and whether it still exists.

Plain data, for the notebooks to show and for their narrative to quote. Facts and their
sources follow ../shared/brief/content-facts.md (platform help centres, Google's Google+
announcement, press on Viadeo). Two networks the older advice still names are kept on
purpose, with their status, so that learners can see why the advice changed.

A network used for private life is not a private audience: X and TikTok (and Instagram for
adults) are public until the account holder changes the setting (`public_by_default`).
`approved_only` names the settings that keep posts among people the account holder has
approved (followers they accept, friends); module 1's hidden tests recompute answers from
it, and `spellings` lists how a learner may write one of them (with or without "...", or
as the value its French label stands for).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .check import typed_word
from .language import N_, _
from .words_fr import ENGLISH_VALUES

ACTIVE = N_("active")


@dataclass(frozen=True)
class Network:
    name: str                      # as the network spells itself
    column: str | None             # its column in contacts.csv (None: not in the data)
    main_use: str                  # what people mostly use it for today
    default_visibility: str        # who sees a new account's posts before any change
    audience_controls: tuple[str, ...]  # the settings that choose who sees a post
    status: str                    # ACTIVE, or what happened to it
    source: str                    # where the facts above come from
    public_by_default: bool = False  # a new adult account's posts (or profile) are public
    approved_only: tuple[str, ...] = ()  # the controls that keep posts among approved people


CATALOGUE: tuple[Network, ...] = (
    Network(
        name="LinkedIn", column="linkedin", main_use=N_("work"),
        default_visibility=N_("public profile: anyone, including search engines, can see it"),
        audience_controls=("Public profile visibility", "Who can see your connections",
                           "Post audience: Anyone or Connections only", "Private browsing mode"),
        status=ACTIVE, source=N_("LinkedIn Help Centre"), public_by_default=True),
    Network(
        name="Facebook", column="facebook", main_use=N_("private life"),
        default_visibility=N_("set per post; check the audience button before posting"),
        audience_controls=("Public", "Friends", "Friends except...", "Specific friends", "Only me",
                           "Custom", "Lists: Close Friends, Acquaintances, Restricted", "Tag review"),
        status=ACTIVE, source=N_("Facebook Help Centre"),
        # A Restricted friend sees only Public posts and the posts they are tagged in.
        approved_only=("Friends", "Friends except...", "Specific friends")),
    Network(
        name="Instagram", column="instagram", main_use=N_("private life"),
        default_visibility=N_("public account for adults, unless switched to private"),
        audience_controls=("Public account", "Private account", "Close Friends (stories, posts, reels)"),
        status=ACTIVE, source=N_("Instagram Help Centre"), public_by_default=True, approved_only=("Private account",)),
    Network(
        name="WhatsApp", column="whatsapp", main_use=N_("private life"),
        default_visibility=N_("messages reach only the chat or group they are sent to"),
        audience_controls=("Choose the chat or group", "Status audience: My contacts",
                           "Status audience: My contacts except...", "Status audience: Only share with..."),
        status=ACTIVE, source=N_("WhatsApp Help Centre")),
    Network(
        name="TikTok", column="tiktok", main_use=N_("private life"),
        default_visibility=N_("public account for adults (private by default under 16)"),
        audience_controls=("Public account", "Private account", "Audience per video"),
        status=ACTIVE, source=N_("TikTok Help Centre"), public_by_default=True, approved_only=("Private account",)),
    Network(
        name="X", column="x", main_use=N_("private life"),
        default_visibility=N_("public: anyone can read, search and repost"),
        audience_controls=("Public (default)", "Protect your posts"),
        status=ACTIVE, source=N_("X Help Centre"), public_by_default=True, approved_only=("Protect your posts",)),
    Network(
        name="Google+", column=None, main_use=N_("none (closed)"),
        default_visibility="-",
        audience_controls=(),
        status=N_("closed to consumers on 2 April 2019, after API bugs exposed profile data"),
        source=N_("Google's announcement of the Google+ shutdown")),
    Network(
        name="Viadeo", column=None, main_use=N_("marginal"),
        default_visibility="-",
        audience_controls=(),
        status=N_("went into receivership in 2016; marginal since"),
        source=N_("press reports on Viadeo")),
)


def names() -> list[str]:
    """Every network of the catalogue, closed ones included, in catalogue order."""
    return [n.name for n in CATALOGUE]


def get(name: str) -> Network:
    """The network called `name`, whatever its capitals and surrounding spaces."""
    wanted = typed_word(str(name))
    for network in CATALOGUE:
        if typed_word(network.name) == wanted or (network.column or "") == wanted:
            return network
    raise KeyError(_("No network called {name}; the catalogue has {networks}.").format(
        name=repr(name), networks=", ".join(names())))


def contact_columns() -> list[str]:
    """The columns of contacts.csv that say whether a contact is connected on a network."""
    return [n.column for n in CATALOGUE if n.column]


def display_name(column: str) -> str:
    """The network's own spelling for a contacts.csv column ("linkedin" -> "LinkedIn")."""
    for network in CATALOGUE:
        if network.column == column:
            return network.name
    raise KeyError(_("No network uses the column {column}; the columns are {columns}.").format(
        column=repr(column), columns=", ".join(contact_columns())))


def public_by_default() -> list[str]:
    """The active networks whose new (adult) accounts are public until changed."""
    return [n.name for n in CATALOGUE if n.status == ACTIVE and n.public_by_default]


def spellings(control: str) -> list[str]:
    """The ways a learner may write a control's name: as listed, and, for a name that ends
    with "...", without the dots or with the one-character ellipsis ("Friends except"); and
    as the value its French label stands for (words_fr.py: « Amis sauf… » is friends_except),
    so that a learner of the French edition may type the label the app shows."""
    forms = [control]
    stem = control
    if control.endswith("..."):
        stem = control[:-3]
        forms += [stem.rstrip(), stem + "\u2026"]
    value = "_".join(stem.casefold().split())
    if value in ENGLISH_VALUES and value != stem.strip().casefold():  # one word: "Friends" already is
        forms.append(value)
    return forms


def as_table() -> pd.DataFrame:
    """The catalogue as a table, one row per network, for a notebook to show. Its descriptions
    are in the learner's language; the column names (code reads them) and the controls' names
    (answers are written with them) stay as they are."""
    def shown(text: str) -> str:
        return _(text) if text != "-" else text

    rows = [{"network": n.name, "main use today": shown(n.main_use), "by default": shown(n.default_visibility),
             "audience controls": "; ".join(n.audience_controls) or "-", "status": shown(n.status),
             "source": shown(n.source)} for n in CATALOGUE]
    return pd.DataFrame(rows).set_index("network")
