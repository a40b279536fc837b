"""The privacy-settings simulator: ipywidgets controls over the visibility model.

One panel per network with the controls that network really has, named as it names them,
a post composer (network, tags, location, photo) and a live view of who can see the post:
a table and a bar chart per audience group, and the people at risk named.

On Facebook the tag controls follow who owns each setting: the people you tag decide, with
their own setting, whether their friends are added to your post's audience; your tag review
only holds the tags that other people add to your posts.

`build_simulator()` returns the widget and never displays it: the notebook does. Everything
the widget shows comes from `render(settings)`, a plain function of a plain settings dict,
so it is tested and timed without a browser.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from ..templates import render as render_template
from .visibility import (FACEBOOK_LISTS, GROUPS, NETWORK_NAMES, ContactBook, SettingsError,
                         Visibility, alex_contacts, explain, who_can_see)

CAN_SEE_COLOUR = "#c0392b"
CONNECTED_COLOUR = "#d5d8dc"
WHO_OPTIONS = [(g.replace("_", " "), g) for g in GROUPS] + \
              [(f"list: {name.replace('_', ' ').title()}", name) for name in FACEBOOK_LISTS]
# Instagram's "Share to": where the post goes, and whether only Close Friends see it
# (stories since 2018; feed posts and reels since 2023).
INSTAGRAM_SHARE_TO = {"feed": ("post", "followers"), "reel": ("reel", "followers"),
                      "story": ("story", "followers"), "close_friends_feed": ("post", "close_friends"),
                      "close_friends_reel": ("reel", "close_friends"),
                      "close_friends_story": ("story", "close_friends")}


class VisibilityChart:
    """A bar chart per audience group, drawn once and then only updated: redrawing a
    matplotlib figure from scratch would cost most of the redraw budget."""

    def __init__(self, scale: int = 20) -> None:
        # One scale for every network, so that switching networks compares like with like.
        self.scale = scale
        self.figure = Figure(figsize=(5.2, 3.2), dpi=80)
        FigureCanvasAgg(self.figure)
        ax = self.figure.add_subplot()
        labels = [g.replace("_", " ") for g in GROUPS]
        zeros = [0] * len(GROUPS)
        self.connected_bars = ax.barh(labels, zeros, color=CONNECTED_COLOUR, label="on this network")
        self.visible_bars = ax.barh(labels, zeros, color=CAN_SEE_COLOUR, height=0.5, label="can see the post")
        ax.invert_yaxis()
        ax.set_xlabel("contacts")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=8, frameon=False)
        self.axes = ax
        # Lay out with a title in place, so later titles are not cut off.
        self.title = ax.set_title("Facebook: 00 contacts + the public")
        self.figure.tight_layout()

    def png(self, result: Visibility | None) -> bytes:
        connected = [result.connected[g] if result else 0 for g in GROUPS]
        can_see = [result.per_group[g] if result else 0 for g in GROUPS]
        for bar, n in zip(self.connected_bars, connected):
            bar.set_width(n)
        for bar, n in zip(self.visible_bars, can_see):
            bar.set_width(n)
        self.axes.set_xlim(0, max(connected + [self.scale]))
        if result is None:
            self.title.set_text("Settings not valid yet")
        else:
            extra = " + the public" if result.public else ""
            self.title.set_text(f"{NETWORK_NAMES[result.settings.network]}: {len(result.viewers)} contacts{extra}")
        # Drawing on the canvas and encoding with light compression costs half of savefig.
        canvas = self.figure.canvas
        canvas.draw()
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


@dataclass(frozen=True)
class View:
    """Everything the simulator shows for one set of settings."""
    summary: str       # one line: how many can see it
    table_html: str    # who can see it, per audience group
    at_risk_html: str  # manager, clients, competitors, the public: named
    notes_html: str    # what the settings do that is easy to miss, and the screenshot limit
    chart_png: bytes
    result: Visibility | None


def render(settings: dict, chart: VisibilityChart | None = None, contacts: ContactBook | None = None) -> View:
    """What the simulator shows for `settings` (a dict as `who_can_see` takes)."""
    chart = chart or VisibilityChart()
    try:
        result = who_can_see(settings, contacts)
    except SettingsError as err:
        return View("Settings not valid yet", "", render_template("simulator/invalid.html", message=str(err)),
                    "", chart.png(None), None)
    outside = [f"{k}: {'yes' if v is True else v}" for k, v in result.outside.items() if v]
    summary = f"{len(result.viewers)} of your contacts can see this post" + \
              (f"; outside your contacts: {', '.join(outside)}" if outside else "; nobody outside your contacts")
    risk = result.at_risk() or ["Nobody on the watch list (manager, clients, competitors, recruiters, the public)."]
    forwarding = [f"Anyone who sees it can screenshot it and pass it on: up to about "
                  f"{result.second_hand_reach} people through your viewers' own friends."] if result.viewers else []
    return View(summary, result.table().to_html(), render_template("simulator/at_risk.html", lines=risk),
                render_template("simulator/notes.html", lines=[*result.notes, *forwarding],
                                explanation=explain(result)),
                chart.png(result), result)


def settings_from_controls(network: str, facebook: dict, instagram: dict, x: dict, linkedin: dict,
                           tiktok: dict, tags: tuple, location: bool, photo: bool) -> dict:
    """The settings dict the controls describe; only the chosen network's panel counts."""
    settings: dict = {"network": network, "tags": list(tags), "location": location, "photo": photo}
    if network == "facebook":
        audience = facebook["audience"]
        settings["audience"] = audience
        settings["tagged_person_adds"] = facebook["tagged_person_adds"]
        settings["tag_review"] = facebook["tag_review"]
        settings["tags_by_others"] = list(facebook["tags_by_others"])
        if audience in ("friends_except", "custom"):
            settings["except"] = list(facebook["except"])
        if audience in ("specific_friends", "custom"):
            settings["specific"] = list(facebook["specific"])
        if audience == "group":
            settings["members"] = list(facebook["specific"])
            settings["group_privacy"] = facebook["group_privacy"]
            settings["group_visibility"] = facebook["group_visibility"]
    elif network == "instagram":
        settings["account"] = "private" if instagram["private"] else "public"
        settings["format"], settings["audience"] = INSTAGRAM_SHARE_TO[instagram["share_to"]]
    elif network == "x":
        settings["protected"] = x["protected"]
    elif network == "linkedin":
        settings.update(audience=linkedin["audience"], public_profile=linkedin["public_profile"],
                        show_connections=linkedin["show_connections"])
    elif network == "tiktok":
        settings.update(account="private" if tiktok["private"] else "public", audience=tiktok["audience"])
    return settings


