"""Your personal usage charter: a form to fill in, a plain dict, a readable document.

A charter says, for each network, which audience it is for (work, private life, or not
used), which rules you keep, and when you stop reading work messages. The form
(`build_charter_form()`, an ipywidgets VBox, returned and never displayed here) shows
the charter as a dict you can copy into a notebook cell; `make_charter` builds that
dict from plain values, `charter_problems` says what is missing or contradictory, and
`to_markdown` / `to_html` / `export` turn it into a document to keep.
"""

from __future__ import annotations

import pprint
from pathlib import Path

import ipywidgets as widgets

from ..templates import render

NETWORKS = ("LinkedIn", "Facebook", "Instagram", "X", "TikTok", "WhatsApp")
AUDIENCES = ("work", "private", "not used")
KEYS = ("networks", "rules", "offline_from", "offline_until", "own_words")
MIN_RULES = 3
AUDIENCE_WORDS = {"work": "work", "private": "private life", "not used": "not used"}

RULES = {
    "consent_photos": "I ask before I post a photo of a colleague, a client or a friend, for that photo.",
    "no_internal_info": "I never post internal information about my company or its clients, "
                        "not even to friends only.",
    "no_live_travel": "I share trips after I am back: no dates in advance, no boarding passes.",
    "no_location": "I remove the location from photos I send, and turn off live location sharing.",
    "courtesy": "I stay courteous: I criticise ideas, never people, and I never insult anyone.",
    "own_opinions": "When I give an opinion, I speak for myself, not for my employer.",
    "quiet_hours": "I do not read or send work messages outside my working hours.",
    "review_settings": "I review my privacy settings and connected apps twice a year.",
    "secure_accounts": "Each account has its own passphrase and multi-factor authentication.",
    "personal_email": "My personal accounts use my personal email; company data stays in company tools.",
}


def _hour(h: int) -> str:
    return f"{h:02d}:00"


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


def charter_problems(charter: dict) -> list[str]:
    """What is missing or contradictory in a charter, in plain words (empty: complete)."""
    if type(charter) is not dict:
        return ["The charter should be a dictionary, as shown under the form."]
    missing = [k for k in KEYS if k not in charter]
    if missing:
        return [f"The charter has no {k!r} entry." for k in missing]
    problems = []
    networks = charter["networks"]
    if type(networks) is not dict:
        problems.append('"networks" should be a dictionary: {"LinkedIn": "work", ...}.')
    else:
        for net in NETWORKS:
            if net not in networks:
                problems.append(f"Say what {net} is for: \"work\", \"private\" or \"not used\".")
            elif networks[net] not in AUDIENCES:
                problems.append(f"{net}: {networks[net]!r} is not one of \"work\", \"private\", \"not used\".")
        unknown = [n for n in networks if n not in NETWORKS]
        if unknown:
            problems.append(f"Unknown network(s) {', '.join(map(repr, unknown))}: use the names of the form.")
        if networks and all(networks.get(n) == "not used" for n in NETWORKS):
            problems.append("Every network is \"not used\": the charter needs at least one network you use.")
    rules = charter["rules"]
    if type(rules) is not list or not all(type(r) is str for r in rules):
        problems.append('"rules" should be a list of rule names in quotes.')
    else:
        unknown = [r for r in rules if r not in RULES]
        if unknown:
            problems.append(f"Unknown rule(s) {', '.join(map(repr, unknown))}: copy the names from the form.")
        if len(set(rules)) < MIN_RULES:
            problems.append(f"Choose at least {MIN_RULES} rules.")
    for key in ("offline_from", "offline_until"):
        value = charter[key]
        if type(value) is not int or not 0 <= value <= 23:
            problems.append(f'"{key}" should be an hour, a whole number from 0 to 23.')
    if charter["offline_from"] == charter["offline_until"]:
        problems.append("Your offline hours start and end at the same hour: that leaves no time offline.")
    if type(charter["own_words"]) is not str:
        problems.append('"own_words" should be a text in quotes (it may be empty).')
    return problems


