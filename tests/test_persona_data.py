"""The module 3 and 4 data sets are what their make_*.py scripts write, and hold the cases
the exercises are built on."""

import random

from course.learner.data import load
from course.learner.data import make_accounts, make_breached, make_persona


def _rows(name):
    return load(name).astype(str).to_dict("records")


def test_posts_file_is_what_the_script_makes():
    made = make_persona.make_posts(random.Random(make_persona.SEED))
    assert _rows("persona_posts") == [{k: str(v) for k, v in r.items()} for r in made]


def test_profile_file_is_what_the_script_makes():
    assert _rows("persona_profile") == [{"field": f, "value": v} for f, v in make_persona.PROFILE]


def test_accounts_file_is_what_the_script_makes():
    made = make_accounts.make_rows(random.Random(make_accounts.SEED))
    assert _rows("accounts") == [{k: str(v) for k, v in r.items()} for r in made]


def test_breached_file_is_what_the_script_makes():
    import hashlib
    expected = sorted(hashlib.sha1(p.encode()).hexdigest() for p in make_breached.common_passwords())
    assert load("breached_sha1")["sha1"].tolist() == expected


def test_posts_are_in_date_order_with_known_values():
    posts = load("persona_posts")
    assert posts["post_id"].is_unique and list(posts["date"]) == sorted(posts["date"])
    assert set(posts["network"]) == {"LinkedIn", "Facebook", "Instagram", "X", "TikTok"}
    assert set(posts["tone"]) <= {"professional", "friendly", "humorous", "angry", "crude"}
    assert posts["is_work"].dtype == bool


def test_posts_hold_the_teaching_cases():
    posts = load("persona_posts")
    clashing = posts[(posts["audience"] == "public") & posts["tone"].isin(["angry", "crude"])]
    assert len(clashing) >= 3
    share = posts.groupby("network")["is_work"].mean()
    # LinkedIn is the work network; among the others, Facebook (friends) carries the most work
    assert share.idxmax() == "LinkedIn"
    assert share.drop("LinkedIn").idxmax() == "Facebook"


def test_accounts_hold_each_audit_case():
    acc = load("accounts")
    assert acc["password_id"].duplicated().any()
    assert (acc["mfa"] == "none").any()
    assert (acc["recovery_emails"] == "work").any()
    assert (acc["oldest_session_days"] > 90).any() and (acc["oldest_session_days"] <= 90).any()


def test_persona_posts_are_realistic_and_agree_with_the_profile_except_where_planted():
    posts = load("persona_posts")
    profile = dict(load("persona_profile").values)
    # Alex's Instagram is a private account: its audience cannot be "public" post by post.
    assert not ((posts["network"] == "Instagram") & (posts["audience"] == "public")).any()
    # The anniversary post matches the profile's years of experience: not a contradiction.
    assert profile["experience"].startswith("8 years")
    assert posts.loc[posts["text"].str.contains("first pallet count"), "text"].str.startswith("Eight years").all()
    # Each planted contradiction (job title, availability, language claim) is in exactly one post.
    for words in ["junior planner", "Anyone hiring", "German lessons"]:
        assert posts["text"].str.contains(words).sum() == 1, words
