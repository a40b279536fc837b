"""Parity of the two editions of every module: the same cells, ids and nbgrader metadata
(grade_id, points, grade, solution, locked), the same code and tests up to the translated
comments and strings, every catalogue entry translated from the current English, and the
committed French notebook equal to what `course translate` generates from its catalogue.
The checks (tests/support/editions.py) do not reuse the generator's code."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT
from support.editions import course_copy, parity_problems, pseudo_translate

from course.config import load
from course.coursedir import FRENCH, edition_name, modules, source_notebook
from course.trainer import notebooks, translate

MODULES = modules(ROOT)


def french_edition(root, module):
    path = translate.french_path(root, module)
    return notebooks.read(path) if path.is_file() else None


@pytest.mark.parametrize("module", MODULES)
def test_the_french_edition_grades_like_the_english_one(module):
    french = french_edition(ROOT, module)
    required = FRENCH in load(ROOT).course.editions
    if french is None:
        assert not required, (f"c.Course.editions has 'fr' but source/{edition_name(module, FRENCH)}/ does not "
                              f"exist: translate translations/fr/{module}.po, then run `course translate`.")
        pytest.skip(f"no French edition of {module} yet (c.Course.editions = ['en'])")
    english = notebooks.read(source_notebook(ROOT, module))
    catalog = translate.read_catalogue(translate.catalogue_path(ROOT, module))
    assert catalog is not None, f"source/{edition_name(module, FRENCH)}/ exists without its catalogue"
    assert parity_problems(english, french, catalog) == []
    generated = translate.generated_text(translate.french_notebook(ROOT, module, english, catalog))
    assert translate.french_path(ROOT, module).read_text(encoding="utf-8") == generated, (
        f"source/{edition_name(module, FRENCH)}/ was edited by hand or its catalogue changed: "
        "run `course translate` (edit the catalogue, never the French notebook)")


@pytest.mark.parametrize("module", MODULES)
def test_a_complete_catalogue_of_every_module_gives_an_edition_with_parity(module):
    """Before translators finish: a stand-in translation of every entry passes the parity checks."""
    english = notebooks.read(source_notebook(ROOT, module))
    catalog = translate.updated_catalogue(module, english, "here", None)
    pseudo_translate(catalog)
    french = translate.french_notebook(ROOT, module, english, catalog)
    assert parity_problems(english, french, catalog) == []
    assert french.metadata["course"]["edition"] == "fr"


MODULE = "04-strong-passwords"


@pytest.fixture
def edition(tmp_path):
    """A generated French edition of one module, with its catalogue and English notebook."""
    root = course_copy(tmp_path / "course", [MODULE])
    english = notebooks.read(source_notebook(root, MODULE))
    catalog = translate.updated_catalogue(MODULE, english, "here", None)
    pseudo_translate(catalog)
    french = translate.french_notebook(root, MODULE, english, catalog)
    assert parity_problems(english, french, catalog) == []
    return english, french, catalog


def _graded(nb):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("points"))


def test_parity_fails_on_a_stale_entry(edition):
    english, french, catalog = edition
    next(m for m in catalog if m.id and ":" not in m.context).flags.add("fuzzy")
    assert any("stale" in p for p in parity_problems(english, french, catalog))


def test_parity_fails_when_the_english_changed_after_translation(edition):
    english, french, catalog = edition
    cell = next(c for c in english.cells if c.cell_type == "markdown")
    cell.source += " And one more sentence."
    assert any("stale" in p for p in parity_problems(english, french, catalog))


def test_parity_fails_on_a_changed_point(edition):
    english, french, catalog = edition
    _graded(french).metadata["nbgrader"]["points"] += 1
    assert any("metadata differs" in p for p in parity_problems(english, french, catalog))


def test_parity_fails_on_changed_french_code(edition):
    english, french, catalog = edition
    cell = next(c for c in french.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code")
    cell.source = cell.source.replace("assert", "assert not", 1) if "assert" in cell.source else cell.source + "\nx = 1"
    assert any("beyond comments and strings" in p for p in parity_problems(english, french, catalog))


def test_parity_fails_on_a_hand_edited_french_cell(edition):
    english, french, catalog = edition
    cell = next(c for c in french.cells if c.cell_type == "markdown")
    cell.source = cell.source.replace("[fr]", "[edited]")
    assert any("not the catalogue's translation" in p for p in parity_problems(english, french, catalog))


def test_parity_fails_on_a_missing_or_moved_cell(edition):
    english, french, catalog = edition
    french.cells.append(nbformat.v4.new_markdown_cell("Une cellule de plus."))
    assert parity_problems(english, french, catalog) == [
        f"{len(english.cells)} English cells, {len(english.cells) + 1} French ones"]
    french.cells.pop()
    french.cells[0], french.cells[1] = french.cells[1], french.cells[0]
    assert any("kind or id differs" in p for p in parity_problems(english, french, catalog))


@pytest.mark.parametrize("module", MODULES)
def test_the_french_release_says_where_answers_go_in_french(module):
    """nbgrader writes its stubs (c.ClearSolutions.code_stub, text_stub) where an answer
    goes: the French edition's learners read them in French, as many as the English has."""
    from course.learner.language import messages

    stubs = load(ROOT).config.ClearSolutions
    english = [*stubs.code_stub.values(), stubs.text_stub]
    french = [messages(FRENCH)[text] for text in english]

    def count(name, texts):
        nb = nbformat.read(ROOT / "release" / name / f"{name}.ipynb", as_version=4)
        return sum(cell.source.count(text) for cell in nb.cells for text in texts)

    french_name = edition_name(module, FRENCH)
    assert count(module, english) > 0
    assert count(french_name, english) == 0, f"release/{french_name} shows nbgrader's stub in English"
    assert count(french_name, french) == count(module, english)
