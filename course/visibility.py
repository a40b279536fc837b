"""Who can see a post: the privacy settings of five networks, as they work today.

A learner writes a post's settings as a small dict, e.g.

    {"network": "facebook", "audience": "friends_except", "except": ["manager"],
     "tags": ["Anna R."], "tagged_person_adds": "only_me"}

and `who_can_see(settings)` answers on Alex Martin's contact network (contacts.csv):
which contacts can see the post, how many per group, which audiences outside the
contacts can (the public, search engines, friends of tagged people), and where it can
be passed on from there. `explain` says the same in plain words.

The rules follow the platforms' help centres (2024-2026; see content-facts.md):
- Facebook: audience Public, Friends, Friends except..., Specific friends, Only me, Custom;
  lists Close Friends, Acquaintances, Restricted (Restricted friends see only Public posts
  and posts they are tagged in); groups are Public or Private (Private: only members see
  posts) and Visible or Hidden (Hidden: only members can find the group; a Public group
  cannot be hidden).
- Facebook tags ("What is tagging on Facebook and how does it work?": a tagged post "could
  be visible to the audience you selected plus friends of the tagged person"; the settings
  are under Settings > Profile and tagging):
  - a tag adds the tagged person to the audience. Whether it also adds the tagged person's
    friends is the TAGGED person's setting, "When you're tagged in a post, who do you want
    to add to the audience of the post if they can't already see it?": Friends (Facebook's
    default) or Only me ("tagged_person_adds"). The author's tag review does not change it.
  - "Review tags people add to your posts before the tags appear on Facebook?" (tag
    review, "tag_review") holds the tags OTHER people add to your posts ("tags_by_others")
    until you approve them; it does nothing to the tags you add yourself.
  - "Review posts you're tagged in before the post appears on your profile" (timeline or
    profile review) keeps posts that others tag you in off your profile until you approve
    them: it is about your profile, not about who sees your posts, so it is not modelled.
- Instagram: public or private account (private: approved followers only); Close
  Friends is an audience for stories and, since 2023, for feed posts and reels too.
- X: public and open to search engines by default; protected posts reach approved
  followers only, stay out of search engines and cannot be reposted.
- LinkedIn: posts to Anyone or Connections only; public profile visibility off keeps
  posts away from people who are not signed in to LinkedIn and from search engines;
  "who can see your connections" shows or hides the connection list.
- TikTok: public or private account (private: approved followers only) and an audience
  per video: Everyone (public accounts), Followers (private accounts), Friends (followers
  you follow back), Only you.
What no setting removes: whoever sees a post can screenshot it and pass it on (Cour de
cassation, soc., 30 Sept. 2020, n° 19-12.058, "Petit Bateau": a friends-only post is not
confidential), and people who saw a post keep what they saw when the settings change.

Simplifications, said once: tags widen the audience only on Facebook (elsewhere a tagged
person sees a post only if its audience already includes them); every person tagged in one
post has the same "tagged_person_adds" setting, and its third choice, Custom (chosen people),
is left out; a TikTok "friend" is a
follower Alex knows personally (family, close friend, friend), since contacts.csv does not
record who Alex follows back; an Instagram Close Friends list defaults to the contacts of
the close_friend group who follow Alex there.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .data import load

GROUPS = ("family", "close_friend", "friend", "acquaintance", "colleague", "manager",
          "client", "recruiter", "competitor")
FACEBOOK_LISTS = ("close_friends", "acquaintances", "restricted")
# TikTok "friends" are mutual followers; contacts.csv only says who follows Alex, so the
# people Alex knows personally stand for the ones Alex follows back.
PERSONAL_GROUPS = ("family", "close_friend", "friend")
OWN_EMPLOYER = "Norda Logistics"
NO_EMPLOYER = "-"

RISK_LABELS = {"manager": "Your manager", "client": "Clients", "competitor": "Competitors",
               "recruiter": "Recruiters"}
PUBLIC = "the public"
SEARCH_ENGINES = "search engines"
LINKEDIN_MEMBERS = "all LinkedIn members"
TAGGED_FRIENDS = "friends of tagged people"
TAGGED_FRIENDS_PENDING = "friends of people tagged by others, once you approve the tag"
FINDS_GROUP = "people who can find the group"
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
}
AUDIENCES = {
    "facebook": ("public", "friends", "friends_except", "specific_friends", "only_me", "custom", "group"),
    "instagram": ("followers", "close_friends"),
    "x": (),
    "linkedin": ("anyone", "connections"),
    "tiktok": ("everyone", "followers", "friends", "only_you"),
}
NETWORK_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "x": "X",
                 "linkedin": "LinkedIn", "tiktok": "TikTok"}
BOOL_KEYS = ("tag_review", "protected", "public_profile", "show_connections", "location", "photo")
LIST_KEYS = ("tags", "tags_by_others", "except", "specific", "members", "close_friends")
CHOICES = {"account": ("public", "private"), "format": ("post", "reel", "story"),
           "tagged_person_adds": ("friends", "only_me"),
           "group_privacy": ("public", "private"), "group_visibility": ("visible", "hidden")}
FORMAT_WORDS = {"post": "feed post", "reel": "reel", "story": "story"}


class SettingsError(ValueError):
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

    def sees(self, who: str) -> bool:
        """True if `who` (a contact's name or id) can see the post, directly or because
        the post is public."""
        __tracebackhide__ = True  # IPython shows the learner the message, not this function
        contact = self.contacts.by_name(who) if type(who) is str else None
        if contact is None:
            names = [c.name for c in self.contacts.contacts]
            raise SettingsError(f"{_shown(who)} is not one of Alex's contacts.{_did_you_mean(who, names)} "
                                'Write a name as it is in contacts.csv, in quotes, like "Nora P.".')
        return self.public or any(c.contact_id == contact.contact_id for c in self.viewers)

    @property
    def forwardable_to(self) -> dict[str, tuple[str, ...]]:
        """Employers a screenshot can reach through the people who see the post:
        employer -> the viewers who work there. Friends-only is not confidential."""
        out: dict[str, list[str]] = {}
        for c in self.viewers:
            if c.employer != NO_EMPLOYER:
                out.setdefault(c.employer, []).append(c.name)
        return {k: tuple(v) for k, v in sorted(out.items())}

    @property
    def second_hand_reach(self) -> int:
        """How many people the viewers can pass it on to: the sum of their own friend counts."""
        return sum(c.friend_count for c in self.viewers)

    def table(self) -> pd.DataFrame:
        """One row per audience group: contacts on the network, and how many can see the post."""
        return pd.DataFrame({"on this network": [self.connected[g] for g in GROUPS],
                             "can see the post": [self.per_group[g] for g in GROUPS]},
                            index=pd.Index(GROUPS, name="group"))

    def at_risk(self) -> list[str]:
        """The audiences a work-life mix-up hurts most, named, one sentence each."""
        lines = []
        if self.public:
            where = ", and search engines list it" if self.search_engines else ""
            lines.append(f"The public: anyone can see it{where}.")
        for group, label in RISK_LABELS.items():
            people = [f"{c.name} ({c.employer})" for c in self.viewers if c.group == group]
            if people:
                lines.append(f"{label}: {', '.join(people)}.")
            elif self.public:
                lines.append(f"{label}: not among your contacts who see it, but the post is public.")
        tagged = self.outside.get(TAGGED_FRIENDS, 0)
        if tagged:
            lines.append(f"Friends of tagged people: about {tagged} people you may not know.")
        rivals = [e for e, names in self.forwardable_to.items()
                  if any(c.group == "competitor" for c in self.viewers if c.employer == e)]
        if rivals:
            lines.append("A screenshot can reach " + ", ".join(rivals) + " (competitors) in one message.")
        return lines


def _norm(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_").rstrip(".").rstrip("_")


def _allowed(values) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _shown(value) -> str:
    """A learner's value as they would write it: texts in double quotes, the rest as Python."""
    if value is Ellipsis:
        return "... (not filled in yet)"
    return f'"{value}"' if type(value) is str else repr(value)


def _did_you_mean(value, options) -> str:
    """' Did you mean "friends"?' when a text is close to one of the options, else ''."""
    if type(value) is not str:
        return ""
    options = list(options)
    by_norm = {_norm(o): o for o in options}
    close = difflib.get_close_matches(_norm(value), list(by_norm), n=1, cutoff=0.6)
    return f' Did you mean "{by_norm[close[0]]}"?' if close else ""


_KINDS = {str: "a text in quotes", list: "a list", tuple: "a tuple", dict: "a dictionary",
          bool: "True or False", int: "a number", float: "a number", set: "a set"}


def _kind(value) -> str:
    if value is Ellipsis:
        return "still ... (not filled in yet)"
    if value is None:
        return "None (empty)"
    return _KINDS.get(type(value), "something else")


def parse_settings(raw: dict, contacts: ContactBook | None = None) -> Settings:
    """Check a settings dict and return it as Settings. A SettingsError says, in plain
    words, what is wrong and what to write instead."""
    __tracebackhide__ = True  # IPython shows the learner the message, not this function
    if type(raw) is not dict:
        raise SettingsError('Write the settings as a dictionary in curly brackets, like '
                            '{"network": "facebook", "audience": "friends"}; '
                            f"yours is {_kind(raw)}.")
    odd_keys = [k for k in raw if type(k) is not str]
    if odd_keys:
        raise SettingsError(f"The setting name {_shown(odd_keys[0])} is not in quotes. Setting names are "
                            'texts in quotes, like "audience" in "audience": "friends".')
    if "network" not in raw:
        raise SettingsError('The settings do not say which network the post goes to. Add "network" and '
                            f'one of {_allowed(NETWORK_KEYS)}, like "network": "facebook".')
    network = raw["network"]
    if type(network) is not str or _norm(network) not in NETWORK_KEYS:
        raise SettingsError(f"The network {_shown(network)} is not one this course knows."
                            f"{_did_you_mean(network, NETWORK_KEYS)} Choose one of "
                            f'{_allowed(NETWORK_KEYS)}, in quotes, like "network": "facebook".')
    network = _norm(network)
    name = NETWORK_NAMES[network]
    allowed_keys = COMMON_KEYS + NETWORK_KEYS[network]
    for key in raw:
        if key not in allowed_keys:
            keys = [k for k in allowed_keys if not (network == "x" and k == "audience")]
            raise SettingsError(f'{name} has no setting "{key}".{_did_you_mean(key, keys)} Remove it, or use '
                                f"one of the settings {name} has: {_allowed(keys)}.")
    values: dict = {"network": network}
    for key, value in raw.items():
        if key == "network":
            continue
        if key in BOOL_KEYS:
            if type(value) is not bool:
                raise SettingsError(f'"{key}" is a yes-or-no setting, but it is {_shown(value)}. Write True '
                                    f'or False, with a capital letter and no quotes, like "{key}": True.')
            values[key] = value
        elif key in LIST_KEYS:
            if type(value) not in (list, tuple) or not all(type(v) is str for v in value):
                raise SettingsError(f'"{key}" should be a list of names in quotes, in square brackets even '
                                    f'for one name, like "{key}": ["manager"] or "{key}": ["manager", '
                                    f'"Nora P."]; it is {_shown(value)}.')
            values[key] = tuple(value)
        elif key in CHOICES:
            if type(value) is not str or _norm(value) not in CHOICES[key]:
                raise SettingsError(f'{_shown(value)} is not a choice for "{key}".'
                                    f"{_did_you_mean(value, CHOICES[key])} Choose one of "
                                    f'{_allowed(CHOICES[key])}, like "{key}": "{CHOICES[key][0]}".')
            values[key] = _norm(value)
        elif key == "audience":
            if network == "x":
                raise SettingsError('X has no audience to choose per post: every post reaches whoever your '
                                    'account lets in. Remove "audience"; to keep posts to approved '
                                    'followers, write "protected": True.')
            if type(value) is not str or _norm(value) not in AUDIENCES[network]:
                raise SettingsError(f"The audience {_shown(value)} is not one of {name}'s audiences."
                                    f"{_did_you_mean(value, AUDIENCES[network])} Choose one of "
                                    f"{_allowed(AUDIENCES[network])}, in quotes, like "
                                    f'"audience": "{AUDIENCES[network][1]}".')
            values["audience"] = _norm(value)
    if "except" in values:
        values["except_"] = values.pop("except")
    _default_audience(values)
    settings = Settings(**values)
    _check_combination(settings, contacts or alex_contacts())
    return settings


def _default_audience(values: dict) -> None:
    network = values["network"]
    if "audience" in values:
        return
    if network == "facebook":
        raise SettingsError('Facebook asks for an audience on every post, and these settings have none. '
                            f"Add \"audience\" and one of {_allowed(AUDIENCES['facebook'])}, "
                            'like "audience": "friends".')
    values["audience"] = {"instagram": "followers", "x": "account", "linkedin": "anyone",
                          "tiktok": "followers" if values.get("account") == "private" else "everyone"}[network]


def _check_combination(s: Settings, book: ContactBook) -> None:
    if s.network == "facebook":
        if s.audience == "friends_except" and not s.except_:
            raise SettingsError('"friends_except" needs the people to leave out: add "except": [...], '
                                'e.g. "except": ["manager", "client"].')
        if s.audience == "specific_friends" and not s.specific:
            raise SettingsError('"specific_friends" needs the people to share with: add "specific": [...], '
                                'e.g. "specific": ["family"].')
        if s.audience == "custom" and not s.specific:
            raise SettingsError('"custom" needs "specific" (share with) and may have "except" (don\'t share with).')
        if s.audience == "group" and not s.members:
            raise SettingsError('A group post needs the group\'s members among your contacts: add "members": [...].')
        if s.group_privacy == "public" and s.group_visibility == "hidden":
            raise SettingsError("A Public Facebook group cannot be Hidden: only Private groups can be hidden.")
    if s.network == "tiktok":
        if s.account == "private" and s.audience == "everyone":
            raise SettingsError('A private TikTok account cannot post to "everyone": its audiences are '
                                '"followers", "friends" and "only_you".')
        if s.account == "public" and s.audience == "followers":
            raise SettingsError('On a public TikTok account anyone can follow you, so "followers" is not a '
                                'choice: use "everyone", "friends" or "only_you", or make the account private.')
    used_only_with = {"except_": ("facebook", ("friends_except", "custom")),
                      "specific": ("facebook", ("specific_friends", "custom")),
                      "members": ("facebook", ("group",)),
                      "close_friends": ("instagram", ("close_friends",))}
    for key, (network, audiences) in used_only_with.items():
        if s.network == network and getattr(s, key) and s.audience not in audiences:
            raise SettingsError(f'"{key.rstrip("_")}" only works with the audience {_allowed(audiences)}; '
                                f'this post\'s audience is "{s.audience}". Remove it or change the audience.')
    names = [c.name for c in book.contacts]
    for key in ("tags", "tags_by_others"):
        for who in getattr(s, key):
            if book.by_name(who) is None:
                raise SettingsError(f'"{key}" names {_shown(who)}, which is not one of Alex\'s contacts: a tag '
                                    f"names one person, not a group.{_did_you_mean(who, names)} Write the name "
                                    'as it is in contacts.csv, like ["Anna R."].')
    for key in ("except_", "specific", "members", "close_friends"):
        for who in getattr(s, key) or ():
            _resolve(who, book, key.rstrip("_"))


def _resolve(who: str, book: ContactBook, key: str) -> set[str]:
    """Contact ids meant by `who`: a group, a Facebook friend list, or a contact's name."""
    token = _norm(who)
    if token in GROUPS:
        return {c.contact_id for c in book.contacts if c.group == token}
    if token.rstrip("s") in GROUPS:  # "managers", "clients", "competitors"
        return {c.contact_id for c in book.contacts if c.group == token.rstrip("s")}
    if token in FACEBOOK_LISTS:
        return {c.contact_id for c in book.contacts if c.facebook_list == token}
    contact = book.by_name(who)
    if contact is None:
        options = list(GROUPS) + list(FACEBOOK_LISTS) + [c.name for c in book.contacts]
        raise SettingsError(f'"{key}" names {_shown(who)}, which is neither a group ({_allowed(GROUPS)}), '
                            f"a Facebook list ({_allowed(FACEBOOK_LISTS)}) nor one of Alex's contacts."
                            f"{_did_you_mean(who, options)} Write a group, a list or a name as it is in "
                            'contacts.csv, like "Nora P.".')
    return {contact.contact_id}


def _resolve_all(items, book: ContactBook) -> set[str]:
    out: set[str] = set()
    for who in items:
        out |= _resolve(who, book, "")
    return out


def who_can_see(settings: dict | Settings, contacts: ContactBook | None = None) -> Visibility:
    """Who can see a post published with these settings (a dict as in the module docstring)."""
    __tracebackhide__ = True  # IPython shows the learner the message, not this function
    book = contacts or alex_contacts()
    s = settings if isinstance(settings, Settings) else parse_settings(settings, book)
    rule = {"facebook": _facebook, "instagram": _instagram, "x": _x,
            "linkedin": _linkedin, "tiktok": _tiktok}[s.network]
    ids, outside, reposts, notes = rule(s, book)
    viewers = tuple(c for c in book.contacts if c.contact_id in ids)
    per_group = {g: 0 for g in GROUPS}
    connected = {g: 0 for g in GROUPS}
    for c in viewers:
        per_group[c.group] += 1
    for c in book.on(s.network):
        connected[c.group] += 1
    full_outside = {PUBLIC: False, SEARCH_ENGINES: False}
    full_outside.update(outside)
    if s.location and viewers:
        notes.append("The location goes to everyone who sees the post: while you are away, they "
                     "know your home is empty.")
    if s.photo and (viewers or full_outside[PUBLIC]):
        notes.append("A photo can be saved or screenshotted by anyone who sees it; ask the people "
                     "in it before posting (right to one's image, Code civil art. 9).")
    return Visibility(s, viewers, per_group, connected, full_outside, reposts, tuple(notes), book)


def _facebook(s: Settings, book: ContactBook):
    friends = {c.contact_id for c in book.on("facebook")}
    restricted = {c.contact_id for c in book.contacts if c.facebook_list == "restricted"}
    outside: dict[str, int | bool] = {}
    notes: list[str] = []
    a = s.audience
    if a == "group":
        members = _resolve_all(s.members, book) & friends
        if s.group_privacy == "public":
            outside.update({PUBLIC: True, SEARCH_ENGINES: True})
            return members, outside, True, notes
        outside[FINDS_GROUP] = "only members" if s.group_visibility == "hidden" else "anyone"
        notes.append("Private group: only members see its posts, and any member can screenshot them.")
        return members, outside, False, notes
    if a == "public":
        ids = set(friends)
        outside.update({PUBLIC: True, SEARCH_ENGINES: True})
    elif a == "friends":
        ids = friends - restricted
    elif a == "friends_except":
        ids = friends - restricted - _resolve_all(s.except_, book)
    elif a in ("specific_friends", "custom"):
        ids = (_resolve_all(s.specific, book) & friends) - restricted - _resolve_all(s.except_, book)
    else:  # only_me
        ids = set()
    if a != "public":
        left_out = sorted(c.name for c in book.contacts
                          if c.contact_id in restricted and c.contact_id not in ids)
        if left_out and a != "only_me":
            notes.append(f"{', '.join(left_out)}: on your Restricted list, sees only Public posts "
                         "and posts you tag them in.")
    _facebook_tags(s, book, ids, outside, notes)
    return ids, outside, a == "public", notes


def _facebook_tags(s: Settings, book: ContactBook, ids: set[str], outside: dict, notes: list[str]) -> None:
    """What tags do to a Facebook post's audience (see the module docstring)."""
    own = [book.by_name(t) for t in s.tags]
    by_others = [book.by_name(t) for t in s.tags_by_others]
    if s.tag_review and own and not by_others:
        notes.append("Tag review is on: it holds the tags other people add to your posts until you "
                     "approve them. It does not hold the tags you add yourself.")
    if s.audience == "only_me" or not (own or by_others):
        return
    live = own + ([] if s.tag_review else by_others)
    pending = by_others if s.tag_review else []
    adds_friends = s.tagged_person_adds == "friends"
    # A public post already reaches everyone: counting their friends again would double-count.
    counts = s.audience != "public" and adds_friends
    if live:
        ids |= {c.contact_id for c in live}
        outside[TAGGED_FRIENDS] = sum(c.friend_count for c in live) if counts else 0
    if pending:
        outside[TAGGED_FRIENDS_PENDING] = sum(c.friend_count for c in pending) if counts else 0
        notes.append(f"Tag review is on: the tags others added ({', '.join(c.name for c in pending)}) wait "
                     "for your approval; once you approve, the tagged people see the post, and their "
                     "friends too if their own tagging setting says Friends.")
    elif by_others:
        notes.append(f"Tag review is off: the tags others added ({', '.join(c.name for c in by_others)}) "
                     "show at once and widen the audience without asking you.")
    if s.audience == "public" or not live:
        return
    tagged = _sentence(f"Tagged: {', '.join(c.name for c in live)}")
    their_setting = " Their own setting \"When you're tagged in a post, who do you want to add to the audience...?\""
    if adds_friends:
        notes.append(tagged + their_setting + " says Friends (Facebook's default), so their friends are added. "
                     "Only they can change it, in Settings > Profile and tagging.")
    else:
        notes.append(tagged + their_setting + " says Only me: the tag adds them, not their friends.")

def _instagram(s: Settings, book: ContactBook):
    followers = {c.contact_id for c in book.on("instagram")}
    notes: list[str] = []
    if s.audience == "close_friends":
        # Stories since 2018; feed posts and reels since 2023.
        chosen = (_resolve_all(s.close_friends, book) if s.close_friends is not None
                  else {c.contact_id for c in book.contacts if c.group == "close_friend"})
        notes.append(f"Close Friends {FORMAT_WORDS[s.format]}: only the people on your Close Friends "
                     "list see it, whatever the account's privacy; each of them can still screenshot it.")
        return chosen & followers, {}, False, notes
    lasting = s.format != "story"
    if s.account == "public":
        # Stories vanish after 24 hours and search engines do not list them; posts and reels they may.
        return followers, {PUBLIC: True, SEARCH_ENGINES: lasting}, lasting, notes
    notes.append("Private account: only followers you approved see it. Followers who saw "
                 "your posts before you went private keep what they saw.")
    return followers, {}, False, notes


def _x(s: Settings, book: ContactBook):
    followers = {c.contact_id for c in book.on("x")}
    if s.protected:
        return followers, {}, False, ["Protected posts: approved followers only, out of search "
                                      "engines, no reposts; a follower can still screenshot them."]
    return followers, {PUBLIC: True, SEARCH_ENGINES: True}, True, []


def _linkedin(s: Settings, book: ContactBook):
    connections = {c.contact_id for c in book.on("linkedin")}
    notes: list[str] = []
    if not s.show_connections:
        notes.append("Your connection list is hidden: contacts cannot browse who else you know "
                     "(they still see connections you share).")
    else:
        notes.append("Your connections can browse your connection list, clients and competitors included.")
    if s.audience == "connections":
        return connections, {}, False, notes
    if s.public_profile:
        return connections, {PUBLIC: True, SEARCH_ENGINES: True}, True, notes
    notes.append("Public profile visibility is off: only people signed in to LinkedIn see "
                 "your Anyone posts, and search engines do not.")
    return connections, {LINKEDIN_MEMBERS: True}, True, notes


def _tiktok(s: Settings, book: ContactBook):
    followers = {c.contact_id for c in book.on("tiktok")}
    if s.audience == "only_you":
        return set(), {}, False, []
    if s.audience == "friends":
        return {c.contact_id for c in book.on("tiktok") if c.group in PERSONAL_GROUPS}, {}, False, []
    if s.audience == "everyone":
        return followers, {PUBLIC: True, SEARCH_ENGINES: True}, True, []
    return followers, {}, False, ["Private account: only followers you approved see it."]


@dataclass(frozen=True)
class Change:
    """What a change of settings cannot take back."""
    kept_by: tuple[str, ...]   # contacts who saw the post before and keep what they saw
    public_copies: bool        # it was public: anyone may have saved it, search engines cached it


def after_change(before: Visibility, after: Visibility) -> Change:
    """Who still has the post after the settings were tightened: a new setting stops new
    views, it does not delete what people already saw, saved or screenshotted."""
    now = {c.contact_id for c in after.viewers}
    kept = tuple(c.name for c in before.viewers if c.contact_id not in now)
    return Change(kept, before.public and not after.public)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def before_after(before: Visibility, after: Visibility) -> pd.DataFrame:
    """A change of settings, side by side: one row per question, a "before" and an "after"
    column, in plain words. The first four rows are about new posts, the last two about what
    people saw before the change: no setting takes that back."""
    change = after_change(before, after)
    rows = {
        "the public can see new posts": (_yes(before.public), _yes(after.public)),
        "search engines list new posts": (_yes(before.search_engines), _yes(after.search_engines)),
        "contacts who can see new posts": (str(len(before.viewers)), str(len(after.viewers))),
        "new posts can be shared on in one click": (_yes(before.reposts), _yes(after.reposts)),
        "contacts who lose access but keep what they saw": ("-", str(len(change.kept_by))),
        "anyone may have a copy (it was public)": (_yes(before.public), _yes(before.public or after.public)),
    }
    return pd.DataFrame(rows.values(), columns=["before", "after"],
                        index=pd.Index(list(rows), name="question"))


def _sentence(text: str) -> str:
    # Contact names end with a dot ("Nora P."): do not add a second one.
    return text if text.endswith(".") else text + "."


def explain(result: Visibility) -> str:
    """Who can see the post, in plain words, for a learner's feedback."""
    s = result.settings
    total = len(result.viewers)
    groups = [f"{n} {g.replace('_', ' ')}" for g, n in result.per_group.items() if n]
    parts = [f"On {NETWORK_NAMES[s.network]}, {total} of your contacts can see this post"
             + (f" ({', '.join(groups)})." if groups else ".")]
    if result.public:
        parts.append("It is public" + (" and search engines show it." if result.search_engines else "."))
    elif result.outside.get(LINKEDIN_MEMBERS):
        parts.append("Every LinkedIn member can see it.")
    if result.outside.get(TAGGED_FRIENDS):
        parts.append(f"The tag adds about {result.outside[TAGGED_FRIENDS]} friends of the tagged people "
                     "(their own tagging setting says Friends).")
    if result.outside.get(TAGGED_FRIENDS_PENDING):
        parts.append(f"If you approve the tags others added, about {result.outside[TAGGED_FRIENDS_PENDING]} "
                     "friends of the tagged people will see it too.")
    for group, label in RISK_LABELS.items():
        names = result.names(group)
        if names and group != "recruiter":
            parts.append(_sentence(f"{label} among them: {', '.join(names)}"))
    if result.forwardable_to:
        parts.append("A screenshot can reach: " + ", ".join(result.forwardable_to) + ".")
    return " ".join(parts)
