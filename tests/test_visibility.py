"""The visibility model, one test per platform rule, on a tiny contact book built here
so that every expected answer can be read off the table below."""

import pandas as pd
import pytest

from course.learner import visibility as v
from course.learner.visibility import ContactBook, SettingsError, who_can_see

COLUMNS = ["contact_id", "name", "group", "employer", "facebook", "instagram", "linkedin",
           "x", "tiktok", "whatsapp", "facebook_list", "friend_count"]
ROWS = [
    ("P1", "Sister S.", "family", "-", 1, 1, 0, 0, 1, 1, "", 100),
    ("P2", "Best F.", "close_friend", "-", 1, 1, 0, 0, 1, 1, "close_friends", 200),
    ("P3", "Pal F.", "friend", "-", 1, 0, 0, 1, 1, 0, "", 300),
    ("P4", "Some A.", "acquaintance", "-", 1, 1, 0, 0, 0, 0, "acquaintances", 50),
    ("P5", "Coll C.", "colleague", "Norda Logistics", 1, 0, 1, 1, 1, 0, "", 400),
    ("P6", "Boss M.", "manager", "Norda Logistics", 1, 0, 1, 0, 0, 1, "restricted", 150),
    ("P7", "Buyer C.", "client", "Bexley Foods", 0, 0, 1, 1, 0, 0, "", 80),
    ("P8", "Hunter R.", "recruiter", "Talentia Search", 0, 0, 1, 0, 0, 0, "", 90),
    ("P9", "Rival C.", "competitor", "Kestrel Cargo", 1, 1, 1, 1, 0, 0, "", 70),
]


@pytest.fixture(scope="module")
def book():
    return ContactBook.from_frame(pd.DataFrame(ROWS, columns=COLUMNS))


def seen(settings, book):
    return sorted(c.contact_id for c in who_can_see(settings, book).viewers)


# Facebook -------------------------------------------------------------------------------

def test_facebook_public_reaches_everyone_and_search_engines(book):
    result = who_can_see({"network": "facebook", "audience": "public"}, book)
    assert seen({"network": "facebook", "audience": "public"}, book) == ["P1", "P2", "P3", "P4", "P5", "P6", "P9"]
    assert result.public and result.search_engines


def test_facebook_restricted_friend_sees_public_posts_and_posts_they_are_tagged_in(book):
    assert "P6" not in seen({"network": "facebook", "audience": "friends"}, book)
    assert "P6" not in seen({"network": "facebook", "audience": "specific_friends", "specific": ["manager"]}, book)
    assert who_can_see({"network": "facebook", "audience": "public"}, book).sees("Boss M.")
    # Tagged, by Alex or by a friend (tag review off): the Restricted friend sees the post.
    assert "P6" in seen({"network": "facebook", "audience": "friends", "tags": ["Boss M."]}, book)
    assert "P6" in seen({"network": "facebook", "audience": "friends", "tags_by_others": ["Boss M."]}, book)
    note = who_can_see({"network": "facebook", "audience": "friends"}, book).notes
    assert any("sees only your Public posts and the posts they are tagged in" in n for n in note)


def test_facebook_friends_is_friends_only(book):
    result = who_can_see({"network": "facebook", "audience": "friends"}, book)
    assert seen({"network": "facebook", "audience": "friends"}, book) == ["P1", "P2", "P3", "P4", "P5", "P9"]
    assert not result.public and not result.search_engines


def test_facebook_friends_except_leaves_out_groups_lists_and_names(book):
    settings = {"network": "facebook", "audience": "friends_except",
                "except": ["colleague", "acquaintances", "Rival C."]}
    assert seen(settings, book) == ["P1", "P2", "P3"]


def test_facebook_specific_friends_and_custom(book):
    assert seen({"network": "facebook", "audience": "specific_friends", "specific": ["family", "close_friends"]},
                book) == ["P1", "P2"]
    # Custom: share with some, never with others; non-friends cannot be reached at all.
    custom = {"network": "facebook", "audience": "custom", "specific": ["family", "colleague", "client"],
              "except": ["Coll C."]}
    assert seen(custom, book) == ["P1"]


