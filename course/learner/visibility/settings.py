"""Reading a learner's settings dict: plain-language errors, defaults, and who a name means."""

from __future__ import annotations


from ..language import _
from .model import (AUDIENCES, BOOL_KEYS, CHOICES, COMMON_KEYS, FACEBOOK_LISTS, GROUPS, LIST_KEYS, NETWORK_KEYS,
                    NETWORK_NAMES, _allowed, _did_you_mean, _kind, _norm, _shown, alex_contacts, ContactBook,
                    Settings, SettingsError)


def parse_settings(raw: dict, contacts: ContactBook | None = None) -> Settings:
    """Check a settings dict and return it as Settings. A SettingsError says, in plain
    words, what is wrong and what to write instead."""
    __tracebackhide__ = True  # IPython shows the learner the message, not this function
    if type(raw) is not dict:
        raise SettingsError(_('Write the settings as a dictionary in curly brackets, like '
                              '{{"network": "facebook", "audience": "friends"}}; yours is {kind}.').format(
            kind=_kind(raw)))
    odd_keys = [k for k in raw if type(k) is not str]
    if odd_keys:
        raise SettingsError(_("The setting name {key} is not in quotes. Setting names are "
                              'texts in quotes, like "audience" in "audience": "friends".').format(
            key=_shown(odd_keys[0])))
    if "network" not in raw:
        raise SettingsError(_('The settings do not say which network the post goes to. Add "network" and '
                              'one of {networks}, like "network": "facebook".').format(networks=_allowed(NETWORK_KEYS)))
    network = raw["network"]
    if type(network) is not str or _norm(network) not in NETWORK_KEYS:
        raise SettingsError(_("The network {network} is not one this course knows.{did_you_mean} Choose one of "
                              '{networks}, in quotes, like "network": "facebook".').format(
            network=_shown(network), did_you_mean=_did_you_mean(network, NETWORK_KEYS),
            networks=_allowed(NETWORK_KEYS)))
    network = _norm(network)
    name = NETWORK_NAMES[network]
    allowed_keys = COMMON_KEYS + NETWORK_KEYS[network]
    for key in raw:
        if key not in allowed_keys:
            keys = [k for k in allowed_keys if not (network == "x" and k == "audience")]
            raise SettingsError(_('{network} has no setting "{key}".{did_you_mean} Remove it, or use '
                                  "one of the settings {network} has: {keys}.").format(
                network=name, key=key, did_you_mean=_did_you_mean(key, keys), keys=_allowed(keys)))
    values: dict = {"network": network}
    for key, value in raw.items():
        if key == "network":
            continue
        if key in BOOL_KEYS:
            if type(value) is not bool:
                raise SettingsError(_('"{key}" is a yes-or-no setting, but it is {value}. Write True '
                                      'or False, with a capital letter and no quotes, like "{key}": True.').format(
                    key=key, value=_shown(value)))
            values[key] = value
        elif key in LIST_KEYS:
            if type(value) not in (list, tuple) or not all(type(v) is str for v in value):
                raise SettingsError(_('"{key}" should be a list of names in quotes, in square brackets even '
                                      'for one name, like "{key}": ["manager"] or "{key}": ["manager", '
                                      '"Nora P."]; it is {value}.').format(key=key, value=_shown(value)))
            values[key] = tuple(value)
        elif key in CHOICES:
            if type(value) is not str or _norm(value, CHOICES[key]) not in CHOICES[key]:
                raise SettingsError(_('{value} is not a choice for "{key}".{did_you_mean} Choose one of '
                                      '{choices}, like "{key}": "{first}".').format(
                    value=_shown(value), key=key, did_you_mean=_did_you_mean(value, CHOICES[key]),
                    choices=_allowed(CHOICES[key]), first=CHOICES[key][0]))
            values[key] = _norm(value, CHOICES[key])
        elif key == "audience":
            if network == "x":
                raise SettingsError(_('X has no audience to choose per post: every post reaches whoever your '
                                      'account lets in. Remove "audience"; to keep posts to approved '
                                      'followers, write "protected": True.'))
            if type(value) is not str or _norm(value, AUDIENCES[network]) not in AUDIENCES[network]:
                raise SettingsError(_("The audience {value} is not one of {network}'s audiences.{did_you_mean} "
                                      'Choose one of {audiences}, in quotes, like "audience": "{example}".').format(
                    value=_shown(value), network=name, did_you_mean=_did_you_mean(value, AUDIENCES[network]),
                    audiences=_allowed(AUDIENCES[network]), example=AUDIENCES[network][1]))
            values["audience"] = _norm(value, AUDIENCES[network])
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
        raise SettingsError(_('Facebook asks for an audience on every post, and these settings have none. '
                              'Add "audience" and one of {audiences}, like "audience": "friends".').format(
            audiences=_allowed(AUDIENCES["facebook"])))
    values["audience"] = {"instagram": "followers", "x": "account", "linkedin": "anyone",
                          "tiktok": "followers" if values.get("account") == "private" else "everyone",
                          "whatsapp": "my_contacts"}[network]


