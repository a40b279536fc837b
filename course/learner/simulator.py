"""The privacy-settings simulator: ipywidgets controls over the visibility model.

One panel per network with the controls that network really has, named as it names them,
a post composer (network, tags, location, photo) and a live view of who can see the post:
a table per audience group, a chart of how far the post goes (your contacts, then the
friends a tag adds, where a screenshot can travel, the public) and the people at risk named.

On Facebook the tag controls follow who owns each setting: the people you tag decide, with
their own setting, whether their friends are added to your post's audience; your tag review
only holds the tags that other people add to your posts.

`build_simulator()` returns the widget and never displays it: the notebook does. Everything
the widget shows comes from `render(settings)`, a plain function of a plain settings dict,
and the chart draws `reach(result)`, a plain function of the model's result: both are
tested without a browser.

Layout: the widget is read in JupyterLab at 1280 to 1920 px, file browser open or closed,
so nothing has a fixed pixel width. Rows wrap (`flex_flow="row wrap"`), grids use
`minmax(..., 1fr)` columns, labels sit above their control and wrap, controls take the
width of their column, and the chart's image follows its container's width.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image

from ..templates import render as render_template
from .language import _, language
from .visibility import (FACEBOOK_LISTS, GROUPS, LINKEDIN_MEMBERS, NETWORK_NAMES, TAGGED_FRIENDS,
                         TAGGED_FRIENDS_PENDING, ContactBook, SettingsError, Visibility, alex_contacts,
                         explain, who_can_see)
from .visibility.model import LIST_WORDS, group_words

CAN_SEE_COLOUR = "#c0392b"
CONNECTED_COLOUR = "#d5d8dc"
TAGGED_COLOUR = "#e67e22"
SCREENSHOT_COLOUR = "#8e44ad"
PUBLIC_COLOUR = "#7b241c"
MEMBERS_COLOUR = "#2471a3"


def who_options() -> list[tuple[str, str]]:
    """The groups and Facebook lists a post can leave out or be shared with: (label, value)."""
    return [(group_words(g), g) for g in GROUPS] + \
           [(_("list: {name}").format(name=_(LIST_WORDS[name])), name) for name in FACEBOOK_LISTS]


# Instagram's "Share to": where the post goes, and whether only Close Friends see it
# (stories since 2018; feed posts and reels since 2023).
INSTAGRAM_SHARE_TO = {"feed": ("post", "followers"), "reel": ("reel", "followers"),
                      "story": ("story", "followers"), "close_friends_feed": ("post", "close_friends"),
                      "close_friends_reel": ("reel", "close_friends"),
                      "close_friends_story": ("story", "close_friends")}
ANYONE = "anyone"
MEMBERS = "LinkedIn members"


@dataclass(frozen=True)
class Reach:
    """How far a post goes, ring by ring: what the chart draws."""
    network: str
    can_see: dict[str, int]    # per contact group: contacts who can see the post
    connected: dict[str, int]  # per contact group: contacts on this network
    tagged_friends: int        # friends of tagged people the tags add to the audience now
    tagged_pending: int        # ... and once you approve the tags other people added
    screenshot_reach: int      # the viewers' own friends: where a screenshot can travel
    public: str                # ANYONE, MEMBERS (signed-in members of the network) or ""
    search_engines: bool

    @property
    def contacts(self) -> int:
        return sum(self.can_see.values())


def reach(result: Visibility) -> Reach:
    """The audiences of a post, from Alex's contacts out to the public, from the model's result."""
    public = ANYONE if result.public else MEMBERS if result.outside.get(LINKEDIN_MEMBERS) else ""
    return Reach(result.settings.network, dict(result.per_group), dict(result.connected),
                 int(result.outside.get(TAGGED_FRIENDS, 0) or 0),
                 int(result.outside.get(TAGGED_FRIENDS_PENDING, 0) or 0),
                 result.second_hand_reach, public, result.search_engines)


def reach_lines(r: Reach) -> list[tuple[str, str]]:
    """The chart's lower panel in words: (audience, how many), one per bar."""
    tagged = _count(r.tagged_friends) if r.tagged_friends else _("none")
    if r.tagged_pending:
        tagged += " " + _("(+{count} once you approve)").format(count=_count(r.tagged_pending))
    network = NETWORK_NAMES.get(r.network, r.network)
    anyone = (_("anyone, on or off {network}, and search engines") if r.search_engines
              else _("anyone, on or off {network}"))
    public = {ANYONE: anyone.format(network=network),
              MEMBERS: _("every signed-in {network} member").format(network=network)}.get(r.public, _("no"))
    return [(_("friends of tagged people"), tagged),
            (_("screenshot reach"), _("up to {count}").format(count=_count(r.screenshot_reach))
             if r.screenshot_reach else _("none")),
            (_("the public"), public)]