def test_facebook_only_me_reaches_nobody_even_with_a_tag(book):
    result = who_can_see({"network": "facebook", "audience": "only_me", "tags": ["Pal F."]}, book)
    assert result.viewers == () and not result.outside.get(v.TAGGED_FRIENDS)


def test_facebook_tag_adds_the_tagged_person_and_their_friends_by_default(book):
    # The tagged person's own setting defaults to Friends.
    result = who_can_see({"network": "facebook", "audience": "specific_friends", "specific": ["family"],
                          "tags": ["Pal F."]}, book)
    assert sorted(c.contact_id for c in result.viewers) == ["P1", "P3"]
    assert result.outside[v.TAGGED_FRIENDS] == 300
    assert result.settings.tagged_person_adds == "friends"


def test_facebook_tagged_persons_own_setting_only_me_adds_them_but_not_their_friends(book):
    result = who_can_see({"network": "facebook", "audience": "specific_friends", "specific": ["family"],
                          "tags": ["Pal F."], "tagged_person_adds": "only_me"}, book)
    assert sorted(c.contact_id for c in result.viewers) == ["P1", "P3"]
    assert not result.outside.get(v.TAGGED_FRIENDS)
    assert any("says Only me" in n for n in result.notes)


def test_facebook_tagging_a_restricted_friend_lets_them_see_it(book):
    assert "P6" in seen({"network": "facebook", "audience": "friends", "tags": ["Boss M."]}, book)


def test_facebook_tag_review_does_not_hold_the_tags_you_add_yourself(book):
    post = {"network": "facebook", "audience": "specific_friends", "specific": ["family"], "tags": ["Pal F."]}
    reviewed = who_can_see(dict(post, tag_review=True), book)
    assert reviewed.viewers == who_can_see(post, book).viewers
    assert reviewed.outside[v.TAGGED_FRIENDS] == 300 and v.TAGGED_FRIENDS_PENDING not in reviewed.outside
    assert any("does not hold the tags you add yourself" in n for n in reviewed.notes)


def test_facebook_tag_review_holds_tags_others_add_until_you_approve(book):
    post = {"network": "facebook", "audience": "specific_friends", "specific": ["family"],
            "tags_by_others": ["Pal F."]}
    held = who_can_see(dict(post, tag_review=True), book)
    assert sorted(c.contact_id for c in held.viewers) == ["P1"]
    assert v.TAGGED_FRIENDS not in held.outside and held.outside[v.TAGGED_FRIENDS_PENDING] == 300
    shown = who_can_see(post, book)        # tag review off: the tag shows at once
    assert sorted(c.contact_id for c in shown.viewers) == ["P1", "P3"]
    assert shown.outside[v.TAGGED_FRIENDS] == 300


def test_facebook_private_group_only_members_see_hidden_group_cannot_be_found(book):
    private = who_can_see({"network": "facebook", "audience": "group", "members": ["family", "friend"],
                           "group_privacy": "private", "group_visibility": "hidden"}, book)
    assert sorted(c.contact_id for c in private.viewers) == ["P1", "P3"]
    assert not private.public and private.outside[v.FINDS_GROUP] == "only members"
    visible = who_can_see({"network": "facebook", "audience": "group", "members": ["family"],
                           "group_privacy": "private"}, book)
    assert visible.outside[v.FINDS_GROUP] == "anyone" and not visible.public
    public = who_can_see({"network": "facebook", "audience": "group", "members": ["family"],
                          "group_privacy": "public"}, book)
    assert public.public


def test_a_public_group_cannot_be_hidden(book):
    with pytest.raises(SettingsError, match="cannot be Hidden"):
        who_can_see({"network": "facebook", "audience": "group", "members": ["family"],
                     "group_privacy": "public", "group_visibility": "hidden"}, book)


# Instagram ------------------------------------------------------------------------------

def test_instagram_public_account_is_public_private_account_is_followers_only(book):
    public = who_can_see({"network": "instagram", "account": "public"}, book)
    private = who_can_see({"network": "instagram", "account": "private"}, book)
    assert public.public and not private.public
    assert seen({"network": "instagram", "account": "private"}, book) == ["P1", "P2", "P4", "P9"]
    assert not private.reposts


