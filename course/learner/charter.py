"""Your personal usage charter: a plain dict, checked, and turned into a document to keep.

A charter says, for each network, which audience it is for (work, private life, or not
used), which rules you keep, and when you stop reading work messages. Module 7's answer
cell is itself the form: the dict `my_charter`, one choice a line, `...` where the learner
decides. `charter_problems` says what is missing or contradictory, `check` also checks it
against the learner's earlier choices (offline hours, work network, photos), `show` saves
and shows it, and `to_markdown` / `to_html` / `export` turn it into a document.

Typed words follow the course's one rule (`check.normalise`): "Work", " LinkedIn " and
19.0 are "work", "LinkedIn" and 19. `make_charter` builds the dict from plain values and
"""

from __future__ import annotations

from pathlib import Path


from ..templates import render
from .check import typed_word, whole_number
from .language import N_, _, language

NETWORKS = ("LinkedIn", "Facebook", "Instagram", "X", "TikTok", "WhatsApp")
AUDIENCES = ("work", "private", "not used")
KEYS = ("networks", "rules", "offline_from", "offline_until", "own_words")
MIN_RULES = 3
# The document shows these in the learner's language (`_(...)`); the keys are what learners type.
AUDIENCE_WORDS = {"work": N_("work"), "private": N_("private life"), "not used": N_("not used")}

RULES = {
    "consent_photos": N_("I ask before I post a photo of a colleague, a client or a friend, for that photo."),
    "no_internal_info": N_("I never post internal information about my company or its clients, "
                           "not even to friends only."),
    "no_live_travel": N_("I share trips after I am back: no dates in advance, no boarding passes."),
    "no_location": N_("I remove the location from photos I send, and turn off live location sharing."),
    "courtesy": N_("I stay courteous: I criticise ideas, never people, and I never insult anyone."),
    "own_opinions": N_("When I give an opinion, I speak for myself, not for my employer."),
    "quiet_hours": N_("I do not read or send work messages outside my working hours."),
    "review_settings": N_("I review my privacy settings and connected apps twice a year."),
    "secure_accounts": N_("Each account has its own passphrase and multi-factor authentication."),
    "personal_email": N_("My personal accounts use my personal email; company data stays in company tools."),
}


def _hour(h: int) -> str:
    # French writes hours "22 h" (Lexique des règles typographiques de l'Imprimerie nationale).
    return f"{int(h)}\u00a0h" if language() == "fr" else f"{int(h):02d}:00"


_NETWORK_BY_WORD = {typed_word(n): n for n in NETWORKS}
_KEY_BY_WORD = {typed_word(k): k for k in KEYS}


def normalised(charter):
    """The charter with typed words read by the course's one rule: keys and network names
    in any case ("linkedin" is "LinkedIn"), audiences and rule names in lower case, whole
    hours as int, own words without surrounding spaces. Values of the wrong kind are kept
    as they are, for `charter_problems` to name. Not a dict: returned unchanged."""
    if type(charter) is not dict:
        return charter
    out = {_KEY_BY_WORD.get(typed_word(k), k): v for k, v in charter.items()}
    networks = out.get("networks")
    if type(networks) is dict:
        named = {_NETWORK_BY_WORD.get(typed_word(k), k): typed_word(v) for k, v in networks.items()}
        out["networks"] = {**{n: named[n] for n in NETWORKS if n in named},
                           **{k: v for k, v in named.items() if k not in NETWORKS}}
    rules = out.get("rules")
    if type(rules) in (list, tuple):
        out["rules"] = [typed_word(r) for r in rules]
    for key in ("offline_from", "offline_until"):
        if key in out:
            out[key] = whole_number(out[key])
    if type(out.get("own_words")) is str:
        out["own_words"] = out["own_words"].strip()
    return out


def make_charter(audiences: dict[str, str], rules: list[str], offline_from: int,
                 offline_until: int, own_words: str = "") -> dict:
    """The charter as a plain dict (networks in the catalogue order, rules as chosen)."""
    return {
        "networks": {net: audiences.get(net, "not used") for net in NETWORKS},
        "rules": [r for r in RULES if r in rules] + [r for r in rules if r not in RULES],
        "offline_from": int(offline_from),
        "offline_until": int(offline_until),
        "own_words": own_words.strip(),
    }


def _is_hour(value) -> bool:
    return type(value) is int and 0 <= value <= 23


