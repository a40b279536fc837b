"""The simulator without a browser: build the widget, set `.value` on a control (as
ipywidgets' own tests do), and check that what it shows changed."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

from course.learner.simulator import (PrivacySimulator, VisibilityChart, build_simulator, render,  # noqa: E402
                              settings_from_controls)
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
    assert "close_friend</th>" in sim.table.value and "nobody outside" in sim.summary.value


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
    assert "all LinkedIn members: yes" in sim.summary.value
    assert "search engines" not in sim.summary.value


def test_settings_from_controls_sends_only_the_chosen_panel():
    fb = {"audience": "friends", "except": ("manager",), "specific": ("family",), "tagged_person_adds": "friends",
          "tag_review": False, "tags_by_others": (), "group_privacy": "private", "group_visibility": "visible"}
    settings = settings_from_controls("facebook", fb, {"private": False, "share_to": "feed"},
                                      {"protected": True}, {}, {}, (), False, True)
    assert settings == {"network": "facebook", "tags": [], "location": False, "photo": True,
                        "audience": "friends", "tagged_person_adds": "friends", "tag_review": False,
                        "tags_by_others": []}


def test_render_is_a_plain_function_of_plain_values():
    view = render({"network": "linkedin", "audience": "connections"}, VisibilityChart())
    assert view.result is not None and view.result.per_group["client"] > 0
    assert "Clients:" in view.at_risk_html and view.chart_png.startswith(PNG_MAGIC)
    bad = render({"network": "myspace"})
    assert bad.result is None and "is not one this course knows" in bad.at_risk_html