def _count(n: int) -> str:
    """A count of people as the learner writes it: 1,234 in English, 1 234 in French."""
    return f"{n:,}".replace(",", "\u202f") if language() == "fr" else f"{n:,}"


class VisibilityChart:
    """Two panels drawn once and then only updated (redrawing a matplotlib figure from
    scratch would cost most of the redraw budget): your contacts per group, on one scale
    for every network so that switching networks compares like with like; then the
    audiences beyond them, on a scale where each step is ten times more people."""

    EVERYONE = 300_000  # where the public's bar ends: past any count of people the model makes
    BASE = 0.5          # bars start here on the log scale, so that a count of 1 shows

    def __init__(self, scale: int = 20) -> None:
        self.scale = scale
        self.figure = Figure(figsize=(5.6, 5.4), dpi=100)
        FigureCanvasAgg(self.figure)
        top, bottom = self.figure.subplots(2, 1, gridspec_kw={"height_ratios": [len(GROUPS), 3.6]})
        labels = [group_words(g) for g in GROUPS]
        zeros = [0] * len(GROUPS)
        self.connected_bars = top.barh(labels, zeros, color=CONNECTED_COLOUR, label=_("on this network"))
        self.visible_bars = top.barh(labels, zeros, color=CAN_SEE_COLOUR, height=0.5, label=_("can see the post"))
        top.invert_yaxis()
        top.xaxis.set_major_locator(MaxNLocator(integer=True))
        top.tick_params(labelsize=9)
        top.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2, fontsize=8.5, frameon=False)
        self.top = top
        rows = [_("friends of\ntagged people"), _("screenshot\nreach"), _("the public")]
        self.beyond_bars = bottom.barh(rows, [0, 0, 0], left=self.BASE,
                                       color=[TAGGED_COLOUR, SCREENSHOT_COLOUR, PUBLIC_COLOUR])
        self.pending_bar = bottom.barh(rows[:1], [0], left=self.BASE, color="white", edgecolor=TAGGED_COLOUR,
                                       hatch="///", linewidth=0.8)[0]
        bottom.invert_yaxis()
        bottom.set_xscale("log")
        bottom.set_xlim(self.BASE, self.EVERYONE)
        bottom.set_xticks([1, 10, 100, 1000, 10000, 100000], [_count(n) for n in (1, 10, 100, 1000, 10000, 100000)])
        bottom.tick_params(labelsize=9)
        bottom.set_xlabel(_("people beyond your contacts (each step: 10 times more)"), fontsize=9)
        self.beyond_texts = [bottom.text(1, i, "", va="center", fontsize=8.5) for i in range(3)]
        self.bottom = bottom
        # Lay out with the longest titles in place, so later ones are not cut off.
        self.title = top.set_title(_chart_title("Facebook", "00", ANYONE), fontsize=10)
        bottom.set_title(_("Beyond your contacts"), fontsize=10)
        self.figure.tight_layout(h_pad=0.6)

    def png(self, result: Visibility | None) -> bytes:
        r = reach(result) if result is not None else None
        connected = [r.connected[g] if r else 0 for g in GROUPS]
        can_see = [r.can_see[g] if r else 0 for g in GROUPS]
        for bar, n in zip(self.connected_bars, connected):
            bar.set_width(n)
        for bar, n in zip(self.visible_bars, can_see):
            bar.set_width(n)
        self.top.set_xlim(0, max(connected + [self.scale]))
        if r is None:
            self.title.set_text(_("Settings not valid yet"))
            counts, lines = [0, 0, 0], [("", "")] * 3
        else:
            self.title.set_text(_chart_title(NETWORK_NAMES.get(r.network, r.network), r.contacts, r.public))
            counts = [r.tagged_friends, r.screenshot_reach, self.EVERYONE if r.public else 0]
            lines = reach_lines(r)
        self.beyond_bars[2].set_color(MEMBERS_COLOUR if r and r.public == MEMBERS else PUBLIC_COLOUR)
        for bar, n in zip(self.beyond_bars, counts):
            bar.set_width(max(n - self.BASE, 0) if n else 0)
        pending = r.tagged_pending if r else 0
        self.pending_bar.set_x(self.BASE + self.beyond_bars[0].get_width())
        self.pending_bar.set_width(pending)
        for i, (text, n, (_audience, words)) in enumerate(zip(self.beyond_texts, counts, lines)):
            end = self.BASE + n + (pending if i == 0 else 0)
            inside = n >= self.EVERYONE
            # A count's words go after its bar; the public's, inside its full-width bar.
            text.set_position((1.2 if inside else max(end * 1.25, 0.7), i))
            text.set_text(words)
            text.set_color("white" if inside else "#222222")
        # Drawing on the canvas and encoding with light compression costs half of savefig.
        canvas = self.figure.canvas
        canvas.draw()
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def _chart_title(network: str, contacts: int | str, public: str) -> str:
    if public == ANYONE:
        title = _("{network}: {count} of your contacts + the public")
    elif public == MEMBERS:
        title = _("{network}: {count} of your contacts + LinkedIn members")
    else:
        title = _("{network}: {count} of your contacts")
    return title.format(network=network, count=contacts)


