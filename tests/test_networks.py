"""The network catalogue: complete, consistent with contacts.csv, and current."""

import pytest

from course.learner import networks
from course.learner.data import load


def test_every_network_has_its_facts_filled_in():
    for network in networks.CATALOGUE:
        assert network.name and network.main_use and network.status and network.source, network
        if network.status == networks.ACTIVE:
            assert network.audience_controls, f"{network.name} is active but lists no audience control"


def test_names_are_unique_and_in_catalogue_order():
    assert networks.names() == [n.name for n in networks.CATALOGUE]
    assert len(set(networks.names())) == len(networks.names())


def test_contact_columns_are_exactly_the_network_columns_of_contacts_csv():
    contacts = load("contacts")
    network_like = [c for c in contacts.columns if set(contacts[c].unique()) <= {0, 1}]
    assert sorted(networks.contact_columns()) == sorted(network_like)


def test_closed_networks_have_no_column_and_say_what_happened():
    google_plus, viadeo = networks.get("Google+"), networks.get("Viadeo")
    assert "2 April 2019" in google_plus.status and google_plus.column is None
    assert "2016" in viadeo.status and viadeo.column is None


def test_only_linkedin_is_for_work_today():
    assert [n.name for n in networks.CATALOGUE if n.main_use == "work"] == ["LinkedIn"]


def test_x_is_public_by_default_and_can_protect_posts():
    x = networks.get("X")
    assert "public" in x.default_visibility
    assert "Protect your posts" in x.audience_controls


@pytest.mark.parametrize("spelling", ["linkedin", "  LinkedIn ", "LINKEDIN"])
def test_get_ignores_capitals_and_spaces(spelling):
    assert networks.get(spelling).name == "LinkedIn"


def test_get_names_the_known_networks_when_it_fails():
    with pytest.raises(KeyError, match="Google\\+"):
        networks.get("Myspace")


def test_display_name_round_trips_every_column():
    for column in networks.contact_columns():
        assert networks.get(networks.display_name(column)).column == column
    with pytest.raises(KeyError):
        networks.display_name("myspace")


def test_as_table_has_one_row_per_network():
    table = networks.as_table()
    assert list(table.index) == networks.names()
    assert table.loc["Google+", "audience controls"] == "-"
    assert "Protect your posts" in table.loc["X", "audience controls"]


def test_x_and_tiktok_are_public_by_default_so_private_life_is_not_a_private_audience():
    public = networks.public_by_default()
    assert "X" in public and "TikTok" in public
    assert "WhatsApp" not in public and "Facebook" not in public
    private_life = [n.name for n in networks.CATALOGUE if n.main_use == "private life"]
    assert set(public) & set(private_life) == {"Instagram", "TikTok", "X"}


def test_approved_only_controls_are_real_controls_of_their_network():
    for network in networks.CATALOGUE:
        assert set(network.approved_only) <= set(network.audience_controls), network.name
    assert networks.get("X").approved_only == ("Protect your posts",)
    assert networks.get("TikTok").approved_only == networks.get("Instagram").approved_only == ("Private account",)
    facebook = networks.get("Facebook").approved_only
    assert "Public" not in facebook and "Custom" not in facebook and "Friends" in facebook


def test_spellings_accept_a_name_written_without_its_dots():
    assert networks.spellings("Friends except...")[:3] == ["Friends except...", "Friends except", "Friends except\u2026"]
    assert networks.spellings("Private account") == ["Private account"]


def test_spellings_accept_what_the_french_label_stands_for():
    # « Amis sauf… » reads as friends_except (words_fr.py), module 2's value for that audience.
    assert networks.spellings("Friends except...")[3:] == ["friends_except"]
    assert networks.spellings("Specific friends") == ["Specific friends", "specific_friends"]
    assert networks.spellings("Friends") == ["Friends"]  # one word: "amis" already reads as it
