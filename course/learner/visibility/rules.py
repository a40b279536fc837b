"""Who can see a post, network by network: each platform's rules as its help centre states them."""

from __future__ import annotations


from ..language import N_, _
from .model import (FINDS_GROUP, FORMAT_WORDS, GROUPS, PERSONAL_GROUPS, PUBLIC, SEARCH_ENGINES,
                    TAGGED_FRIENDS, TAGGED_FRIENDS_PENDING, alex_contacts, ContactBook, Settings, SettingsError, Visibility)
from .settings import _resolve_all, parse_settings
from .compare import _sentence


def who_can_see(settings: dict | Settings, contacts: ContactBook | None = None) -> Visibility:
    """Who can see a post published with these settings (a dict as in the module docstring)."""
    __tracebackhide__ = True  # IPython shows the learner the message, not this function
    book = contacts or alex_contacts()
    s = settings if isinstance(settings, Settings) else parse_settings(settings, book)
    rule = {"facebook": _facebook, "instagram": _instagram, "x": _x,
            "linkedin": _linkedin, "tiktok": _tiktok, "whatsapp": _whatsapp}[s.network]
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
        notes.append(_("The location goes to everyone who sees the post: while you are away, they "
                       "know your home is empty."))
    if s.photo and (viewers or full_outside[PUBLIC]):
        notes.append(_("A photo can be saved or screenshotted by anyone who sees it; ask the people "
                       "in it before posting (right to one's image, Code civil art. 9)."))
    return Visibility(s, viewers, per_group, connected, full_outside, reposts, tuple(notes), book)


def who_can_see_answer(value, name: str) -> Visibility:
    """For a test cell: who can see a post published with the learner's settings `value`
    (the answer called `name`). An answer that is not a dict yet, or settings the model
    cannot read, fail like any answer that is not right yet (check.AnswerError), with the
    model's plain words."""
    __tracebackhide__ = True
    from .. import check

    check.is_type(value, dict, name)
    try:
        return who_can_see(value)
    except SettingsError as err:
        raise check.AnswerError(str(err)) from None


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
        outside[FINDS_GROUP] = N_("only members") if s.group_visibility == "hidden" else N_("anyone")
        notes.append(_("Private group: only members see its posts, and any member can screenshot them."))
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
            notes.append(_("{names}: on your Restricted list, sees only your Public posts "
                           "and the posts they are tagged in.").format(names=", ".join(left_out)))
    _facebook_tags(s, book, ids, outside, notes)
    return ids, outside, a == "public", notes


def _facebook_tags(s: Settings, book: ContactBook, ids: set[str], outside: dict, notes: list[str]) -> None:
    """What tags do to a Facebook post's audience (see the module docstring)."""
    own = [book.by_name(t) for t in s.tags]
    by_others = [book.by_name(t) for t in s.tags_by_others]
    if s.tag_review and own and not by_others:
        notes.append(_("Tag review is on: it holds the tags other people add to your posts until you "
                       "approve them. It does not hold the tags you add yourself."))
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
        notes.append(_("Tag review is on: the tags others added ({names}) wait "
                       "for your approval; once you approve, the tagged people see the post, and their "
                       "friends too if their own tagging setting says Friends.").format(
            names=", ".join(c.name for c in pending)))
    elif by_others:
        notes.append(_("Tag review is off: the tags others added ({names}) "
                       "show at once and widen the audience without asking you.").format(
            names=", ".join(c.name for c in by_others)))
    if s.audience == "public" or not live:
        return
    tagged = _sentence(_("Tagged: {names}").format(names=", ".join(c.name for c in live)))
    if adds_friends:
        notes.append(_("{tagged} Their own setting \"When you're tagged in a post, who do you want to add to the "
                       "audience...?\" says Friends (Facebook's default), so their friends are added. "
                       "Only they can change it, in Settings > Profile and tagging.").format(tagged=tagged))
    else:
        notes.append(_("{tagged} Their own setting \"When you're tagged in a post, who do you want to add to the "
                       "audience...?\" says Only me: the tag adds them, not their friends.").format(tagged=tagged))

