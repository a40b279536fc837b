"""The simulator without a browser: build the widget, set `.value` on a control (as
ipywidgets' own tests do), and check that what it shows changed."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

from course.learner.simulator import (ANYONE, MEMBERS, PrivacySimulator, VisibilityChart,  # noqa: E402
                                     build_simulator, reach, reach_lines, render, settings_from_controls)
from course.learner.visibility import NETWORK_NAMES, who_can_see  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def sim():
    return build_simulator()


def test_builder_returns_a_widget_with_every_view_filled(sim):
    assert isinstance(sim, widgets.VBox) and isinstance(sim, PrivacySimulator)
    assert "of your contacts can see this post" in sim.summary.value
    assert "<table" in sim.table.value
    assert bytes(sim.image.value).startswith(PNG_MAGIC)
    assert "At risk" in sim.at_risk.value


def test_one_panel_per_network_follows_the_network_control(sim):
    assert len(sim.panels.children) == len(NETWORK_NAMES)
    sim.network.value = "linkedin"
    assert sim.panels.selected_index == list(NETWORK_NAMES).index("linkedin")


def test_facebook_public_names_the_manager_and_the_public(sim):
    assert "Lucas J." not in sim.at_risk.value          # Friends: the manager is Restricted
    before_table, before_png = sim.table.value, sim.image.value
    sim.facebook["audience"].value = "public"
    assert "Lucas J." in sim.at_risk.value and "The public" in sim.at_risk.value
    assert sim.table.value != before_table
    assert sim.image.value != before_png


def test_friends_except_competitors_removes_them_from_the_view(sim):
    assert "Competitors" in sim.at_risk.value
    sim.facebook["except"].value = ("competitor",)
    sim.facebook["audience"].value = "friends_except"
    assert "Competitors" not in sim.at_risk.value
    expected = len(who_can_see({"network": "facebook", "audience": "friends_except", "except": ["competitor"]}).viewers)
    assert sim.summary.value.startswith(f"<b>{expected} of your contacts")


def test_a_tag_adds_the_tagged_persons_friends_until_their_own_setting_says_only_me(sim):
    sim.tags.value = ("Anna R.",)
    assert "friends of tagged people: 522" in sim.summary.value
    sim.facebook["tagged_person_adds"].value = "only_me"
    assert "friends of tagged people" not in sim.summary.value
    assert "says Only me" in sim.notes.value


def test_your_tag_review_does_not_hold_your_own_tags(sim):
    sim.tags.value = ("Anna R.",)
    sim.facebook["tag_review"].value = True
    assert "friends of tagged people: 522" in sim.summary.value
    assert "does not hold the tags you add yourself" in sim.notes.value


def test_your_tag_review_holds_the_tags_others_add_to_your_post(sim):
    sim.facebook["tags_by_others"].value = ("Anna R.",)
    assert "friends of tagged people: 522" in sim.summary.value
    sim.facebook["tag_review"].value = True
    assert "friends of people tagged by others, once you approve the tag: 522" in sim.summary.value
    assert "friends of tagged people: " not in sim.summary.value


def test_x_protect_your_posts_checkbox(sim):
    sim.network.value = "x"
    assert "the public: yes" in sim.summary.value
    sim.x["protected"].value = True
    assert "nobody outside your contacts" in sim.summary.value


def test_invalid_combination_shows_the_reason_instead_of_crashing(sim):
    sim.network.value = "tiktok"
    sim.tiktok["private"].value = True       # with "Everyone", which a private account cannot use
    assert "Fix the settings" in sim.at_risk.value and "private TikTok account" in sim.at_risk.value
    assert sim.table.value == ""
    sim.tiktok["audience"].value = "followers"
    assert "<table" in sim.table.value


def test_instagram_close_friends_story(sim):
    sim.network.value = "instagram"
    sim.instagram["share_to"].value = "close_friends_story"
    assert sim.settings()["audience"] == "close_friends" and sim.settings()["format"] == "story"
    assert "close friend</th>" in sim.table.value and "nobody outside" in sim.summary.value


@pytest.mark.parametrize("share_to, form", [("close_friends_feed", "post"), ("close_friends_reel", "reel")])
def test_instagram_close_friends_feed_posts_and_reels(sim, share_to, form):
    sim.network.value = "instagram"
    assert "the public: yes" in sim.summary.value
    sim.instagram["share_to"].value = share_to
    assert sim.settings()["audience"] == "close_friends" and sim.settings()["format"] == form
    assert "nobody outside" in sim.summary.value and "Close Friends" in sim.notes.value


def test_linkedin_controls_map_to_the_model(sim):
    sim.network.value = "linkedin"
    sim.linkedin["public_profile"].value = False
    assert sim.settings()["public_profile"] is False
    # LinkedIn's Anyone means anyone, on or off LinkedIn: the profile setting does not narrow it.
    assert "the public: yes" in sim.summary.value
    assert "does not make an Anyone post members-only" in sim.notes.value
    sim.linkedin["audience"].value = "connections"
    assert "nobody outside your contacts" in sim.summary.value


def test_settings_from_controls_sends_only_the_chosen_panel():
    fb = {"audience": "friends", "except": ("manager",), "specific": ("family",), "tagged_person_adds": "friends",
          "tag_review": False, "tags_by_others": (), "group_privacy": "private", "group_visibility": "visible"}
    panels = {"facebook": fb, "instagram": {"private": False, "share_to": "feed"}, "x": {"protected": True},
              "linkedin": {}, "tiktok": {}}
    settings = settings_from_controls("facebook", panels, (), False, True)
    assert settings == {"network": "facebook", "tags": [], "location": False, "photo": True,
                        "audience": "friends", "tagged_person_adds": "friends", "tag_review": False,
                        "tags_by_others": []}


def test_render_is_a_plain_function_of_plain_values():
    view = render({"network": "linkedin", "audience": "connections"}, VisibilityChart())
    assert view.result is not None and view.result.per_group["client"] > 0
    assert "Clients:" in view.at_risk_html and view.chart_png.startswith(PNG_MAGIC)
    bad = render({"network": "myspace"})
    assert bad.result is None and "is not one this course knows" in bad.at_risk_html


# The chart: how far a post goes, beyond the contacts too (issue 15, item 6).

def test_reach_public_and_friends_differ_beyond_the_contacts():
    friends = reach(who_can_see({"network": "facebook", "audience": "friends"}))
    public = reach(who_can_see({"network": "facebook", "audience": "public"}))
    assert friends.public == "" and public.public == ANYONE and public.search_engines
    assert public.can_see["manager"] == 1 and friends.can_see["manager"] == 0
    assert dict(reach_lines(friends))["the public"] == "no"
    assert dict(reach_lines(public))["the public"] == "anyone, on or off Facebook, and search engines"


def test_reach_counts_the_friends_a_tag_adds_and_where_a_screenshot_can_go():
    plain = who_can_see({"network": "facebook", "audience": "friends"})
    tagged = who_can_see({"network": "facebook", "audience": "friends", "tags": ["Anna R."]})
    assert reach(plain).tagged_friends == 0 and reach(tagged).tagged_friends == 522
    assert reach(tagged).screenshot_reach == tagged.second_hand_reach > 0
    assert dict(reach_lines(reach(tagged)))["friends of tagged people"] == "522"
    assert dict(reach_lines(reach(plain)))["friends of tagged people"] == "none"
    only_me = reach(who_can_see({"network": "facebook", "audience": "only_me"}))
    assert only_me.contacts == only_me.screenshot_reach == 0
    assert dict(reach_lines(only_me))["screenshot reach"] == "none"


def test_reach_shows_tags_waiting_for_your_review_apart():
    r = reach(who_can_see({"network": "facebook", "audience": "friends", "tags_by_others": ["Anna R."],
                           "tag_review": True}))
    assert r.tagged_friends == 0 and r.tagged_pending == 522
    assert dict(reach_lines(r))["friends of tagged people"] == "none (+522 once you approve)"


def test_reach_on_linkedin_without_a_public_profile_is_its_members():
    result = who_can_see({"network": "linkedin", "audience": "anyone", "public_profile": False})
    if result.public:  # the model no longer limits Anyone posts to members
        assert reach(result).public == ANYONE
    else:
        assert reach(result).public == MEMBERS
        assert dict(reach_lines(reach(result)))["the public"] == "every signed-in LinkedIn member"


def test_the_chart_draws_public_and_friends_and_a_tag_differently():
    chart = VisibilityChart()
    friends = chart.png(who_can_see({"network": "facebook", "audience": "friends"}))
    public = chart.png(who_can_see({"network": "facebook", "audience": "public"}))
    tagged = chart.png(who_can_see({"network": "facebook", "audience": "friends", "tags": ["Anna R."]}))
    assert len({friends, public, tagged}) == 3
    assert chart.png(who_can_see({"network": "facebook", "audience": "friends"})) == friends  # only updated


def test_the_chart_of_a_tag_in_the_simulator(sim):
    before = sim.image.value
    sim.tags.value = ("Anna R.",)
    assert sim.image.value != before


# The layout (the browser test, tests/test_simulator_layout.py, measures it in JupyterLab).

def test_the_table_has_one_header_row_and_one_row_per_group(sim):
    assert sim.table.value.count("<tr>") == 1 + 9
    assert "<th></th>" not in sim.table.value and "<td></td>" not in sim.table.value


def _widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets(child)


def test_no_box_or_control_has_a_fixed_pixel_width(sim):
    """Fixed widths overflow at 1280 px with the file browser open: widths follow the
    container (auto, %, flex, grid minmax); only the chart's max_width is in pixels."""
    for w in _widgets(sim):
        assert not str(w.layout.width or "").endswith("px"), (type(w).__name__, w.layout.width)
        assert not str(w.layout.min_width or "").endswith("px"), (type(w).__name__, w.layout.min_width)
    assert sim.image.layout.width == "100%" and sim.image.layout.max_width.endswith("px")


