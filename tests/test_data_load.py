"""course.learner.data.load: a fresh DataFrame every call, parsed once per process, parsed again
when the file changes."""

import os

import pytest

import course.learner.data as data


def test_each_call_returns_its_own_copy():
    first = data.load("contacts")
    first.iloc[0, 0] = "CHANGED"
    first["added"] = 1
    second = data.load("contacts")
    assert second.iloc[0, 0] != "CHANGED"
    assert "added" not in second.columns


def test_a_changed_file_is_parsed_again(tmp_path, monkeypatch):
    csv = tmp_path / "tiny.csv"
    csv.write_text("name,n\nA,1\n", encoding="utf-8")
    monkeypatch.setattr(data, "path", lambda name: csv)
    assert data.load("tiny")["n"].tolist() == [1]
    csv.write_text("name,n\nA,1\nB,22\n", encoding="utf-8")
    os.utime(csv, ns=(1, 1))  # a different modification time, whatever the clock's resolution
    assert data.load("tiny")["n"].tolist() == [1, 22]


def test_an_unknown_name_lists_the_data_sets():
    with pytest.raises(FileNotFoundError, match="available: .*contacts"):
        data.load("contact")
