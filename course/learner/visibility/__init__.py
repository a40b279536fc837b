"""Who can see a post: the privacy settings of six networks, as they work today.

A learner writes a post's settings as a small dict, e.g.

    {"network": "facebook", "audience": "friends_except", "except": ["manager"],
     "tags": ["Anna R."], "tagged_person_adds": "only_me"}

and `who_can_see(settings)` answers on Alex Martin's contact network (contacts.csv):
which contacts can see the post, how many per group, which audiences outside the
contacts can (the public, search engines, friends of tagged people), and where it can
be passed on from there. `explain` says the same in plain words.

The rules follow the platforms' help centres (2024-2026; see content-facts.md):
- Facebook: audience Public, Friends, Friends except..., Specific friends, Only me, Custom;
  lists Close Friends, Acquaintances, Restricted (a Restricted friend sees your Public posts
  and the posts they are tagged in, nothing else); groups are Public or Private (Private: only members see
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
  followers only, stay out of search engines and cannot be reposted. Likes are private
  since June 2024 (X Help Centre; X's announcement): only the account itself sees them.
- LinkedIn (Help Centre): a post goes to Anyone (anyone, on or off LinkedIn) or to
  Connections only. Public profile visibility is about the profile page; LinkedIn's help does
  not say that turning it off limits Anyone posts, so the model keeps them public.
  "Who can see your connections" shows or hides the connection list.
- TikTok: public or private account (private: approved followers only) and an audience
  per video: Everyone (public accounts), Followers (private accounts), Friends (followers
  you follow back), Only you.
- WhatsApp Status (WhatsApp Help Centre, "About status privacy"): in the style of Facebook's
  audiences, {"network": "whatsapp", "audience": "my_contacts" (the default) |
  "my_contacts_except" (with "except": [...]) | "only_share_with" (with "specific": [...])}.
  A status is seen only by people whose number you saved and who saved yours, and lasts
  24 hours; a new setting applies to the next statuses, not to those already sent.
What no setting removes: whoever sees a post can screenshot it and pass it on (Cour de
cassation, soc., 30 Sept. 2020, n° 19-12.058, "Petit Bateau": a photo shown to 200+ friends
was passed to the employer by a colleague among them, and admitted as evidence), and people
who saw a post keep what they saw when the settings change. Where Alex does not know a
viewer's employer (family, friends), it is unknown, not "none": `forwardable_to` lists those
viewers under ANYWHERE, and `may_reach(employer)` is then True for any employer.

Simplifications, said once: tags widen the audience only on Facebook (elsewhere a tagged
person sees a post only if its audience already includes them); every person tagged in one
post has the same "tagged_person_adds" setting, and its third choice, Custom (chosen people),
is left out; a TikTok "friend" is a
follower Alex knows personally (family, close friend, friend), since contacts.csv does not
record who Alex follows back; an Instagram Close Friends list defaults to the contacts of
the close_friend group who follow Alex there; contacts.csv's whatsapp column stands for
"each has the other's number saved"; Facebook friend lists mean nothing on WhatsApp.

The model lives in four modules: `model` (the vocabulary, contacts, settings and results),
`settings` (reading a learner's settings dict, with plain-language errors), `rules` (each
network's rules) and `compare` (before and after a change, and the result in plain words).
Notebooks and the simulator import from here.
"""

from ..data import load  # noqa: F401  (the data sets the model reads, for tests)
from .compare import Change, after_change, before_after, explain
from .model import (ANYWHERE, AUDIENCES, BOOL_KEYS, CHOICES, COMMON_KEYS, FACEBOOK_LISTS, FINDS_GROUP, FORMAT_WORDS, GROUPS,
                    LINKEDIN_MEMBERS, LIST_KEYS, NETWORK_KEYS, NETWORK_NAMES, NO_EMPLOYER, OUTSIDE_AUDIENCES,
                    OWN_EMPLOYER, PERSONAL_GROUPS, PUBLIC, RISK_LABELS, SEARCH_ENGINES, TAGGED_FRIENDS,
                    TAGGED_FRIENDS_PENDING, Contact, ContactBook, Settings, SettingsError, Visibility, alex_contacts)
from .rules import who_can_see, who_can_see_answer
from .settings import parse_settings

__all__ = ["ANYWHERE", "AUDIENCES", "BOOL_KEYS", "CHOICES", "COMMON_KEYS", "FACEBOOK_LISTS", "FINDS_GROUP", "FORMAT_WORDS",
           "GROUPS", "LINKEDIN_MEMBERS", "LIST_KEYS", "NETWORK_KEYS", "NETWORK_NAMES", "NO_EMPLOYER",
           "OUTSIDE_AUDIENCES", "OWN_EMPLOYER", "PERSONAL_GROUPS", "PUBLIC", "RISK_LABELS", "SEARCH_ENGINES",
           "TAGGED_FRIENDS", "TAGGED_FRIENDS_PENDING", "Change", "Contact", "ContactBook", "Settings",
           "SettingsError", "Visibility", "after_change", "alex_contacts", "before_after", "explain",
           "parse_settings", "who_can_see", "who_can_see_answer"]