def test_facebook_shows_the_lists_only_for_the_audiences_that_use_them(sim):
    fields = sim.fields["facebook"]
    assert fields["except"].layout.display == "none" and fields["specific"].layout.display == "none"
    sim.facebook["audience"].value = "friends_except"
    assert fields["except"].layout.display is None and fields["specific"].layout.display == "none"
    sim.facebook["audience"].value = "custom"
    assert fields["except"].layout.display is None and fields["specific"].layout.display is None
    sim.facebook["audience"].value = "group"
    assert fields["group_privacy"].layout.display is None and fields["except"].layout.display == "none"


def test_every_control_is_labelled_above_or_by_its_own_description(sim):
    for network in NETWORK_NAMES:
        for name, control in getattr(sim, network).items():
            field = sim.fields[network][name]
            labelled = field is not control and "<span" in field.children[0].value
            assert labelled or control.description, (network, name)


# WhatsApp Status: "Status privacy" in the style of Facebook's audiences.

def test_whatsapp_status_my_contacts_is_the_default(sim):
    sim.network.value = "whatsapp"
    assert sim.panels.selected_index == list(NETWORK_NAMES).index("whatsapp")
    assert sim.settings() == {"network": "whatsapp", "tags": [], "location": False, "photo": True,
                              "audience": "my_contacts"}
    expected = len(who_can_see({"network": "whatsapp"}).viewers)
    assert sim.summary.value.startswith(f"<b>{expected} of your contacts") and "nobody outside" in sim.summary.value
    assert "24 hours" in sim.notes.value
    assert sim.fields["whatsapp"]["except"].layout.display == "none"