def test_instagram_public_story_is_public_but_not_in_search_engines(book):
    story = who_can_see({"network": "instagram", "format": "story"}, book)
    assert story.public and not story.search_engines
    assert who_can_see({"network": "instagram"}, book).search_engines


def test_instagram_close_friends_story(book):
    story = {"network": "instagram", "audience": "close_friends", "format": "story"}
    assert seen(story, book) == ["P2"]
    assert seen(dict(story, close_friends=["Sister S.", "Best F."]), book) == ["P1", "P2"]
    assert not who_can_see(story, book).public


@pytest.mark.parametrize("form", ["post", "reel"])
def test_instagram_close_friends_also_for_feed_posts_and_reels_since_2023(book, form):
    settings = {"network": "instagram", "audience": "close_friends", "format": form}
    result = who_can_see(settings, book)
    assert seen(settings, book) == ["P2"]
    assert not result.public and not result.search_engines and not result.reposts


def test_instagram_public_reel_is_public_like_a_feed_post(book):
    reel = who_can_see({"network": "instagram", "format": "reel"}, book)
    assert reel.public and reel.search_engines and reel.reposts


def test_instagram_story_without_format_is_a_feed_post(book):
    # A settings dict that forgets "format" describes a feed post, not a story.
    assert who_can_see({"network": "instagram", "audience": "close_friends"}, book).settings.format == "post"


# X --------------------------------------------------------------------------------------

def test_x_is_public_and_searchable_by_default(book):
    result = who_can_see({"network": "x"}, book)
    assert result.public and result.search_engines and result.reposts


def test_x_protected_posts_reach_approved_followers_only_without_reposts(book):
    result = who_can_see({"network": "x", "protected": True}, book)
    assert seen({"network": "x", "protected": True}, book) == ["P3", "P5", "P7", "P9"]
    assert not result.public and not result.search_engines and not result.reposts


def test_x_likes_are_private_since_2024(book):
    for settings in ({"network": "x"}, {"network": "x", "protected": True}):
        notes = who_can_see(settings, book).notes
        assert any("Likes are private on X since June 2024" in n and "X Help Centre" in n for n in notes)


def test_x_has_no_audience_per_post(book):
    with pytest.raises(SettingsError, match='"protected": True'):
        who_can_see({"network": "x", "audience": "followers"}, book)


# LinkedIn -------------------------------------------------------------------------------

def test_linkedin_anyone_with_public_profile_is_public(book):
    result = who_can_see({"network": "linkedin", "audience": "anyone"}, book)
    assert result.public and result.search_engines


def test_linkedin_anyone_means_on_or_off_linkedin_even_with_public_profile_off(book):
    # LinkedIn's help: Anyone is anyone, on or off LinkedIn. It does not say public profile
    # visibility limits such posts to members, so the model does not claim it.
    result = who_can_see({"network": "linkedin", "audience": "anyone", "public_profile": False}, book)
    assert result.public and result.search_engines and result.reposts
    assert not result.outside.get(v.LINKEDIN_MEMBERS)
    assert any("an Anyone post is for anyone, on or off LinkedIn" in n for n in result.notes)
    assert not who_can_see({"network": "linkedin", "audience": "connections", "public_profile": False}, book).public


def test_linkedin_connections_only(book):
    result = who_can_see({"network": "linkedin", "audience": "connections"}, book)
    assert seen({"network": "linkedin", "audience": "connections"}, book) == ["P5", "P6", "P7", "P8", "P9"]
    assert not result.public


def test_linkedin_hiding_connections_is_reported(book):
    shown = who_can_see({"network": "linkedin", "audience": "connections"}, book)
    hidden = who_can_see({"network": "linkedin", "audience": "connections", "show_connections": False}, book)
    assert any("browse your connection list" in n for n in shown.notes)
    assert any("connection list is hidden" in n for n in hidden.notes)


# TikTok ---------------------------------------------------------------------------------

def test_tiktok_public_everyone_private_followers(book):
    assert who_can_see({"network": "tiktok"}, book).public
    private = who_can_see({"network": "tiktok", "account": "private"}, book)
    assert not private.public and seen({"network": "tiktok", "account": "private"}, book) == ["P1", "P2", "P3", "P5"]


