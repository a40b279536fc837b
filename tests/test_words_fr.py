"""French words learners type (course/learner/words_fr.py): the check's rule and the privacy
model read them as their English values, so a French answer passes the visible check and the
hidden test exactly where the English one does, in either edition."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

from course import cells as cell_kinds
from course.coursedir import source_notebook
from course.learner import check, words_fr
from course.learner.visibility import who_can_see

# Per module: in an answer cell's solution, English values and the French a learner may type.
FRENCH_ANSWERS = {
    "00-getting-started": {"answer_where_to_post": [('"job offer"', '"Offre d’emploi"'),
                                                    ('"family photo"', '"photo de famille"')]},
    "01-one-network-one-audience": {
        "answer_approved_only": [('"Protect your posts"', '"Protéger vos posts"'),
                                 ('"Private account"', '"Compte privé"'), ('"Friends"', '"Amis"')],
        "answer_route_posts": [('"nowhere"', '"nulle part"')]},
    "02-who-can-see-this-post": {
        "answer_holiday_settings": [('"friends_except"', '"Amis sauf..."'), ('"colleague"', '"collègue"'),
                                    ('"manager"', '"responsable"')],
        "answer_client_post_settings": [('"anyone"', '"Tout le monde"')],
        "answer_dinner_settings": [('"friends"', '"amis"'), ('"only_me"', '"Moi uniquement"')],
        "answer_story_settings": [('"close_friends"', '"amis proches"')]},
    "03-coherent-personas": {
        "answer_post_actions": [('"delete"', '"supprimer"'), ('"keep"', '"garder"'), ('"move"', '"déplacer"'),
                                ('"restrict"', '"restreindre"')],
        "answer_contradictions": [('"none"', '"aucun"')]},
    "05-secure-accounts": {"answer_mfa_ranking": [('"app"', '"application"'), ('"sms"', '"texto"'),
                                                  ('"none"', '"aucune"')]},
    "07-rights-and-charter": {"answer_my_charter": [('"work"', '"travail"'), ('"private"', '"vie privée"'),
                                                    ('"not used"', '"non utilisé"')]},
}


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


def _with_french(module: str) -> nbformat.NotebookNode:
    nb = nbformat.read(source_notebook(ROOT, module), as_version=4)
    for grade_id, pairs in FRENCH_ANSWERS[module].items():
        cell = next(c for c in nb.cells if cell_kinds.nbgrader_meta(c).get("grade_id") == grade_id)
        template, solution = cell.source.split("### BEGIN SOLUTION", 1)
        for english, french in pairs:
            assert english in solution, f"{module} {grade_id}: the solution no longer holds {english}"
            solution = solution.replace(english, french)
        cell.source = template + "### BEGIN SOLUTION" + solution
    return nb


def _failed_tests(module: str, nb: nbformat.NotebookNode) -> list[str]:
    path = source_notebook(ROOT, module)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return [cell_kinds.nbgrader_meta(c)["grade_id"] for c in nb.cells
            if cell_kinds.is_test(c) and any(o.output_type == "error" for o in c.outputs)]


@pytest.mark.slow
@pytest.mark.parametrize("module", sorted(FRENCH_ANSWERS))
def test_french_words_pass_the_visible_check_and_the_hidden_test(module):
    """The solved notebook with French words in place of the English values: every test cell,
    hidden tests included (the source notebook has them), passes."""
    assert _failed_tests(module, _with_french(module)) == []


@pytest.mark.slow
def test_a_french_word_outside_the_table_fails_like_a_wrong_answer():
    module = "03-coherent-personas"
    nb = _with_french(module)
    cell = next(c for c in nb.cells if cell_kinds.nbgrader_meta(c).get("grade_id") == "answer_post_actions")
    cell.source = cell.source.replace('"garder"', '"laisser"')
    assert _failed_tests(module, nb) == ["test_post_actions"]
