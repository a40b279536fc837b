"""The personal charter: the plain functions, the checks of module 7, the form (driven by
setting .value), the export."""

import pytest

from course.learner import charter


def complete() -> dict:
    return charter.make_charter({"LinkedIn": "work", "Instagram": "private"},
                                ["courtesy", "quiet_hours", "consent_photos"], 19, 8, "Phone off on Sundays.")


def test_make_charter_fills_every_network_and_orders_rules():
    c = complete()
    assert list(c["networks"]) == list(charter.NETWORKS)
    assert c["networks"]["Facebook"] == "not used"
    assert c["rules"] == ["consent_photos", "courtesy", "quiet_hours"]  # catalogue order
    assert charter.charter_problems(c) == []


@pytest.mark.parametrize("change, words", [
    (lambda c: c.pop("rules"), "no 'rules'"),
    (lambda c: c["networks"].pop("X"), "Say what X is for"),
    (lambda c: c["networks"].update(X="sometimes"), "not one of"),
    (lambda c: c.update(rules=["courtesy"]), "at least 3"),
    (lambda c: c.update(rules=["courtesy", "quiet_hours", "be_nice"]), "Unknown rule"),
    (lambda c: c.update(offline_from=25), "from 0 to 23"),
    (lambda c: c.update(offline_until=19), "same hour"),
    (lambda c: c.update(networks={n: "not used" for n in charter.NETWORKS}), "at least one network"),
])
def test_problems_say_what_is_missing_or_wrong(change, words):
    c = complete()
    change(c)
    assert any(words in p for p in charter.charter_problems(c)), charter.charter_problems(c)


def test_typed_words_follow_the_one_normalisation_rule():
    """Case and spaces do not count, 19.0 is 19 (check.normalise), as in every check."""
    typed = {"Networks": {" linkedin ": "Work", "FACEBOOK": "Not Used ", "Instagram": "Private",
                          "x": "NOT USED", "TikTok": "not  used", "WhatsApp": " not used"},
             "rules": ["Courtesy", " quiet_hours", "CONSENT_PHOTOS"],
             "offline_from": 19.0, "offline_until": 8, "own_words": "  Phone off on Sundays. "}
    assert charter.charter_problems(typed) == []
    same = charter.normalised(typed)
    assert same["networks"] == complete()["networks"] and same["offline_from"] == 19
    assert type(same["offline_from"]) is int and same["rules"] == ["courtesy", "quiet_hours", "consent_photos"]
    assert charter.to_markdown(typed).startswith(charter.to_markdown(complete()).split("## My rules")[0])


def test_the_form_left_with_dots_says_what_to_fill_in():
    form = {"networks": {n: ... for n in charter.NETWORKS}, "rules": list(charter.RULES),
            "offline_from": 19, "offline_until": ..., "own_words": ""}
    problems = " ".join(charter.charter_problems(form))
    assert "Replace the ... after LinkedIn, Facebook, Instagram, X, TikTok, WhatsApp" in problems
    assert 'Replace the ... after "offline_until"' in problems


def choices(**changes):
    return {**dict(offline_from=19, work_network="LinkedIn", posts_colleague_photos=True), **changes}


@pytest.mark.parametrize("changes, words", [
    (dict(offline_from=22), "stops work messages at 19:00, but in section 3 you chose 22:00"),
    (dict(offline_from="19"), "without quotes"),
    (dict(offline_from=...), "Answer `my_offline_from`"),
    (dict(work_network="Facebook"), 'You chose Facebook for work contacts'),
    (dict(work_network="Viadeo"), "should be one of"),
    (dict(work_network=["LinkedIn"]), "should be one of"),
    (dict(posts_colleague_photos="yes"), "True or False"),
])
def test_choices_that_disagree_with_the_charter_are_named(changes, words):
    problems = charter.choice_problems(complete(), **choices(**changes))
    assert any(words in p for p in problems), problems


def test_the_consent_rule_is_needed_only_by_who_posts_colleagues_photos():
    without = dict(complete(), rules=["courtesy", "quiet_hours", "no_location"])
    assert any("consent_photos" in p for p in charter.choice_problems(without, **choices()))
    assert charter.choice_problems(without, **choices(posts_colleague_photos=False)) == []
    assert charter.choice_problems(complete(), **choices(work_network=" linkedin ", offline_from=19.0)) == []


def test_check_fails_with_one_plain_message_and_passes_silently():
    from course.learner.check import AnswerError

    assert charter.check(complete(), 19, "LinkedIn", True) is None
    for given, words in [(..., "not answered yet"), (["LinkedIn"], "curly brackets"),
                         (dict(complete(), rules=[]), "not complete yet"),
                         (complete(), "make them agree")]:
        with pytest.raises(AnswerError, match=words):
            charter.check(given, 18 if words == "make them agree" else 19, "LinkedIn", True)


def test_show_saves_the_documents_or_says_what_is_missing(tmp_path):
    shown = charter.show(complete(), tmp_path)
    assert "# My social media charter" in shown.data and "my_charter.html" in shown.data
    assert (tmp_path / "my_charter.md").exists() and (tmp_path / "my_charter.html").exists()
    assert "not complete yet" in repr(charter.show(dict(complete(), rules=[]), tmp_path / "no"))
    assert "not complete yet" in repr(charter.show(..., tmp_path / "no"))
    assert not (tmp_path / "no").exists()


def test_markdown_and_html_documents(tmp_path):
    c = complete()
    md = charter.to_markdown(c)
    assert md.startswith("# My social media charter")
    assert "- **LinkedIn**: work" in md and "I stop reading work messages at 19:00" in md
    assert charter.RULES["courtesy"] in md and "Phone off on Sundays." in md
    page = charter.to_html(dict(c, own_words="<script>x</script>"))
    assert "<li><b>Instagram</b>: private life</li>" in page and "<script>" not in page
    md_file, html_file = charter.export(c, tmp_path, "md"), charter.export(c, tmp_path, "html")
    assert md_file.read_text(encoding="utf-8") == md
    assert html_file.name == "my_charter.html" and "<h2>My rules</h2>" in html_file.read_text(encoding="utf-8")


def test_an_incomplete_charter_is_not_exported(tmp_path):
    with pytest.raises(ValueError, match="not complete"):
        charter.export(dict(complete(), rules=[]), tmp_path)