def test_tiktok_audience_per_video(book):
    assert seen({"network": "tiktok", "audience": "friends"}, book) == ["P1", "P2", "P3"]
    assert seen({"network": "tiktok", "audience": "only_you"}, book) == []
    with pytest.raises(SettingsError, match="private TikTok account cannot"):
        who_can_see({"network": "tiktok", "account": "private", "audience": "everyone"}, book)


# WhatsApp Status ------------------------------------------------------------------------

def test_whatsapp_status_my_contacts_is_every_mutual_contact_and_the_default(book):
    # Only people whose number Alex saved and who saved Alex's (the whatsapp column).
    result = who_can_see({"network": "whatsapp", "audience": "my_contacts"}, book)
    assert seen({"network": "whatsapp", "audience": "my_contacts"}, book) == ["P1", "P2", "P6"]
    assert seen({"network": "whatsapp"}, book) == ["P1", "P2", "P6"]
    assert not result.public and not result.search_engines and not result.reposts
    assert any("24 hours" in n and "saved yours" in n for n in result.notes)


def test_whatsapp_status_my_contacts_except_leaves_out_groups_and_names(book):
    assert seen({"network": "whatsapp", "audience": "my_contacts_except", "except": ["manager"]}, book) == \
        ["P1", "P2"]
    assert seen({"network": "whatsapp", "audience": "my_contacts_except", "except": ["Sister S."]}, book) == \
        ["P2", "P6"]


def test_whatsapp_status_only_share_with_reaches_chosen_contacts_only(book):
    assert seen({"network": "whatsapp", "audience": "only_share_with", "specific": ["family", "close_friend"]},
                book) == ["P1", "P2"]
    # Someone who is not a WhatsApp contact cannot be reached, even when chosen.
    assert seen({"network": "whatsapp", "audience": "only_share_with", "specific": ["Pal F."]}, book) == []


def test_whatsapp_status_unknown_audience_lists_the_three(book):
    with pytest.raises(SettingsError) as err:
        who_can_see({"network": "whatsapp", "audience": "friends"}, book)
    message = str(err.value)
    assert type(err.value) is SettingsError and "\n" not in message
    assert message.startswith('The audience "friends" is not one of WhatsApp\'s audiences.')
    assert '"my_contacts", "my_contacts_except", "only_share_with"' in message


@pytest.mark.parametrize("settings, words", [
    ({"network": "whatsapp", "audience": "my_contacts_except"}, 'add "except"'),
    ({"network": "whatsapp", "audience": "only_share_with"}, 'add "specific"'),
    ({"network": "whatsapp", "audience": "my_contacts", "except": ["manager"]}, "only works with"),
    ({"network": "whatsapp", "audience": "only_share_with", "specific": ["restricted"]}, "Facebook friend list"),
    ({"network": "whatsapp", "protected": True}, 'WhatsApp has no setting "protected"'),
])
def test_whatsapp_status_bad_settings_are_explained(book, settings, words):
    with pytest.raises(SettingsError, match=words):
        who_can_see(settings, book)


# What no setting removes ---------------------------------------------------------------

def test_friends_only_can_be_forwarded_to_a_competitor(book):
    result = who_can_see({"network": "facebook", "audience": "friends"}, book)
    assert result.forwardable_to == {"Kestrel Cargo": ("Rival C.",), "Norda Logistics": ("Coll C.",),
                                     v.ANYWHERE: ("Sister S.", "Best F.", "Pal F.", "Some A.")}
    assert result.second_hand_reach == 100 + 200 + 300 + 50 + 400 + 70
    assert any("Kestrel Cargo" in line for line in result.at_risk())


def test_friends_employers_are_unknown_not_none(book):
    # Leaving the competitor out does not keep the post from competitors or the client:
    # friends whose employers Alex does not know can forward a screenshot anywhere.
    result = who_can_see({"network": "facebook", "audience": "friends_except", "except": ["competitor"]}, book)
    assert "Kestrel Cargo" not in result.forwardable_to
    assert result.unknown_employers == ("Sister S.", "Best F.", "Pal F.", "Some A.")
    assert result.may_reach("Kestrel Cargo") and result.may_reach("Bexley Foods")
    assert "work for employers you do not know" in v.explain(result)
    assert any("employers you do not know" in line for line in result.at_risk())
    # Only people whose employers are known: the post reaches those employers, not anywhere.
    colleagues = who_can_see({"network": "facebook", "audience": "specific_friends", "specific": ["colleague"]},
                             book)
    assert colleagues.unknown_employers == () and not colleagues.may_reach("Bexley Foods")
    assert colleagues.may_reach("Norda Logistics")