@dataclass(frozen=True)
class View:
    """Everything the simulator shows for one set of settings."""
    summary: str       # one line: how many can see it
    table_html: str    # who can see it, per audience group
    at_risk_html: str  # manager, clients, competitors, the public: named
    notes_html: str    # what the settings do that is easy to miss, and the screenshot limit
    chart_png: bytes
    result: Visibility | None


TABLE_STYLE = ("<style>.course-sim-table{border-collapse:collapse;line-height:1.4}"
               ".course-sim-table th,.course-sim-table td{padding:2px 8px;border-bottom:1px solid #e5e7e9}"
               ".course-sim-table td{text-align:right}.course-sim-table tbody th{text-align:left}</style>")


def table_html(result: Visibility) -> str:
    """Who can see the post, one row per contact group (no empty header row)."""
    table = result.table()
    head = "".join(f"<th>{html.escape(_(str(c)))}</th>" for c in table.columns)
    rows = "".join(f"<tr><th>{html.escape(group_words(str(g)))}</th>"
                   + "".join(f"<td>{int(n)}</td>" for n in row) + "</tr>\n"
                   for g, row in zip(table.index, table.itertuples(index=False)))
    group = html.escape(_("group"))
    return (f'{TABLE_STYLE}\n<table class="course-sim-table">\n<thead><tr><th>{group}</th>{head}</tr></thead>\n'
            f"<tbody>\n{rows}</tbody>\n</table>")


def render(settings: dict, chart: VisibilityChart | None = None, contacts: ContactBook | None = None) -> View:
    """What the simulator shows for `settings` (a dict as `who_can_see` takes)."""
    chart = chart or VisibilityChart()
    try:
        result = who_can_see(settings, contacts)
    except SettingsError as err:
        return View(_("Settings not valid yet"), "", render_template("simulator/invalid.html", message=str(err)),
                    "", chart.png(None), None)
    outside = [_("{audience}: {count}").format(audience=_(k),
                                               count=_("yes") if v is True else _(v) if type(v) is str else v)
               for k, v in result.outside.items() if v]
    summary = (_("{count} of your contacts can see this post; outside your contacts: {outside}") if outside
               else _("{count} of your contacts can see this post; nobody outside your contacts")).format(
        count=len(result.viewers), outside=", ".join(outside))
    risk = result.at_risk() or [_("Nobody on the watch list (manager, clients, competitors, recruiters, the public).")]
    forwarding = [_("Anyone who sees it can screenshot it and pass it on: up to about "
                    "{count} people through your viewers' own friends.").format(count=result.second_hand_reach)
                  ] if result.viewers else []
    return View(summary, table_html(result), render_template("simulator/at_risk.html", lines=risk),
                render_template("simulator/notes.html", lines=[*result.notes, *forwarding],
                                explanation=explain(result)),
                chart.png(result), result)