def charter_problems(charter: dict) -> list[str]:
    """What is missing or contradictory in a charter, in plain words (empty: complete)."""
    if type(charter) is not dict:
        return [_("The charter should be a dictionary, as shown under the form.")]
    charter = normalised(charter)
    missing = [k for k in KEYS if k not in charter]
    if missing:
        return [_("The charter has no {key} entry.").format(key=repr(k)) for k in missing]
    problems = []
    networks = charter["networks"]
    if type(networks) is not dict:
        problems.append(_('"networks" should be a dictionary: {"LinkedIn": "work", ...}.'))
    else:
        unanswered = [net for net in NETWORKS if networks.get(net, "") is Ellipsis]
        if unanswered:
            problems.append(_('Replace the ... after {networks} with "work", "private" or "not used", '
                              'in quotes.').format(networks=", ".join(unanswered)))
        for net in NETWORKS:
            if net not in networks:
                problems.append(_('Say what {network} is for: "work", "private" or "not used".').format(network=net))
            elif networks[net] is not Ellipsis and networks[net] not in AUDIENCES:
                problems.append(_('{network}: {value} is not one of "work", "private", "not used".').format(
                    network=net, value=repr(networks[net])))
        unknown = [n for n in networks if n not in NETWORKS]
        if unknown:
            problems.append(_("Unknown network(s) {networks}: use the names of the form.").format(
                networks=", ".join(map(repr, unknown))))
        if networks and all(networks.get(n) == "not used" for n in NETWORKS):
            problems.append(_('Every network is "not used": the charter needs at least one network you use.'))
    rules = charter["rules"]
    if type(rules) not in (list, tuple) or not all(type(r) is str for r in rules):
        problems.append(_('"rules" should be a list of rule names in quotes.'))
    else:
        unknown = [r for r in rules if r not in RULES]
        if unknown:
            problems.append(_("Unknown rule(s) {rules}: copy the names from the form.").format(
                rules=", ".join(map(repr, unknown))))
        if len(set(rules)) < MIN_RULES:
            problems.append(_("Choose at least {count} rules.").format(count=MIN_RULES))
    for key in ("offline_from", "offline_until"):
        value = charter[key]
        if value is Ellipsis and key == "offline_from":
            problems.append(_('"offline_from" is still ...: answer `my_offline_from` (section 3), or write an '
                              'hour from 0 to 23 in its place, then run the cell again.'))
        elif value is Ellipsis:
            problems.append(_('Replace the ... after "{key}" with an hour, a whole number from 0 to 23.').format(
                key=key))
        elif not _is_hour(value):
            problems.append(_('"{key}" should be an hour, a whole number from 0 to 23.').format(key=key))
    if _is_hour(charter["offline_from"]) and charter["offline_from"] == charter["offline_until"]:
        problems.append(_("Your offline hours start and end at the same hour: that leaves no time offline."))
    if type(charter["own_words"]) is not str:
        problems.append(_('"own_words" should be a text in quotes (it may be empty).'))
    return problems


def choice_problems(charter: dict, offline_from, work_network, posts_colleague_photos) -> list[str]:
    """Where a complete charter disagrees with the learner's earlier choices (module 7:
    `my_offline_from`, `my_work_network`, `i_post_colleague_photos`), in plain words."""
    charter = normalised(charter)
    problems = []
    offline_from = whole_number(offline_from)
    if offline_from is Ellipsis:
        problems.append(_("Answer `my_offline_from` in section 3 first (replace its ... and run that cell)."))
    elif not _is_hour(offline_from):
        problems.append(_("`my_offline_from` (section 3) should be an hour, a whole number from 0 to 23, "
                          "without quotes."))
    elif charter["offline_from"] != offline_from:
        problems.append(_("Your charter stops work messages at {charter_hour}, but in section 3 "
                          "you chose {chosen_hour} (`my_offline_from`): make them agree.").format(
            charter_hour=_hour(charter["offline_from"]), chosen_hour=_hour(offline_from)))
    network = _NETWORK_BY_WORD.get(typed_word(work_network)) if type(work_network) is str else None
    if work_network is Ellipsis:
        problems.append(_("Answer `my_work_network` above first (replace its ... and run that cell)."))
    elif network is None:
        problems.append(_("`my_work_network` should be one of {networks}, in quotes.").format(
            networks=", ".join(f'"{n}"' for n in NETWORKS)))
    elif charter["networks"].get(network) != "work":
        problems.append(_('You chose {network} for work contacts (`my_work_network`), but your charter marks it '
                          '"{audience}": make them agree.').format(
            network=network, audience=charter["networks"].get(network)))
    if posts_colleague_photos is Ellipsis:
        problems.append(_("Answer `i_post_colleague_photos` above first: True or False."))
    elif type(posts_colleague_photos) is not bool:
        problems.append(_("`i_post_colleague_photos` should be True or False, without quotes."))
    elif posts_colleague_photos and "consent_photos" not in charter["rules"]:
        problems.append(_("You will post photos of colleagues or clients (`i_post_colleague_photos`), so keep the "
                          'rule "consent_photos" (Code civil art. 9), or change that choice.'))
    return problems