def to_markdown(charter: dict, title: str = "My social media charter") -> str:
    problems = charter_problems(charter)
    if problems:
        raise ValueError("The charter is not complete yet: " + " ".join(problems))
    lines = [f"# {title}", "", "## My networks and who they are for", ""]
    for net, audience in charter["networks"].items():
        lines.append(f"- **{net}**: {AUDIENCE_WORDS[audience]}")
    lines += ["", "## My rules", ""]
    lines += [f"- {RULES[r]}" for r in charter["rules"]]
    lines += ["", "## My offline hours", "",
              f"I stop reading work messages at {_hour(charter['offline_from'])} "
              f"and start again at {_hour(charter['offline_until'])}, and not at the weekend."]
    if charter["own_words"]:
        lines += ["", "## In my own words", "", charter["own_words"]]
    return "\n".join(lines) + "\n"


def to_html(charter: dict, title: str = "My social media charter") -> str:
    """The same document as to_markdown, as a standalone HTML page."""
    problems = charter_problems(charter)
    if problems:
        raise ValueError("The charter is not complete yet: " + " ".join(problems))
    return render("charter/page.html", title=title, own_words=charter["own_words"],
                  networks=[(net, AUDIENCE_WORDS[a]) for net, a in charter["networks"].items()],
                  rules=[RULES[r] for r in charter["rules"]], offline_from=_hour(charter["offline_from"]),
                  offline_until=_hour(charter["offline_until"]))


def export(charter: dict, folder: str | Path, fmt: str = "md") -> Path:
    """Write the charter as my_charter.md (fmt="md") or my_charter.html into `folder`."""
    if fmt not in ("md", "html"):
        raise ValueError('fmt should be "md" or "html".')
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"my_charter.{fmt}"
    path.write_text(to_markdown(charter) if fmt == "md" else to_html(charter), encoding="utf-8")
    return path


def as_code(charter: dict) -> str:
    """The charter as a Python line to copy into a cell: `my_charter = {...}`."""
    return "my_charter = " + pprint.pformat(charter, sort_dicts=False, width=90)


class CharterForm(widgets.VBox):
    """The charter form: a dropdown per network, a checkbox per rule, offline hours and a
    text box; underneath, the charter as code to copy and what is still missing."""

    def __init__(self) -> None:
        hours = [(_hour(h), h) for h in range(24)]
        self.audience = {net: widgets.Dropdown(options=AUDIENCES, value="not used", description=net)
                         for net in NETWORKS}
        self.rule_boxes = {rid: widgets.Checkbox(value=False, description=text, indent=False,
                                                 layout=widgets.Layout(width="95%"))
                           for rid, text in RULES.items()}
        self.offline_from = widgets.Dropdown(options=hours, value=19, description="Offline from")
        self.offline_until = widgets.Dropdown(options=hours, value=8, description="until")
        self.own_words = widgets.Textarea(placeholder="A rule of your own, in your words (optional)",
                                          layout=widgets.Layout(width="95%"))
        self.preview = widgets.HTML()
        for control in [*self.audience.values(), *self.rule_boxes.values(),
                        self.offline_from, self.offline_until, self.own_words]:
            control.observe(self._refresh, names="value")
        super().__init__([
            widgets.HTML("<b>1. What is each network for?</b>"), *self.audience.values(),
            widgets.HTML("<b>2. The rules you keep</b>"), *self.rule_boxes.values(),
            widgets.HTML("<b>3. Your offline hours</b>"),
            widgets.HBox([self.offline_from, self.offline_until]),
            widgets.HTML("<b>4. In your own words</b>"), self.own_words,
            self.preview,
        ])
        self._refresh()

    def charter(self) -> dict:
        return make_charter({net: d.value for net, d in self.audience.items()},
                            [rid for rid, box in self.rule_boxes.items() if box.value],
                            self.offline_from.value, self.offline_until.value, self.own_words.value)

    def _refresh(self, _change=None) -> None:
        charter = self.charter()
        self.preview.value = render("charter/preview.html", problems=" ".join(charter_problems(charter)),
                                    code=as_code(charter))


def build_charter_form() -> CharterForm:
    """The charter form, not displayed: show it with display(form) or as a cell's last value."""
    return CharterForm()