def _instagram(s: Settings, book: ContactBook):
    followers = {c.contact_id for c in book.on("instagram")}
    notes: list[str] = []
    if s.audience == "close_friends":
        # Stories since 2018; feed posts and reels since 2023.
        chosen = (_resolve_all(s.close_friends, book) if s.close_friends is not None
                  else {c.contact_id for c in book.contacts if c.group == "close_friend"})
        notes.append(_("Close Friends {format}: only the people on your Close Friends "
                       "list see it, whatever the account's privacy; each of them can still screenshot it.").format(
            format=_(FORMAT_WORDS[s.format])))
        return chosen & followers, {}, False, notes
    lasting = s.format != "story"
    if s.account == "public":
        # Stories vanish after 24 hours and search engines do not list them; posts and reels they may.
        return followers, {PUBLIC: True, SEARCH_ENGINES: lasting}, lasting, notes
    notes.append(_("Private account: only followers you approved see it. Followers who saw "
                   "your posts before you went private keep what they saw."))
    return followers, {}, False, notes


def _x_likes() -> str:
    return _("Likes are private on X since June 2024: only you see which posts you liked (X Help Centre; "
             "X's announcement of private likes, June 2024). Your replies and reposts stay as visible as your posts.")


def _x(s: Settings, book: ContactBook):
    followers = {c.contact_id for c in book.on("x")}
    if s.protected:
        return followers, {}, False, [_("Protected posts: approved followers only, out of search "
                                        "engines, no reposts; a follower can still screenshot them."), _x_likes()]
    return followers, {PUBLIC: True, SEARCH_ENGINES: True}, True, [_x_likes()]


def _linkedin(s: Settings, book: ContactBook):
    connections = {c.contact_id for c in book.on("linkedin")}
    notes: list[str] = []
    if not s.show_connections:
        notes.append(_("Your connection list is hidden: contacts cannot browse who else you know "
                       "(they still see connections you share)."))
    else:
        notes.append(_("Your connections can browse your connection list, clients and competitors included."))
    if s.audience == "connections":
        return connections, {}, False, notes
    # LinkedIn Help Centre: an Anyone post is visible to anyone on or off LinkedIn. Public profile
    # visibility is about the profile page; LinkedIn's help does not say it limits Anyone posts.
    if not s.public_profile:
        notes.append(_("Public profile visibility is off: it is about what people who are not signed in see of "
                       "your profile page. LinkedIn's help says an Anyone post is for anyone, on or off LinkedIn, "
                       "and does not say this setting narrows it, so the model does not make an Anyone post "
                       "members-only. To keep a post to your connections, choose Connections only."))
    return connections, {PUBLIC: True, SEARCH_ENGINES: True}, True, notes


def _whatsapp(s: Settings, book: ContactBook):
    # WhatsApp Help Centre, "About status privacy": a status reaches only people whose number you
    # saved and who saved yours (contacts.csv's whatsapp column: both saved); it lasts 24 hours.
    contacts = {c.contact_id for c in book.on("whatsapp")}
    if s.audience == "my_contacts_except":
        ids = contacts - _resolve_all(s.except_, book, lists=False)
    elif s.audience == "only_share_with":
        ids = _resolve_all(s.specific, book, lists=False) & contacts
    else:  # my_contacts, WhatsApp's default
        ids = set(contacts)
    notes = [_("WhatsApp status: only people whose number you saved and who saved yours can see it, for "
               "24 hours; in that time any of them can screenshot it. A new status privacy setting applies "
               "to the next statuses, not to those already sent.")]
    return ids, {}, False, notes


def _tiktok(s: Settings, book: ContactBook):
    followers = {c.contact_id for c in book.on("tiktok")}
    if s.audience == "only_you":
        return set(), {}, False, []
    if s.audience == "friends":
        return {c.contact_id for c in book.on("tiktok") if c.group in PERSONAL_GROUPS}, {}, False, []
    if s.audience == "everyone":
        return followers, {PUBLIC: True, SEARCH_ENGINES: True}, True, []
    return followers, {}, False, [_("Private account: only followers you approved see it.")]
