"""posts.csv: made by its seeded script, and shaped as module 1's exercises need."""

import random

from course.learner.data import load
from course.learner.data import make_posts

WORK_TOPICS = {"industry_news", "company_news", "job_offer"}
PRIVATE_TOPICS = {"family", "friends_life", "hobby", "opinion"}


def test_the_file_is_what_the_seeded_script_makes():
    rows = make_posts.make_rows(random.Random(make_posts.SEED))
    posts = load("posts")
    assert posts.to_dict("records") == rows


def test_the_script_is_deterministic():
    assert make_posts.make_rows(random.Random(1)) == make_posts.make_rows(random.Random(1))


def test_columns_ids_and_size():
    posts = load("posts")
    assert list(posts.columns) == ["post_id", "text", "topic", "about"]
    assert posts["post_id"].tolist() == list(range(1, len(posts) + 1))
    assert 12 <= len(posts) <= 16
    assert (posts["text"].str.len() > 0).all() and (posts["about"].str.len() > 0).all()


def test_every_kind_of_post_the_exercise_routes_is_there():
    topics = set(load("posts")["topic"])
    assert topics == WORK_TOPICS | PRIVATE_TOPICS | {"confidential"}
    assert (load("posts")["topic"] == "confidential").sum() >= 2


def test_posts_are_about_the_persona_not_real_people():
    text = " ".join(load("posts")["text"])
    assert "Norda Logistics" in text
    assert "@" not in text and "http" not in text
