"""The model's vocabulary: networks, audiences and groups; contacts; settings and results."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from ..data import load
from ..language import N_, _
from ..plain_errors import PlainMessage
from ..words_fr import english


GROUPS = ("family", "close_friend", "friend", "acquaintance", "colleague", "manager",
          "client", "recruiter", "competitor")
FACEBOOK_LISTS = ("close_friends", "acquaintances", "restricted")
# How groups and lists are shown (in the learner's language, `group_words`); settings keep the names above.
GROUP_WORDS = {"family": N_("family"), "close_friend": N_("close friend"), "friend": N_("friend"),
               "acquaintance": N_("acquaintance"), "colleague": N_("colleague"), "manager": N_("manager"),
               "client": N_("client"), "recruiter": N_("recruiter"), "competitor": N_("competitor")}
LIST_WORDS = {"close_friends": N_("Close Friends"), "acquaintances": N_("Acquaintances"),
              "restricted": N_("Restricted")}
# TikTok "friends" are mutual followers; contacts.csv only says who follows Alex, so the
# people Alex knows personally stand for the ones Alex follows back.
PERSONAL_GROUPS = ("family", "close_friend", "friend")
OWN_EMPLOYER = "Norda Logistics"
# contacts.csv writes "-" where Alex does not know an employer (family, friends): unknown, not
# "none". Any of them may work anywhere, or know someone who does, and pass a screenshot on.
NO_EMPLOYER = "-"
ANYWHERE = N_("anywhere (employers unknown)")

# Shown in the learner's language (`_(label)`); the keys are the groups.
RISK_LABELS = {"manager": N_("Your manager"), "client": N_("Clients"), "competitor": N_("Competitors"),
               "recruiter": N_("Recruiters")}
# Keys of a result's `outside` (the same in every language), shown translated (`_(key)`).
PUBLIC = N_("the public")
SEARCH_ENGINES = N_("search engines")
LINKEDIN_MEMBERS = N_("all LinkedIn members")
TAGGED_FRIENDS = N_("friends of tagged people")
TAGGED_FRIENDS_PENDING = N_("friends of people tagged by others, once you approve the tag")
FINDS_GROUP = N_("people who can find the group")
OUTSIDE_AUDIENCES = (PUBLIC, SEARCH_ENGINES, LINKEDIN_MEMBERS, TAGGED_FRIENDS,
                     TAGGED_FRIENDS_PENDING, FINDS_GROUP)

# Per network: the keys a settings dict may use, the audiences, and the default audience
# (None: the platform makes you choose, so the learner must too).
COMMON_KEYS = ("network", "audience", "tags", "location", "photo")
NETWORK_KEYS = {
    "facebook": ("except", "specific", "members", "tagged_person_adds", "tag_review", "tags_by_others",
                 "group_privacy", "group_visibility"),
    "instagram": ("account", "format", "close_friends"),
    "x": ("protected",),
    "linkedin": ("public_profile", "show_connections"),
    "tiktok": ("account",),
    "whatsapp": ("except", "specific"),
}
AUDIENCES = {
    "facebook": ("public", "friends", "friends_except", "specific_friends", "only_me", "custom", "group"),
    "instagram": ("followers", "close_friends"),
    "x": (),
    "linkedin": ("anyone", "connections"),
    "tiktok": ("everyone", "followers", "friends", "only_you"),
    "whatsapp": ("my_contacts", "my_contacts_except", "only_share_with"),
}
NETWORK_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "x": "X",
                 "linkedin": "LinkedIn", "tiktok": "TikTok",
                 "whatsapp": "WhatsApp"}
BOOL_KEYS = ("tag_review", "protected", "public_profile", "show_connections", "location", "photo")
LIST_KEYS = ("tags", "tags_by_others", "except", "specific", "members", "close_friends")
CHOICES = {"account": ("public", "private"), "format": ("post", "reel", "story"),
           "tagged_person_adds": ("friends", "only_me"),
           "group_privacy": ("public", "private"), "group_visibility": ("visible", "hidden")}
FORMAT_WORDS = {"post": N_("feed post"), "reel": N_("reel"), "story": N_("story")}


def group_words(group: str) -> str:
    """A contact group as the learner reads it ("close_friend": "close friend")."""
    return _(GROUP_WORDS[group]) if group in GROUP_WORDS else group.replace("_", " ")


class SettingsError(PlainMessage, ValueError):
    """Settings the model cannot read. The message is for a learner who does not program:
    what is wrong, in plain words, and what to write instead."""


@dataclass(frozen=True)
class Contact:
    contact_id: str
    name: str
    group: str
    employer: str
    networks: frozenset[str]
    facebook_list: str
    friend_count: int


@dataclass(frozen=True)
class ContactBook:
    """The contact network, indexed for fast look-ups (the simulator redraws often)."""
    contacts: tuple[Contact, ...]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "ContactBook":
        nets = list(NETWORK_KEYS)
        rows = []
        for rec in frame.to_dict("records"):
            rows.append(Contact(str(rec["contact_id"]), str(rec["name"]), str(rec["group"]),
                                str(rec["employer"]),
                                frozenset(n for n in nets if int(rec[n]) == 1),
                                str(rec["facebook_list"]), int(rec["friend_count"])))
        return cls(tuple(rows))

    def on(self, network: str) -> list[Contact]:
        return [c for c in self.contacts if network in c.networks]

    def by_name(self, name: str) -> Contact | None:
        key = name.strip().lower()
        return next((c for c in self.contacts if c.name.lower() == key or c.contact_id.lower() == key), None)


@lru_cache(maxsize=1)
def alex_contacts() -> ContactBook:
    """Alex Martin's contacts (contacts.csv), read once."""
    return ContactBook.from_frame(load("contacts"))


