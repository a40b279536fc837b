"""`course translate` and the French edition's machinery: the catalogue's entries, --update
(new, stale, moved, removed entries), generation (exact copy of every untranslated character,
refused translations), the check, and `course release` with c.Course.editions."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT
from support.editions import course_copy, parity_problems, pseudo_translate

from course.cli import main
from course.coursedir import (CourseError, edition_name, language_of, module_of, modules, resolve_assignments,
                              source_notebook)
from course.trainer import notebooks, translate

MODULE = "04-strong-passwords"  # the smallest catalogue; every module works the same


def english(module: str = MODULE, root=ROOT):
    return notebooks.read(source_notebook(root, module))


def read_catalogue(path):
    return translate.read_catalogue(path)


def write_catalogue(catalog, path):
    """As a translator's editor saves it."""
    path.write_bytes(translate.catalogue_text(catalog))


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course with one English module; `course` commands run on it."""
    root = course_copy(tmp_path / "course", [MODULE])
    monkeypatch.setenv("COURSE_DIR", str(root))
    return root


def test_an_assignment_names_its_module_and_language():
    module = "02-who-can-see-this-post"
    assert module_of(f"{module}-fr") == module_of(module) == module
    assert language_of("02-who-can-see-this-post-fr") == "fr" and language_of("02-who-can-see-this-post") == "en"
    assert edition_name("02-who-can-see-this-post", "fr") == "02-who-can-see-this-post-fr"
    assert edition_name("02-who-can-see-this-post", "en") == "02-who-can-see-this-post"


def test_translatable_pieces_are_comments_and_sentences_never_code():
    source = ('x = "friends"  # the audience\n'
              'print("Who can see it?")\n'
              '### BEGIN SOLUTION\n'
              'msg = f"{n} people see it"\n'
              '### END SOLUTION\n'
              'd = {"only me": 1, \'key\': "a_b"}\n')
    pieces = translate.translatable_tokens(source)
    assert [(kind, text) for kind, _, _, text in pieces] == [
        ("comment", "# the audience"), ("string", '"Who can see it?"'),
        ("string", 'f"{n} people see it"'), ("string", '"only me"')]
    assert all(source[start:end] == text for _, start, end, text in pieces)


@pytest.mark.parametrize("module", modules(ROOT))
def test_a_catalogue_that_repeats_the_english_gives_back_every_cell(module):
    """Replacing each piece by itself changes no character: what is not translated is the
    English, byte for byte, in every cell of every module."""
    nb = english(module)
    catalog = translate.updated_catalogue(module, nb, "here", None)
    for message in catalog:
        message.string = message.id
    french = translate.french_notebook(ROOT, module, nb, catalog)
    for en, fr in zip(nb.cells, french.cells, strict=True):
        expected = en.source
        if translate.is_setup_cell(en) and en is next(c for c in nb.cells if translate.is_setup_cell(c)):
            expected = translate.LANGUAGE_LINE.format(code="fr") + "\n" + en.source
        assert fr.source == expected, en.id
        assert fr.metadata == en.metadata
    assert french.metadata["kernelspec"] == nb.metadata["kernelspec"]
    assert parity_problems(nb, french, catalog) == []


def test_update_writes_one_empty_entry_per_piece_and_is_stable(course, capsys):
    assert main(["translate", "--update", "04"]) == 0
    path = course / "translations" / "fr" / f"{MODULE}.po"
    catalog = read_catalogue(path)
    pieces = translate.entries(english())
    assert [(m.context, m.id) for m in catalog if m.id] == [(e.context, e.english) for e in pieces]
    assert all(not m.string for m in catalog if m.id)
    assert f"{MODULE}: 0 translated, {len(pieces)} missing, 0 stale" in capsys.readouterr().out
    before = path.read_bytes()
    assert main(["translate", "--update"]) == 0
    assert path.read_bytes() == before


def test_changed_english_makes_entries_stale_moved_english_keeps_its_translation(course, capsys):
    assert main(["translate", "--update", "04"]) == 0
    path = course / "translations" / "fr" / f"{MODULE}.po"
    catalog = read_catalogue(path)
    pseudo_translate(catalog)
    write_catalogue(catalog, path)
    assert main(["translate"]) == 0
    french_file = course / "source" / f"{MODULE}-fr" / f"{MODULE}-fr.ipynb"
    assert french_file.is_file()
    capsys.readouterr()

    # The author edits a markdown cell, adds a comment above a commented code cell, deletes a cell.
    nb_path = source_notebook(course, MODULE)
    nb = notebooks.read(nb_path)
    markdown = next(c for c in nb.cells if c.cell_type == "markdown")
    old_markdown = markdown.source
    markdown.source = old_markdown + "\n\nOne more sentence."
    commented = next(c for c in nb.cells if c.cell_type == "code" and
                     any(kind == "comment" for kind, *_ in translate.translatable_tokens(c.source)))
    old_pieces = [text for *_, text in translate.translatable_tokens(commented.source)]
    commented.source = "# A new first comment.\n" + commented.source
    removed = next(c for c in reversed(nb.cells) if c.cell_type == "markdown" and c is not markdown)
    nb.cells.remove(removed)
    notebooks.write(nb, nb_path)

    assert main(["translate", "--update", "04"]) == 0
    assert "1 missing, 1 stale" in capsys.readouterr().out
    messages = {m.context: m for m in read_catalogue(path) if m.id}
    stale = messages[markdown.id]
    assert stale.fuzzy and stale.previous_id == [old_markdown] and stale.string == "[fr] " + old_markdown
    assert messages[f"{commented.id}:0"].id == "# A new first comment." and not messages[f"{commented.id}:0"].string
    for n, text in enumerate(old_pieces, start=1):
        moved = messages[f"{commented.id}:{n}"]
        assert moved.id == text and moved.string and not moved.fuzzy
    assert removed.id not in messages

    assert main(["translate"]) == 1  # nothing is written while an entry is missing or stale
    out = capsys.readouterr().out
    assert f"stale   cell 1 [{markdown.id}] markdown: {old_markdown.split()[0]}" in out
    assert "missing cell" in out and f"[{commented.id}:0] comment: # A new first comment." in out
    assert "course translate --update" in out
    assert main(["translate", "--check"]) == 1


def test_the_check_finds_a_hand_edited_french_notebook(course, capsys):
    assert main(["translate", "--update"]) == 0
    path = course / "translations" / "fr" / f"{MODULE}.po"
    catalog = read_catalogue(path)
    pseudo_translate(catalog)
    write_catalogue(catalog, path)
    assert main(["translate", "--check"]) == 1  # not generated yet
    assert main(["translate"]) == 0
    assert main(["translate", "--check"]) == 0
    french_file = course / "source" / f"{MODULE}-fr" / f"{MODULE}-fr.ipynb"
    generated = french_file.read_text(encoding="utf-8")
    french_file.write_text(generated.replace("[fr] ", "[edited] ", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["translate", "--check"]) == 1
    assert f"out of date source/{MODULE}-fr/{MODULE}-fr.ipynb" in capsys.readouterr().out
    assert main(["translate"]) == 0
    assert french_file.read_text(encoding="utf-8") == generated
    assert resolve_assignments(course, ["04"]) == [MODULE, f"{MODULE}-fr"]
    assert resolve_assignments(course, [f"{MODULE}-fr"]) == [f"{MODULE}-fr"]


def _one_cell_course(course, code: str):
    nb = nbformat.v4.new_notebook()
    setup = nbformat.v4.new_code_cell("from course.learner import check")
    setup.metadata["nbgrader"] = {"grade_id": "setup", "grade": False, "solution": False, "locked": True,
                                  "schema_version": 3}
    nb.cells = [setup, nbformat.v4.new_code_cell(code)]
    notebooks.write(nb, source_notebook(course, MODULE))
    nb = english(root=course)
    return nb, translate.updated_catalogue(MODULE, nb, "here", None)


@pytest.mark.parametrize("code, french, problem", [
    ("x = 1  # one sentence", "un commentaire", "must start with #"),
    ("x = 1  # one sentence", "# sur\n# deux lignes", "must start with #"),
    ('print("Hello there")', '"Bonjour " + nom', "one string literal"),
    ('print("Hello there")', '"Bonjour', "not a Python string"),
    ('print(f"{n} people see it")', 'f"des gens le voient"', "same {...} placeholders"),
    ('print(f"{n} people see it")', '"{n} personnes le voient"', "one string literal"),
])
def test_a_translation_that_is_not_the_same_kind_of_token_is_refused(course, code, french, problem):
    nb, catalog = _one_cell_course(course, code)
    for message in catalog:
        message.string = french
    with pytest.raises(CourseError, match=r"\[\w+:0\].*" + problem.replace("{", r"\{").replace("(", r"\(")):
        translate.french_notebook(course, MODULE, nb, catalog)


def test_a_translation_may_move_the_placeholders_of_an_f_string(course):
    nb, catalog = _one_cell_course(course, 'print(f"{n} people see {post}")')
    for message in catalog:
        message.string = 'f"{post} : {n} personnes le voient"'
    french = translate.french_notebook(course, MODULE, nb, catalog)
    assert french.cells[1].source == 'print(f"{post} : {n} personnes le voient")'


def test_release_fails_while_a_required_french_edition_is_missing(course, capsys):
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as f:
        f.write('\nc.Course.editions = ["en", "fr"]\n')
    assert main(["release"]) == 2
    err = capsys.readouterr().err
    assert f"{MODULE}: no French catalogue yet" in err and "course translate" in err
    assert 'c.Course.editions = ["en"]' in err
    assert not (course / "release").exists()


@pytest.mark.slow
def test_release_releases_both_editions_and_refuses_a_stale_one(course, capsys):
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as f:
        f.write('\nc.Course.editions = ["en", "fr"]\n')
    assert main(["translate", "--update"]) == 0
    path = course / "translations" / "fr" / f"{MODULE}.po"
    catalog = read_catalogue(path)
    pseudo_translate(catalog)
    write_catalogue(catalog, path)
    assert main(["release", "04"]) == 0  # generates the French source, then releases both
    released = nbformat.read(course / "release" / f"{MODULE}-fr" / f"{MODULE}-fr.ipynb", as_version=4)
    assert released.cells[0].source.startswith("[fr] ")
    assert any(c.source.startswith(translate.LANGUAGE_LINE.format(code="fr")) for c in released.cells)
    assert "### BEGIN SOLUTION" not in nbformat.writes(released)
    assert main(["release", "--check"]) == 0

    catalog = read_catalogue(path)
    next(m for m in catalog if m.id).flags.add("fuzzy")
    write_catalogue(catalog, path)
    capsys.readouterr()
    assert main(["release", "--check"]) == 2
    assert f"{MODULE}: " in capsys.readouterr().err


def test_a_broken_catalogue_is_a_clear_error(course, capsys):
    path = course / "translations" / "fr" / f"{MODULE}.po"
    path.parent.mkdir(parents=True)
    path.write_text('msgctxt "abc"\nmsgid "Hello\nmsgstr ""\n', encoding="utf-8")
    assert main(["translate"]) == 2
    err = capsys.readouterr().err
    assert f"{MODULE}.po is not a readable PO file (line 2" in err and "Poedit" in err


def test_words_a_check_shows_are_offered_even_without_a_space():
    # "Still missing: 1 of the networks": the `what` of answer_items is read, never compared.
    source = ('check.answer_items(x, "x", ["k"], "networks", "Keep them")\n'
              'note = "é"; check.answer_items(a, "a", [], what="letter(s)")\n'
              'audience = "friends"\n')
    offered = [text for _, _, _, text in translate.translatable_tokens(source)]
    assert offered == ['"networks"', '"Keep them"', '"letter(s)"']


def test_a_sentence_translated_as_one_word_is_refused():
    entry = next(e for e in translate.entries(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('print("photo ids", 3)')])) if e.kind == translate.STRING)
    with pytest.raises(CourseError, match="keep at least one space"):
        translate._check_token(entry, '"photos"', "test")
    translate._check_token(entry, '"photos prêtes"', "test")  # a French sentence is fine
