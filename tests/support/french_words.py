"""Solved notebooks answered with the French words learners type (course/learner/words_fr.py):
tests/test_words_fr.py runs them, tests/test_assignments.py grades them with nbgrader."""

from __future__ import annotations

import nbformat

from course import cells as cell_kinds

# Per module: in an answer cell's solution, English values and the French a learner may type.
# Both editions' solutions hold the English values (translators copy compared strings unchanged).
FRENCH_ANSWERS = {
    "00-getting-started": {"answer_where_to_post": [('"job offer"', '"Offre d’emploi"'),
                                                    ('"family photo"', '"photo de famille"')]},
    "01-one-network-one-audience": {
        "answer_approved_only": [('"Protect your posts"', '"Protéger vos posts"'),
                                 ('"Private account"', '"Compte privé"'), ('"Friends"', '"Amis sauf…"')],
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


def with_french(nb: nbformat.NotebookNode, module: str) -> nbformat.NotebookNode:
    """A copy of the solved notebook `nb` (either edition of `module`) whose solutions say
    the French words of FRENCH_ANSWERS[module] in place of their English values."""
    nb = nbformat.from_dict(nb)
    for grade_id, pairs in FRENCH_ANSWERS[module].items():
        cell = next(c for c in nb.cells if cell_kinds.nbgrader_meta(c).get("grade_id") == grade_id)
        template, solution = cell.source.split("### BEGIN SOLUTION", 1)
        for english, french in pairs:
            assert english in solution, f"{module} {grade_id}: the solution no longer holds {english}"
            solution = solution.replace(english, french)
        cell.source = template + "### BEGIN SOLUTION" + solution
    return nb