def settings_from_controls(network: str, panels: dict[str, dict], tags: tuple, location: bool, photo: bool) -> dict:
    """The settings dict the controls describe; only the chosen network's panel counts.
    `panels`: network -> {control name: value}."""
    settings: dict = {"network": network, "tags": list(tags), "location": location, "photo": photo}
    panel = panels[network]
    if network == "facebook":
        audience = panel["audience"]
        settings["audience"] = audience
        settings["tagged_person_adds"] = panel["tagged_person_adds"]
        settings["tag_review"] = panel["tag_review"]
        settings["tags_by_others"] = list(panel["tags_by_others"])
        if audience in ("friends_except", "custom"):
            settings["except"] = list(panel["except"])
        if audience in ("specific_friends", "custom"):
            settings["specific"] = list(panel["specific"])
        if audience == "group":
            settings["members"] = list(panel["specific"])
            settings["group_privacy"] = panel["group_privacy"]
            settings["group_visibility"] = panel["group_visibility"]
    elif network == "instagram":
        settings["account"] = "private" if panel["private"] else "public"
        settings["format"], settings["audience"] = INSTAGRAM_SHARE_TO[panel["share_to"]]
    elif network == "x":
        settings["protected"] = panel["protected"]
    elif network == "linkedin":
        settings.update(audience=panel["audience"], public_profile=panel["public_profile"],
                        show_connections=panel["show_connections"])
    elif network == "tiktok":
        settings.update(account="private" if panel["private"] else "public", audience=panel["audience"])
    elif network == "whatsapp":
        settings["audience"] = panel["audience"]
        if panel["audience"] == "my_contacts_except":
            settings["except"] = list(panel["except"])
        if panel["audience"] == "only_share_with":
            settings["specific"] = list(panel["specific"])
    return settings


# Which controls matter for each audience (the others are hidden, as in the apps, where
# choosing "Friends except..." or "My contacts except..." opens the list to pick from).
SHOWN_WITH = {
    "facebook": {"except": ("friends_except", "custom"), "specific": ("specific_friends", "custom", "group"),
                 "group_privacy": ("group",), "group_visibility": ("group",)},
    "whatsapp": {"except": ("my_contacts_except",), "specific": ("only_share_with",)},
}


def _prose(markup: str) -> str:
    """Text that wraps at a reading line height (a widget's HTML otherwise spaces lines
    like one-line controls)."""
    return f'<div style="line-height:1.4">{markup}</div>' if markup else ""


def _label(text: str) -> widgets.HTML:
    """A control's label, above it: it wraps instead of being cut, and never squeezes the control."""
    return widgets.HTML(f'<span style="line-height:1.3;display:inline-block">{html.escape(text)}</span>',
                        layout=widgets.Layout(width="auto", margin="4px 2px 0 2px"))


def _field(text: str, control: widgets.Widget, name: str) -> widgets.VBox:
    """A labelled control that takes the whole width of its column, whatever that is."""
    control.layout.width = "auto"
    control.add_class(f"course-sim-{name}")
    return widgets.VBox([_label(text), control], layout=widgets.Layout(min_width="0", width="auto"))


def _tick(text: str, value: bool, name: str) -> widgets.Checkbox:
    box = widgets.Checkbox(description=text, value=value, indent=False, layout=widgets.Layout(width="auto"))
    box.add_class(f"course-sim-{name}")
    return box


def _grid(children: list, column: str = "220px") -> widgets.GridBox:
    """Children in as many columns of at least `column` as the width allows, one when narrow."""
    return widgets.GridBox(children, layout=widgets.Layout(
        grid_template_columns=f"repeat(auto-fill, minmax(min({column}, 100%), 1fr))", grid_gap="4px 16px",
        align_items="flex-start", width="100%"))


def _wrap(children: list, **layout) -> widgets.HBox:
    """A row whose items go to the next line when they do not fit side by side (`grid_gap`
    is CSS's gap, which flex rows honour too)."""
    return widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start",
                                                        width="100%", **layout))


