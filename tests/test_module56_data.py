"""The data sets of modules 6 (oversharing) and 7 (rights and charter): made by their
seeded scripts, and holding the teaching cases the exercises rely on."""

import csv
import random

import pandas as pd

from course.learner.data import load
from course.learner.data import make_consent, make_photos, make_pii_posts, make_worklog


def as_strings(rows: list[dict]) -> list[dict]:
    return [{k: str(v) for k, v in row.items()} for row in rows]


def csv_rows(name: str) -> list[dict]:
    with open(make_pii_posts.HERE / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_pii_posts_are_what_the_seeded_script_makes():
    rows = make_pii_posts.pii_rows(random.Random(make_pii_posts.SEED))
    assert as_strings(rows) == csv_rows("pii_posts")


def test_pii_posts_have_cases_and_decoys_for_every_kind():
    posts = load("pii_posts")
    for kind in make_pii_posts.KINDS:
        assert posts[kind].sum() >= 5, f"too few {kind} posts to measure recall"
    nothing = posts[make_pii_posts.KINDS].sum(axis=1) == 0
    assert nothing.sum() >= 20
    # Invented addresses only: reserved .example domains.
    emails = posts["text"].str.extract(r"@([\w.-]+)")[0].dropna()
    assert len(emails) and emails.str.endswith(".example").all()


def test_osint_handles_link_every_post_and_sam_has_the_risky_clues():
    linked = load("osint_posts").merge(load("osint_handles"), on=["network", "handle"], how="left")
    assert linked["person"].notna().all() and (linked["person"] != "").all()
    sam = linked[linked["person"] == "Sam R."]
    assert {"street", "away_dates", "employer", "manager", "pet_name"} <= set(sam["clue"])
    assert sam["network"].nunique() >= 4  # only a join across networks finds everything


def test_internal_drafts_carry_no_answer():
    drafts = load("internal_posts")
    assert list(drafts.columns) == ["post_id", "audience", "text"]
    assert drafts["post_id"].is_unique and "Friends" in set(drafts["audience"])


def test_kims_drafts_and_colleague_posts_carry_no_answer():
    kim, colleagues = load("kim_drafts"), load("colleague_posts")
    assert list(kim.columns) == ["post_id", "text"] and kim["post_id"].is_unique
    assert list(colleagues.columns) == ["post_id", "audience", "text"] and colleagues["post_id"].is_unique
    assert [tuple(r.values()) for r in csv_rows("colleague_posts")] == [
        (f"C{i + 1:02d}", a, t) for i, (a, t) in enumerate(make_pii_posts.COLLEAGUES)]
    # Friends-only posts among them: the audience does not make a colleague's health postable.
    assert "Friends" in set(colleagues["audience"]) and "Public" in set(colleagues["audience"])


def test_photos_are_what_the_seeded_script_makes(tmp_path, monkeypatch):
    monkeypatch.setattr(make_photos, "OUT", tmp_path)
    make_photos.main()
    committed = sorted(make_photos.Path(make_photos.__file__).with_name("photos").glob("*.jpg"))
    assert [p.name for p in committed] == sorted(p[0] for p in make_photos.PHOTOS)
    for path in committed:
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
        assert path.stat().st_size < 10_000


def test_worklog_is_seeded_and_has_a_deadline_peak():
    rows = make_worklog.make_rows(random.Random(make_worklog.SEED))
    assert as_strings(rows) == csv_rows("worklog")
    log = load("worklog")
    sent = pd.to_datetime(log["sent_at"])
    outside = (sent.dt.hour < 8) | (sent.dt.hour >= 19) | (sent.dt.day_of_week >= 5)
    weekly = outside.groupby(sent.dt.strftime("%G-W%V")).mean()
    assert len(weekly) == make_worklog.WEEKS
    assert weekly.iloc[3:5].min() > weekly.iloc[:3].max()  # the deadline weeks stand out


def test_consents_match_the_script_and_hold_the_teaching_cases():
    assert [tuple(r.values()) for r in csv_rows("team_photos")] == list(make_consent.APPEARANCES)
    assert [tuple(r.values()) for r in csv_rows("consents")] == list(make_consent.CONSENTS)
    photos, consents = load("team_photos"), load("consents")
    shown = set(zip(photos["photo_id"], photos["person"]))
    given = set(zip(consents["photo_id"], consents["person"]))
    assert given <= shown  # every consent is for a photo the person is in
    others = {(p, who) for p, who, role in zip(photos["photo_id"], photos["person"], photos["role"]) if role != "self"}
    missing = others - given
    consenting_people = {who for _, who in given}
    # Someone who agreed for one photo but not another, and someone who never agreed.
    assert any(who in consenting_people for _, who in missing)
    assert any(who not in consenting_people for _, who in missing)