def _check_combination(s: Settings, book: ContactBook) -> None:
    if s.network == "facebook":
        if s.audience == "friends_except" and not s.except_:
            raise SettingsError(_('"friends_except" needs the people to leave out: add "except": [...], '
                                  'e.g. "except": ["manager", "client"].'))
        if s.audience == "specific_friends" and not s.specific:
            raise SettingsError(_('"specific_friends" needs the people to share with: add "specific": [...], '
                                  'e.g. "specific": ["family"].'))
        if s.audience == "custom" and not s.specific:
            raise SettingsError(_('"custom" needs "specific" (share with) and may have "except" (don\'t share with).'))
        if s.audience == "group" and not s.members:
            raise SettingsError(_('A group post needs the group\'s members among your contacts: add "members": [...].'))
        if s.group_privacy == "public" and s.group_visibility == "hidden":
            raise SettingsError(_("A Public Facebook group cannot be Hidden: only Private groups can be hidden."))
    if s.network == "tiktok":
        if s.account == "private" and s.audience == "everyone":
            raise SettingsError(_('A private TikTok account cannot post to "everyone": its audiences are '
                                  '"followers", "friends" and "only_you".'))
        if s.account == "public" and s.audience == "followers":
            raise SettingsError(_('On a public TikTok account anyone can follow you, so "followers" is not a '
                                  'choice: use "everyone", "friends" or "only_you", or make the account private.'))
    if s.network == "whatsapp":
        if s.audience == "my_contacts_except" and not s.except_:
            raise SettingsError(_('"my_contacts_except" needs the people to leave out: add "except": [...], '
                                  'e.g. "except": ["manager", "client"].'))
        if s.audience == "only_share_with" and not s.specific:
            raise SettingsError(_('"only_share_with" needs the people to share with: add "specific": [...], '
                                  'e.g. "specific": ["family"].'))
    used_only_with = {"except_": (("facebook", ("friends_except", "custom")),
                                  ("whatsapp", ("my_contacts_except",))),
                      "specific": (("facebook", ("specific_friends", "custom")),
                                   ("whatsapp", ("only_share_with",))),
                      "members": (("facebook", ("group",)),),
                      "close_friends": (("instagram", ("close_friends",)),)}
    for key, uses in used_only_with.items():
        for network, audiences in uses:
            if s.network == network and getattr(s, key) and s.audience not in audiences:
                raise SettingsError(_('"{key}" only works with the audience {audiences}; this post\'s audience '
                                      'is "{audience}". Remove it or change the audience.').format(
                    key=key.rstrip("_"), audiences=_allowed(audiences), audience=s.audience))
    names = [c.name for c in book.contacts]
    for key in ("tags", "tags_by_others"):
        for who in getattr(s, key):
            if book.by_name(who) is None:
                raise SettingsError(_('"{key}" names {who}, which is not one of Alex\'s contacts: a tag '
                                      "names one person, not a group.{did_you_mean} Write the name "
                                      'as it is in contacts.csv, like ["Anna R."].').format(
                    key=key, who=_shown(who), did_you_mean=_did_you_mean(who, names)))
    for key in ("except_", "specific", "members", "close_friends"):
        for who in getattr(s, key) or ():
            _resolve(who, book, key.rstrip("_"), lists=s.network == "facebook")


def _resolve(who: str, book: ContactBook, key: str, lists: bool = True) -> set[str]:
    """Contact ids meant by `who`: a group, a Facebook friend list (if `lists`), or a contact's name."""
    token = _norm(who)
    if token in GROUPS:
        return {c.contact_id for c in book.contacts if c.group == token}
    if token.rstrip("s") in GROUPS:  # "managers", "clients", "competitors"
        return {c.contact_id for c in book.contacts if c.group == token.rstrip("s")}
    if token in FACEBOOK_LISTS:
        if not lists:
            raise SettingsError(_('"{key}" names {who}, a Facebook friend list, which this network does '
                                  'not have. Write groups ({groups}) or names as they are in '
                                  'contacts.csv, like "Nora P.".').format(
                key=key, who=_shown(who), groups=_allowed(GROUPS)))
        return {c.contact_id for c in book.contacts if c.facebook_list == token}
    contact = book.by_name(who)
    if contact is None:
        options = list(GROUPS) + list(FACEBOOK_LISTS) + [c.name for c in book.contacts]
        raise SettingsError(_('"{key}" names {who}, which is neither a group ({groups}), '
                              "a Facebook list ({lists}) nor one of Alex's contacts.{did_you_mean} Write a group, "
                              'a list or a name as it is in contacts.csv, like "Nora P.".').format(
            key=key, who=_shown(who), groups=_allowed(GROUPS), lists=_allowed(FACEBOOK_LISTS),
            did_you_mean=_did_you_mean(who, options)))
    return {contact.contact_id}


def _resolve_all(items, book: ContactBook, lists: bool = True) -> set[str]:
    out: set[str] = set()
    for who in items:
        out |= _resolve(who, book, "", lists)
    return out