class PrivacySimulator(widgets.VBox):
    """The simulator widget. Its controls and outputs are attributes, so tests (and
    curious learners) can set `.value` and read what changed."""

    def __init__(self, contacts: ContactBook | None = None) -> None:
        self.contacts = contacts or alex_contacts()
        largest_group = max(sum(1 for c in self.contacts.contacts if c.group == g) for g in GROUPS)
        self.chart = VisibilityChart(scale=largest_group)
        names = [c.name for c in self.contacts.contacts]
        self.network = widgets.Dropdown(options=[(n, k) for k, n in NETWORK_NAMES.items()], value="facebook")
        self.tags = widgets.SelectMultiple(options=names, rows=4)
        # Every label is the platform's own words, as its app shows them in the learner's language.
        self.location = _tick(_("Add location"), False, "location")
        self.photo = _tick(_("Photo"), True, "photo")
        self.facebook = {
            "audience": widgets.Dropdown(value="friends", options=[
                (_("Public"), "public"), (_("Friends"), "friends"), (_("Friends except..."), "friends_except"),
                (_("Specific friends"), "specific_friends"), (_("Only me"), "only_me"), (_("Custom"), "custom"),
                (_("In a group"), "group")]),
            "except": widgets.SelectMultiple(options=who_options(), rows=5),
            "specific": widgets.SelectMultiple(options=who_options(), rows=5),
            "tagged_person_adds": widgets.Dropdown(value="friends", options=[
                (_("Friends (Facebook's default)"), "friends"), (_("Only me"), "only_me")]),
            "tag_review": _tick(_("Your tag review"), False, "facebook-tag_review"),
            "tags_by_others": widgets.SelectMultiple(options=names, rows=3),
            "group_privacy": widgets.Dropdown(options=[(_("Public"), "public"), (_("Private"), "private")],
                                              value="private"),
            "group_visibility": widgets.Dropdown(options=[(_("Visible"), "visible"), (_("Hidden"), "hidden")],
                                                 value="visible"),
        }
        self.instagram = {
            "private": _tick(_("Private account"), False, "instagram-private"),
            "share_to": widgets.Dropdown(value="feed", options=[
                (_("Feed post"), "feed"), (_("Reel"), "reel"), (_("Your story"), "story"),
                (_("Feed post, Close Friends only"), "close_friends_feed"),
                (_("Reel, Close Friends only"), "close_friends_reel"),
                (_("Story, Close Friends only"), "close_friends_story")]),
        }
        self.x = {"protected": _tick(_("Protect your posts"), False, "x-protected")}
        self.linkedin = {
            "audience": widgets.Dropdown(value="anyone", options=[(_("Anyone"), "anyone"),
                                                                  (_("Connections only"), "connections")]),
            "public_profile": _tick(_("Public profile visible off LinkedIn"), True, "linkedin-public_profile"),
            "show_connections": widgets.Dropdown(value=True, options=[(_("Your connections"), True),
                                                                     (_("Only you"), False)]),
        }
        self.tiktok = {
            "private": _tick(_("Private account"), False, "tiktok-private"),
            "audience": widgets.Dropdown(value="everyone", options=[
                (_("Everyone"), "everyone"), (_("Followers"), "followers"), (_("Friends"), "friends"),
                (_("Only you"), "only_you")]),
        }
        # WhatsApp Status: its "Status privacy" choices; the lists name groups, then the
        # contacts who have Alex's number and whose number Alex saved (no Facebook lists).
        on_whatsapp = [(group_words(g), g) for g in GROUPS] + \
                      [(c.name, c.name) for c in self.contacts.on("whatsapp")]
        self.whatsapp = {
            "audience": widgets.Dropdown(value="my_contacts", options=[
                (_("My contacts"), "my_contacts"), (_("My contacts except..."), "my_contacts_except"),
                (_("Only share with..."), "only_share_with")]),
            "except": widgets.SelectMultiple(options=on_whatsapp, rows=5),
            "specific": widgets.SelectMultiple(options=on_whatsapp, rows=5),
        }
        labels = {
            "facebook": {"audience": _("Audience"), "except": _("Friends except... / Don't share with"),
                         "specific": _("Specific friends / Share with / Group members"),
                         "tagged_person_adds": _("Tagged people's own setting: who a tag adds"),
                         "tags_by_others": _("A friend tags in your post"),
                         "group_privacy": _("Group privacy"), "group_visibility": _("Group visibility")},
            "instagram": {"share_to": _("Share to")},
            "linkedin": {"audience": _("Who can see your post?"),
                         "show_connections": _("Who can see your connections")},
            "tiktok": {"audience": _("Who can watch this video")},
            "whatsapp": {"audience": _("Status privacy"), "except": _("My contacts except..."),
                         "specific": _("Only share with...")},
        }
        tag_review_help = widgets.HTML('<small style="line-height:1.3;display:inline-block">'
                                       + _("holds the tags <i>others</i> add to your posts") + "</small>",
                                       layout=widgets.Layout(width="auto"))
        self.fields: dict[str, dict[str, widgets.Widget]] = {}
        panels = []
        for network in NETWORK_NAMES:
            controls = getattr(self, network)
            fields = {}
            for name, control in controls.items():
                text = labels.get(network, {}).get(name)
                fields[name] = _field(text, control, f"{network}-{name}") if text else control
            self.fields[network] = fields
            children = list(fields.values())
            if network == "facebook":
                review = widgets.VBox([fields["tag_review"], tag_review_help], layout=widgets.Layout(width="auto"))
                children = [review if f is fields["tag_review"] else f for f in children]
                children.append(widgets.HTML(_prose(render_template("simulator/tags_help.html")),
                                             layout=widgets.Layout(width="auto", grid_column="1 / -1")))
            panels.append(_grid(children))
        self.panels = widgets.Stack(panels, selected_index=0, layout=widgets.Layout(width="100%"))
        self.summary = widgets.HTML(layout=widgets.Layout(width="auto"))
        self.table = widgets.HTML(layout=widgets.Layout(flex="0 1 auto", min_width="0"))
        # The chart follows its column's width, up to the size it is drawn at.
        width, _height = self.chart.figure.canvas.get_width_height()
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            width="100%", max_width=f"{width}px", height="auto", margin="0", object_fit="contain"))
        chart_box = widgets.Box([self.image], layout=widgets.Layout(flex=f"1 1 {width * 3 // 4}px", min_width="0"))
        self.at_risk = widgets.HTML(layout=widgets.Layout(flex="1 1 280px", min_width="0"))
        self.notes = widgets.HTML(layout=widgets.Layout(flex="2 1 320px", min_width="0"))
        for w in (self.summary, self.table, self.at_risk, self.notes):
            w.add_class("course-sim-text")
        post = widgets.VBox([widgets.HTML("<b>" + html.escape(_("Post")) + "</b>"),
                             _field(_("Network"), self.network, "network"),
                             _field(_("Tag people"), self.tags, "tags"), _wrap([self.location, self.photo])],
                            layout=widgets.Layout(flex="1 1 200px", min_width="0"))
        settings = widgets.VBox([widgets.HTML("<b>" + html.escape(_("Settings")) + "</b>"), self.panels],
                                layout=widgets.Layout(flex="3 1 460px", min_width="0"))
        view = widgets.VBox([self.summary, _wrap([self.table, chart_box], grid_gap="8px 16px"),
                             _wrap([self.at_risk, self.notes], grid_gap="0 16px")],
                            layout=widgets.Layout(flex="1 1 480px", min_width="0"))
        controls = _wrap([post, settings], grid_gap="0 16px", flex="1 1 480px", min_width="0")
        super().__init__([_wrap([controls, view], grid_gap="12px 24px")], layout=widgets.Layout(width="100%"))
        self.add_class("course-simulator")
        for control in self._controls():
            control.observe(self._on_change, names="value")
        self.redraw()

    def _controls(self) -> list[widgets.ValueWidget]:
        panels = [w for network in NETWORK_NAMES for w in getattr(self, network).values()]
        return [self.network, self.tags, self.location, self.photo, *panels]

    def settings(self) -> dict:
        panels = {network: {k: w.value for k, w in getattr(self, network).items()} for network in NETWORK_NAMES}
        return settings_from_controls(self.network.value, panels, self.tags.value, self.location.value,
                                      self.photo.value)

    def _on_change(self, _change: dict) -> None:
        self.redraw()

    def _show_relevant_fields(self) -> None:
        for network, shown_with in SHOWN_WITH.items():
            audience = getattr(self, network)["audience"].value
            for name, audiences in shown_with.items():
                self.fields[network][name].layout.display = None if audience in audiences else "none"

    def redraw(self) -> View:
        self.panels.selected_index = list(NETWORK_NAMES).index(self.network.value)
        self._show_relevant_fields()
        view = render(self.settings(), self.chart, self.contacts)
        self.summary.value = render_template("simulator/summary.html", summary=view.summary)
        self.table.value = view.table_html
        self.image.value = view.chart_png
        self.at_risk.value = _prose(view.at_risk_html)
        self.notes.value = _prose(view.notes_html)
        return view


def build_simulator(contacts: ContactBook | None = None) -> PrivacySimulator:
    """The simulator widget, ready for the notebook to display."""
    return PrivacySimulator(contacts)
