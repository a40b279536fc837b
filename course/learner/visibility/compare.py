"""Before and after a change of settings, and the result in plain words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..language import _

from .model import (ANYWHERE, LINKEDIN_MEMBERS, NETWORK_NAMES, RISK_LABELS, TAGGED_FRIENDS, TAGGED_FRIENDS_PENDING,
                    Visibility, group_words)


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
    return _("yes") if flag else _("no")


def before_after(before: Visibility, after: Visibility) -> pd.DataFrame:
    """A change of settings, side by side: one row per question, a "before" and an "after"
    column, in plain words. The first four rows are about new posts, the last two about what
    people saw before the change: no setting takes that back."""
    change = after_change(before, after)
    rows = {
        _("the public can see new posts"): (_yes(before.public), _yes(after.public)),
        _("search engines list new posts"): (_yes(before.search_engines), _yes(after.search_engines)),
        _("contacts who can see new posts"): (str(len(before.viewers)), str(len(after.viewers))),
        _("new posts can be shared on in one click"): (_yes(before.reposts), _yes(after.reposts)),
        _("contacts who lose access but keep what they saw"): ("-", str(len(change.kept_by))),
        _("anyone may have a copy (it was public)"): (_yes(before.public), _yes(before.public or after.public)),
    }
    return pd.DataFrame(rows.values(), columns=[_("before"), _("after")],
                        index=pd.Index(list(rows), name=_("question")))


def _sentence(text: str) -> str:
    # Contact names end with a dot ("Nora P."): do not add a second one.
    return text if text.endswith(".") else text + "."


def explain(result: Visibility) -> str:
    """Who can see the post, in plain words, for a learner's feedback."""
    s = result.settings
    total = len(result.viewers)
    groups = [_("{count} {group}").format(count=n, group=group_words(g)) for g, n in result.per_group.items() if n]
    network = NETWORK_NAMES[s.network]
    parts = [_("On {network}, {count} of your contacts can see this post ({groups}).").format(
                 network=network, count=total, groups=", ".join(groups)) if groups
             else _("On {network}, {count} of your contacts can see this post.").format(network=network, count=total)]
    if result.public:
        parts.append(_("It is public and search engines show it.") if result.search_engines else _("It is public."))
    elif result.outside.get(LINKEDIN_MEMBERS):
        parts.append(_("Every LinkedIn member can see it."))
    if result.outside.get(TAGGED_FRIENDS):
        parts.append(_("The tag adds about {count} friends of the tagged people "
                       "(their own tagging setting says Friends).").format(count=result.outside[TAGGED_FRIENDS]))
    if result.outside.get(TAGGED_FRIENDS_PENDING):
        parts.append(_("If you approve the tags others added, about {count} "
                       "friends of the tagged people will see it too.").format(
            count=result.outside[TAGGED_FRIENDS_PENDING]))
    for group, label in RISK_LABELS.items():
        names = result.names(group)
        if names and group != "recruiter":
            parts.append(_sentence(_("{label} among them: {names}").format(label=_(label), names=", ".join(names))))
    known = [e for e in result.forwardable_to if e != ANYWHERE]
    unknown = len(result.unknown_employers)
    if known:
        parts.append(_("A screenshot can reach: {employers}.").format(employers=", ".join(known)))
    if unknown and not result.public:
        parts.append(_("{count} of them work for employers you do not know: a screenshot can go anywhere.").format(
            count=unknown))
    return " ".join(parts)
