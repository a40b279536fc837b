"""French words learners type (course/learner/words_fr.py): the check's rule and the privacy
model read them as their English values, so a French answer passes the visible check and the
hidden test exactly where the English one does, in either edition."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient
from support.kernels import ipc_kernels
from support.french_words import FRENCH_ANSWERS, with_french

from course import cells as cell_kinds
from course.coursedir import source_notebook
from course.learner import check, networks, words_fr
from course.learner.visibility import who_can_see

def test_a_french_word_is_its_english_value_whatever_the_typing():
    for typed in ("amis sauf...", "Amis  Sauf…", "AMIS_SAUF", "amis-sauf"):
        assert words_fr.english(typed) == "friends_except", typed
    assert check.normalise(["Collegues", " Non utilisé ", "Offre d'emploi"]) == ["colleagues", "not used", "job offer"]
    assert check.normalise({"Moi uniquement": "Amis"}) == {"only_me": "friends"}
    # Not French, or not in the table: the word stays what it is.
    assert check.normalise(["friends", "copains", "LinkedIn"]) == ["friends", "copains", "linkedin"]


def test_a_word_with_two_meanings_takes_the_one_the_network_has():
    assert who_can_see({"network": "linkedin", "audience": "tout le monde"}).settings.audience == "anyone"
    assert who_can_see({"network": "tiktok", "audience": "Tout le monde"}).settings.audience == "everyone"
    assert who_can_see({"network": "facebook", "audience": "moi uniquement"}).settings.audience == "only_me"
    assert who_can_see({"network": "tiktok", "audience": "moi uniquement"}).settings.audience == "only_you"
    french = who_can_see({"network": "facebook", "audience": "amis sauf", "except": ["responsable", "clients"]})
    english = who_can_see({"network": "facebook", "audience": "friends_except", "except": ["manager", "clients"]})
    assert french.names() == english.names()


def test_the_table_never_maps_an_english_value_of_the_course_elsewhere():
    english_values = {v for values in words_fr._TABLE.values() for v in values}
    for value in english_values:
        assert words_fr.english(value) == value


MODULE_1 = "01-one-network-one-audience"
# Module 1, exercise 2, answered with the labels the French apps show (fr.po lists the sources).
FRENCH_APPROVED_ONLY = {"X": "Protéger vos posts", "Instagram": "Compte privé", "TikTok": "Compte privé",
                        "Facebook": "Amis"}


def _approved_only_test(edition: str) -> tuple[str, str]:
    """(visible check, hidden test) of the edition's test cell for exercise 2."""
    nb = nbformat.read(source_notebook(ROOT, edition), as_version=4)
    cell = next(c for c in nb.cells if cell_kinds.nbgrader_meta(c).get("grade_id") == "test_approved_only")
    visible, hidden = cell.source.split("### BEGIN HIDDEN TESTS")
    return visible, hidden


def _verdict(code: str, approved_only: dict) -> str:
    try:
        exec(code, {"check": check, "networks": networks, "approved_only": approved_only})
    except check.AnswerError:
        return "refused"
    return "accepted"


@pytest.mark.parametrize("edition", [MODULE_1, MODULE_1 + "-fr"])
@pytest.mark.parametrize("network, label", [
    ("Facebook", "Amis sauf…"), ("Facebook", "amis sauf..."), ("Facebook", "Amis, sauf…"),
    ("Facebook", "Amis spécifiques"), ("Facebook", "Amis"), ("X", "Protéger mes Tweets"),
    ("X", "Protégez vos publications")])
def test_module_1_accepts_the_french_apps_labels(edition, network, label):
    """Exercise 2's visible check and hidden test, as both editions have them."""
    answer = dict(FRENCH_APPROVED_ONLY, **{network: label})
    visible, hidden = _approved_only_test(edition)
    assert (_verdict(visible, answer), _verdict(hidden, answer)) == ("accepted", "accepted"), answer


@pytest.mark.parametrize("edition", [MODULE_1, MODULE_1 + "-fr"])
@pytest.mark.parametrize("network, label", [
    ("Facebook", "Moi uniquement"), ("Facebook", "Public"), ("Facebook", "Personnalisé"),
    ("Facebook", "Amis proches"), ("Instagram", "Amis proches"), ("X", "Public")])
def test_module_1_refuses_a_french_label_that_lets_others_in(edition, network, label):
    answer = dict(FRENCH_APPROVED_ONLY, **{network: label})
    visible, hidden = _approved_only_test(edition)
    assert (_verdict(visible, answer), _verdict(hidden, answer)) == ("refused", "refused"), answer


def _failed_tests(module: str, nb: nbformat.NotebookNode) -> list[str]:
    path = source_notebook(ROOT, module)
    NotebookClient(nb, timeout=120, kernel_name="python3", config=ipc_kernels(), allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return [cell_kinds.nbgrader_meta(c)["grade_id"] for c in nb.cells
            if cell_kinds.is_test(c) and any(o.output_type == "error" for o in c.outputs)]


@pytest.mark.slow
@pytest.mark.parametrize("module", sorted(FRENCH_ANSWERS))
def test_french_words_pass_the_visible_check_and_the_hidden_test(module):
    """The solved notebook with French words in place of the English values: every test cell,
    hidden tests included (the source notebook has them), passes."""
    solved = nbformat.read(source_notebook(ROOT, module), as_version=4)
    assert _failed_tests(module, with_french(solved, module)) == []


@pytest.mark.slow
def test_a_french_word_outside_the_table_fails_like_a_wrong_answer():
    module = "03-coherent-personas"
    nb = with_french(nbformat.read(source_notebook(ROOT, module), as_version=4), module)
    cell = next(c for c in nb.cells if cell_kinds.nbgrader_meta(c).get("grade_id") == "answer_post_actions")
    cell.source = cell.source.replace('"garder"', '"laisser"')
    assert _failed_tests(module, nb) == ["test_post_actions"]
