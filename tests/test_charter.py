"""The personal charter: the plain functions, the form (driven by setting .value), the export."""

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


def test_form_starts_incomplete_and_setting_values_changes_the_charter():
    form = charter.build_charter_form()
    before = form.charter()
    assert charter.charter_problems(before)
    assert "Still to do" in form.preview.value

    form.audience["LinkedIn"].value = "work"
    form.audience["Instagram"].value = "private"
    for rule in ("courtesy", "quiet_hours", "no_location"):
        form.rule_boxes[rule].value = True
    form.offline_from.value = 18
    form.own_words.value = "  No work apps on my phone.  "

    after = form.charter()
    assert after != before
    assert after["networks"]["LinkedIn"] == "work" and after["networks"]["Instagram"] == "private"
    assert after["rules"] == ["no_location", "courtesy", "quiet_hours"]
    assert after["offline_from"] == 18 and after["own_words"] == "No work apps on my phone."
    assert charter.charter_problems(after) == []
    # The preview shows the same charter as code to copy, and says it is complete.
    assert "complete" in form.preview.value and "&#x27;offline_from&#x27;: 18" in form.preview.value


def test_as_code_gives_back_the_same_dict():
    namespace: dict = {}
    exec(charter.as_code(complete()), namespace)
    assert namespace["my_charter"] == complete()


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