class PrivacySimulator(widgets.VBox):
    """The simulator widget. Its controls and outputs are attributes, so tests (and
    curious learners) can set `.value` and read what changed."""

    def __init__(self, contacts: ContactBook | None = None) -> None:
        self.contacts = contacts or alex_contacts()
        largest_group = max(sum(1 for c in self.contacts.contacts if c.group == g) for g in GROUPS)
        self.chart = VisibilityChart(scale=largest_group)
        wide = {"description_width": "initial"}
        self.network = widgets.Dropdown(options=[(n, k) for k, n in NETWORK_NAMES.items()],
                                        value="facebook", description="Network", style=wide)
        self.tags = widgets.SelectMultiple(options=[c.name for c in self.contacts.contacts], rows=4,
                                           description="Tag people", style=wide)
        self.location = widgets.Checkbox(description="Add location", value=False)
        self.photo = widgets.Checkbox(description="Photo", value=True)
        self.facebook = {
            "audience": widgets.Dropdown(description="Audience", style=wide, value="friends", options=[
                ("Public", "public"), ("Friends", "friends"), ("Friends except...", "friends_except"),
                ("Specific friends", "specific_friends"), ("Only me", "only_me"), ("Custom", "custom"),
                ("In a group", "group")]),
            "except": widgets.SelectMultiple(options=WHO_OPTIONS, rows=5, style=wide,
                                             description="Friends except... / Don't share with"),
            "specific": widgets.SelectMultiple(options=WHO_OPTIONS, rows=5, style=wide,
                                               description="Specific friends / Share with / Group members"),
            "tagged_person_adds": widgets.Dropdown(
                description="Tagged people's own setting: who a tag adds", style=wide, value="friends",
                options=[("Friends (Facebook's default)", "friends"), ("Only me", "only_me")]),
            "tag_review": widgets.Checkbox(description="Your tag review: review tags others add to your posts",
                                           value=False, style=wide),
            "tags_by_others": widgets.SelectMultiple(options=[c.name for c in self.contacts.contacts], rows=3,
                                                     description="A friend tags in your post", style=wide),
            "group_privacy": widgets.Dropdown(options=[("Public", "public"), ("Private", "private")],
                                              value="private", description="Group privacy", style=wide),
            "group_visibility": widgets.Dropdown(options=[("Visible", "visible"), ("Hidden", "hidden")],
                                                 value="visible", description="Group visibility", style=wide),
        }
        self.instagram = {
            "private": widgets.Checkbox(description="Private account", value=False),
            "share_to": widgets.Dropdown(description="Share to", style=wide, value="feed", options=[
                ("Feed post", "feed"), ("Reel", "reel"), ("Your story", "story"),
                ("Feed post, Close Friends only", "close_friends_feed"),
                ("Reel, Close Friends only", "close_friends_reel"),
                ("Story, Close Friends only", "close_friends_story")]),
        }
        self.x = {"protected": widgets.Checkbox(description="Protect your posts", value=False)}
        self.linkedin = {
            "audience": widgets.Dropdown(description="Who can see your post?", style=wide, value="anyone",
                                         options=[("Anyone", "anyone"), ("Connections only", "connections")]),
            "public_profile": widgets.Checkbox(description="Public profile visible off LinkedIn", value=True),
            "show_connections": widgets.Dropdown(description="Who can see your connections", style=wide,
                                                 value=True, options=[("Your connections", True), ("Only you", False)]),
        }
        self.tiktok = {
            "private": widgets.Checkbox(description="Private account", value=False),
            "audience": widgets.Dropdown(description="Who can watch this video", style=wide, value="everyone",
                                         options=[("Everyone", "everyone"), ("Followers", "followers"),
                                                  ("Friends", "friends"), ("Only you", "only_you")]),
        }
        panels = {k: list(getattr(self, k).values()) for k in NETWORK_NAMES}
        panels["facebook"].append(widgets.HTML(render_template("simulator/tags_help.html")))
        self.panels = widgets.Stack([widgets.VBox(panels[k]) for k in NETWORK_NAMES], selected_index=0)
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.at_risk = widgets.HTML()
        self.notes = widgets.HTML()
        composer = widgets.VBox([widgets.HTML("<b>Post</b>"), self.network, self.tags, self.location,
                                 self.photo, widgets.HTML("<b>Settings</b>"), self.panels])
        view = widgets.VBox([self.summary, widgets.HBox([self.table, self.image]), self.at_risk, self.notes])
        super().__init__([widgets.HBox([composer, view])])
        for control in self._controls():
            control.observe(self._on_change, names="value")
        self.redraw()

    def _controls(self) -> list[widgets.ValueWidget]:
        panels = [*self.facebook.values(), *self.instagram.values(), *self.x.values(),
                  *self.linkedin.values(), *self.tiktok.values()]
        return [self.network, self.tags, self.location, self.photo, *panels]

    def settings(self) -> dict:
        def values(panel: dict) -> dict:
            return {k: w.value for k, w in panel.items()}
        return settings_from_controls(self.network.value, values(self.facebook), values(self.instagram),
                                      values(self.x), values(self.linkedin), values(self.tiktok),
                                      self.tags.value, self.location.value, self.photo.value)

    def _on_change(self, _change: dict) -> None:
        self.redraw()

    def redraw(self) -> View:
        self.panels.selected_index = list(NETWORK_NAMES).index(self.network.value)
        view = render(self.settings(), self.chart, self.contacts)
        self.summary.value = render_template("simulator/summary.html", summary=view.summary)
        self.table.value = view.table_html
        self.image.value = view.chart_png
        self.at_risk.value = view.at_risk_html
        self.notes.value = view.notes_html
        return view


def build_simulator(contacts: ContactBook | None = None) -> PrivacySimulator:
    """The simulator widget, ready for the notebook to display."""
    return PrivacySimulator(contacts)
