"""The personal charter: the plain functions, the checks of module 7, the form (driven by
setting .value), the export."""

from pathlib import Path

import pytest

from course.learner import charter
from course.trainer.charter_choices import ANSWER_CELL, MIN_CHARTERS, chosen_rules, rules_in_cell

ROOT = Path(__file__).resolve().parents[1]


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


def test_show_saves_the_documents_or_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    shown = charter.show(complete(), tmp_path)
    assert "# My social media charter" in shown.data and "my_charter.html" in shown.data
    assert f"Saved in {tmp_path}" in shown.data
    assert (tmp_path / "my_charter.md").exists() and (tmp_path / "my_charter.html").exists()
    assert "not complete yet" in repr(charter.show(dict(complete(), rules=[]), tmp_path / "no"))
    assert "not complete yet" in repr(charter.show(..., tmp_path / "no"))
    assert not (tmp_path / "no").exists()


def test_show_saves_next_to_the_notebook_and_says_how_to_print(tmp_path, monkeypatch):
    """The kernel's working folder is the notebook's folder in JupyterLab: the charter is
    kept there, where the learner finds it in the file browser, not in a temporary folder."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.chdir(tmp_path)
    shown = charter.show(complete())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my_charter.html", "my_charter.md"]
    assert (tmp_path / "my_charter.md").read_text(encoding="utf-8") == charter.to_markdown(complete())
    words = " ".join(shown.data.split())
    assert "Saved next to this notebook as **my_charter.html** (to print) and **my_charter.md**" in words
    assert "open my_charter.html from the file browser" in words and "print it" in words
    assert words.endswith(" ".join(charter.to_markdown(complete()).split()))


@pytest.mark.parametrize("grader", ["autograde", "validate"])
def test_show_saves_nothing_while_the_notebook_is_graded(tmp_path, monkeypatch, grader):
    """nbgrader and `course grade` set NBGRADER_EXECUTION: a grader's run keeps no file."""
    monkeypatch.setenv("NBGRADER_EXECUTION", grader)
    monkeypatch.chdir(tmp_path)
    shown = charter.show(complete())
    assert list(tmp_path.iterdir()) == []
    assert shown.data.startswith("*Not saved while the notebook is graded") and "## My rules" in shown.data


def test_show_says_when_the_folder_cannot_be_written(tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    shown = charter.show(complete(), blocked)
    assert shown.data.startswith(f"*Your charter could not be saved in {blocked}")
    assert "Copy it from below" in shown.data and "## My rules" in shown.data


def test_the_page_prints_on_a4():
    page = charter.to_html(complete())
    assert "@media print" in page and "@page { size: A4" in page


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


# --- The report's count of the rules kept (course.trainer.charter_choices) --------------------

def charter_form() -> str:
    """Module 7's charter form as learners get it (the answer cell before its solution)."""
    import nbformat

    from course.coursedir import source_notebook

    nb = nbformat.read(str(source_notebook(ROOT, "07-rights-and-charter")), as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == ANSWER_CELL)
    return cell.source.split("### BEGIN SOLUTION")[0]


def filled_in(drop=("no_live_travel",), audience='"private"') -> str:
    """The form with every network answered and the rules in `drop` deleted."""
    lines = [ln for ln in charter_form().splitlines() if not any(f'"{r}"' in ln for r in drop)]
    text = "\n".join(lines)
    for net in charter.NETWORKS:
        text = text.replace(f'"{net}": ...,', f'"{net}": {audience},')
    return text


def test_rules_are_read_from_a_filled_in_charter_only():
    assert rules_in_cell(charter_form()) is None, "the untouched form lists every rule: not a choice"
    assert rules_in_cell(filled_in()) == [r for r in charter.RULES if r != "no_live_travel"]
    assert rules_in_cell(filled_in(drop=list(charter.RULES)[3:])) == list(charter.RULES)[:3]
    typed = filled_in(drop=list(charter.RULES)).replace('"rules": [', '"Rules": [" Courtesy ", "made_up", 3,')
    assert rules_in_cell(typed) == ["courtesy"]  # the course's one rule for typed words; unknown ones left out
    for broken in ["my_charter = make()", "my_charter = {", "print('no charter')", filled_in(audience="x")]:
        assert rules_in_cell(broken) is None


def test_rule_counts_are_shown_from_five_charters_only(tmp_path):
    import nbformat
    from support.knowledge_notebooks import a_cohort

    def notebook(source):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade_id": ANSWER_CELL, "solution": True}
        nb.cells = [nbformat.v4.new_markdown_cell("Module 7"), cell]
        return nb

    three = list(charter.RULES)[3:]  # deleting these keeps the first three rules
    notebooks = {f"l{i}": notebook(filled_in(drop=three)) for i in range(4)}
    notebooks["untouched"] = notebook(charter_form())
    notebooks["corrupt"] = "{ not json"
    cohort = a_cohort(tmp_path / "four", notebooks, "07-charter", ANSWER_CELL)
    assert chosen_rules(cohort) == {"charters": 4, "minimum": MIN_CHARTERS, "rules": []}

    notebooks["l4"] = notebook(filled_in(drop=three[:-1] + ["courtesy"]))  # keeps personal_email, not courtesy
    counts = chosen_rules(a_cohort(tmp_path / "five", notebooks, "07-charter", ANSWER_CELL))
    assert counts["charters"] == 5
    table = {r["rule"]: r["learners"] for r in counts["rules"]}
    assert table == {**{r: 0 for r in charter.RULES}, "consent_photos": 5, "no_internal_info": 5,
                     "no_live_travel": 5, "personal_email": 1}
    assert [r["rule"] for r in counts["rules"]][:3] == ["consent_photos", "no_internal_info", "no_live_travel"]
    assert counts["rules"][0]["text"] == charter.RULES["consent_photos"]
    # A module without the charter's answer cell is not read.
    assert chosen_rules(a_cohort(tmp_path / "other", notebooks, "07-charter", None))["charters"] == 0


def test_a_charter_saved_beside_a_module_never_reaches_its_release(tmp_path, monkeypatch):
    """Running module 7 in its own folder (the source notebook's test does) saves a charter
    there: copying a module for release leaves it out, and release/ ignores it."""
    from course.coursedir import copy_sources
    from course.trainer.release import differences

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    module = tmp_path / "course" / "source" / "07-x"
    module.mkdir(parents=True)
    (module / "07-x.ipynb").write_text("{}")
    monkeypatch.chdir(module)
    charter.show(complete())
    assert (module / "my_charter.html").exists()
    copied = copy_sources(tmp_path / "course", ["07-x"], tmp_path / "copy") / "source" / "07-x"
    assert sorted(p.name for p in copied.iterdir()) == ["07-x.ipynb"]
    assert differences(module, copied) == []