def check(charter, offline_from, work_network, posts_colleague_photos) -> None:
    """Module 7's visible check: fail with plain words unless the charter is complete and
    agrees with the learner's choices (offline hours, work network, photos)."""
    __tracebackhide__ = True
    from .check import AnswerError, answered

    answered(charter, "my_charter")
    if type(charter) is not dict:
        raise AnswerError(_("`my_charter` should be the dictionary of the answer cell, in curly brackets "
                            "{...}: run that cell again as it is, with your choices in place of the ...")) from None
    problems = charter_problems(charter)
    if problems:
        raise AnswerError(_("Your charter is not complete yet.") + " " + " ".join(problems[:3])) from None
    problems = choice_problems(charter, offline_from, work_network, posts_colleague_photos)
    if problems:
        raise AnswerError(" ".join(problems)) from None


class Note:
    """A plain sentence a cell shows instead of a document or a chart."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def show(charter, folder: str | Path | None = None):
    """Save the charter as my_charter.html (a page to print) and my_charter.md next to the
    notebook, and return it as Markdown to show, with a sentence saying where it is and how
    to print it; if it is not complete, a plain sentence saying so.

    "Next to the notebook" is the kernel's working folder, which in JupyterLab is the
    notebook's folder (`folder` overrides it). Nothing is saved while the notebook is
    graded (nbgrader or `course grade` set NBGRADER_EXECUTION): a grader's copy is not
    the learner's."""
    if type(charter) is not dict or charter_problems(charter):
        return Note(_("Your charter is not complete yet: finish `my_charter` (the check under it says what is "
                      "missing), then run this cell again."))
    from IPython.display import Markdown

    from .charts import while_grading

    body = to_markdown(charter)
    if while_grading():
        return Markdown(_("*Not saved while the notebook is graded: run this cell in your own notebook to save "
                          "your charter.*") + "\n\n" + body)
    where = _("next to this notebook") if folder is None else _("in {folder}").format(folder=folder)
    folder = Path.cwd() if folder is None else Path(folder)
    try:
        for fmt in ("html", "md"):
            export(charter, folder, fmt)
    except OSError as error:
        return Markdown(_("*Your charter could not be saved {where} ({error}). Copy it from "
                          "below into a document of your own.*").format(where=where, error=error.strerror or error)
                        + "\n\n" + body)
    return Markdown(_("*Saved {where} as **my_charter.html** (to print) and **my_charter.md**. To print it: open "
                      "my_charter.html from the file browser on the left (right-click it, then Open in New "
                      "Browser Tab) and print it from your browser.*").format(where=where) + "\n\n" + body)


def _offline_sentence(charter: dict) -> str:
    return _("I stop reading work messages at {start} and start again at {end}, and not at the weekend.").format(
        start=_hour(charter["offline_from"]), end=_hour(charter["offline_until"]))


def _complete(charter: dict) -> dict:
    """The charter, normalised, for a document; ValueError if it is not complete (a caller's mistake:
    `show` only makes documents of complete charters)."""
    problems = charter_problems(charter)
    if problems:
        raise ValueError(_("The charter is not complete yet:") + " " + " ".join(problems))
    return normalised(charter)


def to_markdown(charter: dict, title: str | None = None) -> str:
    """The charter as a Markdown document, in the learner's language."""
    charter = _complete(charter)
    lines = [f"# {title or _('My social media charter')}", "", "## " + _("My networks and who they are for"), ""]
    for net, audience in charter["networks"].items():
        line = _("{network}: {audience}").format(network=f"**{net}**", audience=_(AUDIENCE_WORDS[audience]))
        lines.append(f"- {line}")
    lines += ["", "## " + _("My rules"), ""]
    lines += [f"- {_(RULES[r])}" for r in charter["rules"]]
    lines += ["", "## " + _("My offline hours"), "", _offline_sentence(charter)]
    if charter["own_words"]:
        lines += ["", "## " + _("In my own words"), "", charter["own_words"]]
    return "\n".join(lines) + "\n"


def to_html(charter: dict, title: str | None = None) -> str:
    """The same document as to_markdown, as a standalone HTML page."""
    charter = _complete(charter)
    from markupsafe import Markup

    # One line per network, "<b>LinkedIn</b>: work": markup of the course's own around names
    # and words from fixed lists, each escaped by Markup.format.
    networks = [Markup(_("{network}: {audience}")).format(network=Markup("<b>{}</b>").format(net),
                                                           audience=_(AUDIENCE_WORDS[a]))
                for net, a in charter["networks"].items()]
    return render("charter/page.html", title=title or _("My social media charter"), own_words=charter["own_words"],
                  networks=networks,
                  rules=[_(RULES[r]) for r in charter["rules"]], offline=_offline_sentence(charter))


def export(charter: dict, folder: str | Path, fmt: str = "md") -> Path:
    """Write the charter as my_charter.md (fmt="md") or my_charter.html into `folder`."""
    if fmt not in ("md", "html"):
        raise ValueError('fmt should be "md" or "html".')
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"my_charter.{fmt}"
    path.write_text(to_markdown(charter) if fmt == "md" else to_html(charter), encoding="utf-8")
    return path