@dataclass(frozen=True)
class Settings:
    """A post and the account settings it is published with, checked and normalised."""
    network: str
    audience: str
    tags: tuple[str, ...] = ()
    location: bool = False
    photo: bool = False
    except_: tuple[str, ...] = ()
    specific: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    tagged_person_adds: str = "friends"
    tag_review: bool = False
    tags_by_others: tuple[str, ...] = ()
    group_privacy: str = "private"
    group_visibility: str = "visible"
    account: str = "public"
    format: str = "post"
    close_friends: tuple[str, ...] | None = None
    protected: bool = False
    public_profile: bool = True
    show_connections: bool = True


@dataclass(frozen=True)
class Visibility:
    """Who can see one post."""
    settings: Settings
    viewers: tuple[Contact, ...]                 # contacts who can see it
    per_group: dict[str, int]                    # group -> contacts who can see it
    connected: dict[str, int]                    # group -> contacts on that network
    outside: dict[str, int | bool]               # audiences that are not contacts
    reposts: bool                                # can it be shared on with one click
    notes: tuple[str, ...] = field(default=())   # what the settings do that is easy to miss
    contacts: ContactBook = field(default_factory=alex_contacts, repr=False, compare=False)

    @property
    def public(self) -> bool:
        return bool(self.outside.get(PUBLIC))

    @property
    def search_engines(self) -> bool:
        return bool(self.outside.get(SEARCH_ENGINES))

    def names(self, group: str | None = None) -> list[str]:
        """Names of the contacts who can see it (of one group, if given)."""
        return [c.name for c in self.viewers if group is None or c.group == group]

    def left_out(self, group: str) -> list[str]:
        """Names of the group's contacts on this network who cannot see the post."""
        seen = {c.contact_id for c in self.viewers}
        return [c.name for c in self.contacts.on(self.settings.network)
                if c.group == group and c.contact_id not in seen]

    def sees(self, who: str) -> bool:
        """True if `who` (a contact's name or id) can see the post, directly or because
        the post is public."""
        __tracebackhide__ = True  # IPython shows the learner the message, not this function
        contact = self.contacts.by_name(who) if type(who) is str else None
        if contact is None:
            names = [c.name for c in self.contacts.contacts]
            raise SettingsError(_("{who} is not one of Alex's contacts.{did_you_mean} "
                                  'Write a name as it is in contacts.csv, in quotes, like "Nora P.".').format(
                who=_shown(who), did_you_mean=_did_you_mean(who, names)))
        return self.public or any(c.contact_id == contact.contact_id for c in self.viewers)

    @property
    def forwardable_to(self) -> dict[str, tuple[str, ...]]:
        """Where a screenshot can go in one message from the people who see the post:
        employer -> the viewers who work there, and ANYWHERE -> the viewers whose employer
        Alex does not know (unknown is not "none": they may work for a client or a
        competitor, or know someone who does). Friends-only is not confidential."""
        out: dict[str, list[str]] = {}
        unknown: list[str] = []
        for c in self.viewers:
            if c.employer == NO_EMPLOYER:
                unknown.append(c.name)
            else:
                out.setdefault(c.employer, []).append(c.name)
        known = {k: tuple(v) for k, v in sorted(out.items())}
        return {**known, ANYWHERE: tuple(unknown)} if unknown else known

    @property
    def unknown_employers(self) -> tuple[str, ...]:
        """The viewers whose employer Alex does not know."""
        return self.forwardable_to.get(ANYWHERE, ())

    def may_reach(self, employer: str) -> bool:
        """True if the post, or a screenshot of it, may reach people at `employer`: it is
        public, someone who works there sees it, or a viewer's employer is unknown."""
        return self.public or employer in self.forwardable_to or bool(self.unknown_employers)

    @property
    def second_hand_reach(self) -> int:
        """How many people the viewers can pass it on to: the sum of their own friend counts."""
        return sum(c.friend_count for c in self.viewers)

    def table(self) -> pd.DataFrame:
        """One row per audience group: contacts on the network, and how many can see the post."""
        # Column names stay English (code reads them); the simulator shows them translated.
        return pd.DataFrame({N_("on this network"): [self.connected[g] for g in GROUPS],
                             N_("can see the post"): [self.per_group[g] for g in GROUPS]},
                            index=pd.Index(GROUPS, name="group"))

    def at_risk(self) -> list[str]:
        """The audiences a work-life mix-up hurts most, named, one sentence each."""
        lines = []
        if self.public:
            lines.append(_("The public: anyone can see it, and search engines list it.") if self.search_engines
                         else _("The public: anyone can see it."))
        for group, label in RISK_LABELS.items():
            people = [f"{c.name} ({c.employer})" for c in self.viewers if c.group == group]
            if people:
                lines.append(_("{label}: {people}.").format(label=_(label), people=", ".join(people)))
            elif self.public:
                lines.append(_("{label}: not among your contacts who see it, but the post is public.").format(
                    label=_(label)))
        tagged = self.outside.get(TAGGED_FRIENDS, 0)
        if tagged:
            lines.append(_("Friends of tagged people: about {count} people you may not know.").format(count=tagged))
        rivals = [e for e, names in self.forwardable_to.items()
                  if any(c.group == "competitor" for c in self.viewers if c.employer == e)]
        if rivals:
            lines.append(_("A screenshot can reach {employers} (competitors) in one message.").format(
                employers=", ".join(rivals)))
        unknown = self.unknown_employers
        if unknown and not self.public:
            lines.append(_("{count} viewers whose employers you do not know: any of them can pass a "
                           "screenshot to anyone, a client or a competitor included.").format(count=len(unknown)))
        return lines