def test_whatsapp_status_my_contacts_except_leaves_the_manager_out(sim):
    sim.network.value = "whatsapp"
    assert "Lucas J." in sim.at_risk.value
    sim.whatsapp["audience"].value = "my_contacts_except"
    assert sim.fields["whatsapp"]["except"].layout.display is None
    assert "Fix the settings" in sim.at_risk.value         # nobody chosen yet: WhatsApp asks whom
    sim.whatsapp["except"].value = ("manager", "client")
    assert sim.settings()["except"] == ["manager", "client"]
    assert "Lucas J." not in sim.at_risk.value and "<table" in sim.table.value


def test_whatsapp_status_only_share_with_family(sim):
    sim.network.value = "whatsapp"
    sim.whatsapp["audience"].value = "only_share_with"
    sim.whatsapp["specific"].value = ("family",)
    expected = who_can_see({"network": "whatsapp", "audience": "only_share_with", "specific": ["family"]})
    assert sim.summary.value.startswith(f"<b>{len(expected.viewers)} of your contacts")
    assert expected.per_group["family"] == len(expected.viewers) > 0
    assert "specific" in sim.settings() and "except" not in sim.settings()


def test_whatsapp_lists_offer_groups_and_whatsapp_contacts_not_facebook_lists(sim):
    values = [v for _, v in sim.whatsapp["except"].options]
    assert "manager" in values and "restricted" not in values and "close_friends" not in values
    names = {c.name for c in sim.contacts.on("whatsapp")}
    assert names <= set(values)