def test_a_post_about_a_client_on_a_friends_network_may_reach_the_client(book):
    # Module 2, exercise 2: every audience of friends on a private-life network may reach the
    # client (and its competitors); on LinkedIn the client sees it anyway, as agreed.
    for settings in ({"network": "facebook", "audience": "friends"},
                     {"network": "facebook", "audience": "friends_except", "except": ["client", "competitor"]},
                     {"network": "instagram", "account": "private"},
                     {"network": "whatsapp", "audience": "my_contacts_except", "except": ["manager"]}):
        assert who_can_see(settings, book).may_reach("Bexley Foods"), settings
    assert who_can_see({"network": "linkedin", "audience": "connections"}, book).sees("Buyer C.")


def test_going_private_later_does_not_take_back_past_views(book):
    before = who_can_see({"network": "instagram", "account": "public"}, book)
    after = who_can_see({"network": "instagram", "audience": "close_friends", "format": "story"}, book)
    change = v.after_change(before, after)
    assert change.kept_by == ("Sister S.", "Some A.", "Rival C.")
    assert change.public_copies


def test_before_after_table_compares_a_change_in_plain_words(book):
    before = who_can_see({"network": "x"}, book)
    after = who_can_see({"network": "x", "protected": True}, book)
    table = v.before_after(before, after)
    assert list(table.columns) == ["before", "after"]
    assert table.loc["the public can see new posts"].tolist() == ["yes", "no"]
    assert table.loc["search engines list new posts"].tolist() == ["yes", "no"]
    assert table.loc["contacts who can see new posts"].tolist() == ["4", "4"]
    assert table.loc["new posts can be shared on in one click"].tolist() == ["yes", "no"]
    assert table.loc["contacts who lose access but keep what they saw", "after"] == "0"
    assert table.loc["anyone may have a copy (it was public)"].tolist() == ["yes", "yes"]
    narrower = v.before_after(who_can_see({"network": "facebook", "audience": "friends"}, book),
                              who_can_see({"network": "facebook", "audience": "friends_except",
                                           "except": ["colleague"]}, book))
    assert narrower.loc["contacts who lose access but keep what they saw", "after"] == "1"
    assert narrower.loc["anyone may have a copy (it was public)"].tolist() == ["no", "no"]


# Results and words ----------------------------------------------------------------------

def test_per_group_counts_and_table_agree_with_viewers(book):
    result = who_can_see({"network": "facebook", "audience": "friends"}, book)
    table = result.table()
    assert table.loc["family", "can see the post"] == 1 and table.loc["manager", "can see the post"] == 0
    assert table.loc["manager", "on this network"] == 1 and table.loc["client", "on this network"] == 0
    assert table["can see the post"].sum() == len(result.viewers)


def test_explain_names_who_still_sees_it(book):
    text = v.explain(who_can_see({"network": "linkedin", "audience": "connections"}, book))
    assert "5 of your contacts" in text and "Boss M." in text and "Buyer C." in text and "Rival C." in text


def test_location_and_photo_add_warnings(book):
    result = who_can_see({"network": "facebook", "audience": "friends", "location": True, "photo": True}, book)
    assert any("home is empty" in n for n in result.notes)
    assert any("Code civil art. 9" in n for n in result.notes)


def test_alex_contacts_load_from_the_course_data():
    result = who_can_see({"network": "facebook", "audience": "friends"})
    frame = v.load("contacts")
    expected = frame[(frame.facebook == 1) & (frame.facebook_list != "restricted")]
    assert sorted(result.names()) == sorted(expected.name)


# Bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("settings, words", [
    ("facebook", "dictionary"),
    ({"audience": "friends"}, 'Add "network"'),
    ({"network": "myspace"}, 'The network "myspace" is not one this course knows'),
    ({"network": "facebook"}, "asks for an audience"),
    ({"network": "facebook", "audience": "friends_of_friends"}, '"friends_except"'),
    ({"network": "linkedin", "audience": "friends"}, '"anyone", "connections"'),
    ({"network": "facebook", "audience": "friends", "protected": True}, 'Facebook has no setting "protected"'),
    ({"network": "x", "protected": "yes"}, "Write True or False"),
    ({"network": "facebook", "audience": "friends_except"}, 'add "except"'),
    ({"network": "facebook", "audience": "friends", "except": ["manager"]}, 'only works with'),
    ({"network": "facebook", "audience": "friends_except", "except": ["Nobody Z."]}, "neither a group"),
    ({"network": "facebook", "audience": "friends_except", "except": "manager"}, '"except": ["manager"]'),
    ({"network": "facebook", "audience": "friends", "tags": ["family"]}, "a tag names one person"),
    ({"network": "facebook", "audience": "friends", "tags_by_others": ["Nobody Z."]}, "a tag names one person"),
    ({"network": "facebook", "audience": "friends", "tagged_person_adds": "public"}, '"friends", "only_me"'),
    ({"network": "instagram", "format": "stories"}, 'Did you mean "story"?'),
    ({"network": "tiktok", "audience": "followers"}, "make the account private"),
    ({"network": "instagram", "account": "secret"}, '"public", "private"'),
    ({"network": "x", 1: True}, "texts in quotes"),
])
def test_bad_settings_get_a_readable_error(book, settings, words):
    with pytest.raises(SettingsError) as err:
        who_can_see(settings, book)
    assert words in str(err.value)


def test_a_misspelt_setting_says_what_is_wrong_and_what_to_write_instead(book):
    with pytest.raises(SettingsError) as err:
        who_can_see({"network": "facebook", "audience": "frends"}, book)
    message = str(err.value)
    assert message.startswith('The audience "frends" is not one of Facebook\'s audiences.')
    assert 'Did you mean "friends"?' in message
    assert 'Choose one of "public", "friends", "friends_except", "specific_friends", "only_me", "custom", ' \
           '"group"' in message
    assert 'like "audience": "friends"' in message
    with pytest.raises(SettingsError, match='Did you mean "tag_review"'):
        who_can_see({"network": "facebook", "audience": "friends", "tag_reveiw": True}, book)


def test_a_name_that_is_not_a_contact_suggests_the_closest_one(book):
    with pytest.raises(SettingsError, match='Did you mean "Pal F."'):
        who_can_see({"network": "facebook", "audience": "friends", "tags": ["Pal G."]}, book)
    with pytest.raises(SettingsError, match='"Nobody Z." is not one of Alex\'s contacts'):
        who_can_see({"network": "x"}, book).sees("Nobody Z.")


def test_settings_are_forgiving_about_case_and_spaces(book):
    assert seen({"network": "Facebook", "audience": "Friends except...", "except": ["Manager"]}, book) == \
        seen({"network": "facebook", "audience": "friends_except", "except": ["manager"]}, book)


def test_sees_rejects_unknown_people(book):
    with pytest.raises(SettingsError):
        who_can_see({"network": "x"}, book).sees("Nobody Z.")


def test_who_can_see_answer_turns_settings_mistakes_into_plain_answer_errors():
    from course.learner.check import AnswerError

    result = v.who_can_see_answer({"network": "facebook", "audience": "friends"}, "holiday_settings")
    assert result.settings.audience == "friends"
    with pytest.raises(AnswerError, match="You have not answered yet"):
        v.who_can_see_answer(..., "holiday_settings")
    with pytest.raises(AnswerError, match="should be a dictionary"):
        v.who_can_see_answer(["facebook", "friends"], "holiday_settings")
    with pytest.raises(AnswerError, match='Did you mean "friends"') as err:
        v.who_can_see_answer({"network": "facebook", "audience": "frends"}, "holiday_settings")
    assert type(err.value) is AnswerError


def test_left_out_names_the_groups_contacts_on_the_network_who_cannot_see_it(book):
    result = who_can_see({"network": "facebook", "audience": "friends_except", "except": ["Sister S."]}, book)
    assert result.left_out("family") == ["Sister S."]
    assert result.left_out("client") == []          # no client is a Facebook friend
    assert result.left_out("manager") == ["Boss M."]  # Restricted