def _norm(value: str, among=()) -> str:
    """A typed setting as the model's token: "Friends except..." is "friends_except". A French
    word of the course's vocabulary (words_fr.py) is its English token, the one in `among`
    when it has several ("tout le monde" is LinkedIn's "anyone" and TikTok's "everyone")."""
    value = english(value, among)
    return value.strip().lower().replace(" ", "_").replace("-", "_").rstrip(".").rstrip("_")


def _allowed(values) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _shown(value) -> str:
    """A learner's value as they would write it: texts in double quotes, the rest as Python."""
    if value is Ellipsis:
        return _("... (not filled in yet)")
    return f'"{value}"' if type(value) is str else repr(value)


def _did_you_mean(value, options) -> str:
    """' Did you mean "friends"?' when a text is close to one of the options, else ''."""
    if type(value) is not str:
        return ""
    options = list(options)
    by_norm = {_norm(o): o for o in options}
    close = difflib.get_close_matches(_norm(value), list(by_norm), n=1, cutoff=0.6)
    return " " + _('Did you mean "{option}"?').format(option=by_norm[close[0]]) if close else ""


_KINDS = {str: N_("a text in quotes"), list: N_("a list"), tuple: N_("a tuple"), dict: N_("a dictionary"),
          bool: N_("True or False"), int: N_("a number"), float: N_("a number"), set: N_("a set")}


def _kind(value) -> str:
    if value is Ellipsis:
        return _("still ... (not filled in yet)")
    if value is None:
        return _("None (empty)")
    return _(_KINDS.get(type(value), N_("something else")))
