"""Reading, adding and removing the GPS position of photos (EXIF), on copies only."""

from pathlib import Path

import pytest
from PIL import Image

from course.learner import exif


@pytest.fixture
def plain_photo(tmp_path) -> Path:
    path = tmp_path / "src" / "plain.jpg"
    path.parent.mkdir()
    img_exif = Image.Exif()
    img_exif[exif.MODEL] = "Test camera"
    img_exif[exif.DATETIME] = "2026:01:02 03:04:05"
    Image.new("RGB", (20, 10), (10, 200, 30)).save(path, "JPEG", exif=img_exif)
    return path


def test_a_photo_without_position_reads_none(plain_photo):
    assert exif.read_gps(plain_photo) is None
    assert exif.read_tags(plain_photo)["gps"] == ""


def test_add_then_read_gps_round_trips_south_and_west(plain_photo, tmp_path):
    tagged = exif.add_gps(plain_photo, -33.8568, -70.6483, tmp_path / "out")
    lat, lon = exif.read_gps(tagged)
    assert lat == pytest.approx(-33.8568, abs=1e-4) and lon == pytest.approx(-70.6483, abs=1e-4)


def test_remove_gps_writes_a_copy_without_position_and_keeps_the_rest(plain_photo, tmp_path):
    tagged = exif.add_gps(plain_photo, 45.7578, 4.832, tmp_path / "tagged")
    clean = exif.remove_gps(tagged, tmp_path / "clean")
    assert clean != tagged and clean.name == tagged.name
    assert exif.read_gps(clean) is None
    assert exif.read_gps(tagged) is not None  # the original is untouched
    tags = exif.read_tags(clean)
    assert (tags["camera"], tags["taken"], tags["size"]) == ("Test camera", "2026:01:02 03:04:05", "20x10")


def test_tools_refuse_to_overwrite_the_original(plain_photo):
    with pytest.raises(ValueError, match="another folder"):
        exif.remove_gps(plain_photo, plain_photo.parent)


def test_sample_photos_and_table():
    names = [p.name for p in exif.sample_photos()]
    assert "garden.jpg" in names and len(names) >= 4
    table = exif.photo_table()
    assert list(table.columns) == ["file", "size", "camera", "taken", "gps"]
    with_position = set(table.loc[table["gps"] != "", "file"])
    assert with_position and with_position != set(names)  # some photos have a position, some do not


def test_unknown_photo_names_the_known_ones():
    with pytest.raises(FileNotFoundError, match="garden.jpg"):
        exif.photo_path("nope.jpg")


def test_map_link_points_at_the_position():
    assert "mlat=45.75780&mlon=4.83200" in exif.map_link((45.7578, 4.832))


# How a photo travels: Facebook, Instagram, X and WhatsApp's usual photo send remove the
# location; an e-mail attachment, a cloud link and a WhatsApp "document" keep it.

@pytest.mark.parametrize("channel", ["facebook", "instagram", "x", "whatsapp_photo"])
def test_platforms_and_usual_whatsapp_photos_drop_the_location(channel):
    assert exif.keeps_location(channel) is False


@pytest.mark.parametrize("channel", ["email", "cloud_link", "whatsapp_document"])
def test_files_that_travel_as_they_are_keep_the_location(channel):
    assert exif.keeps_location(channel) is True


def test_channel_names_follow_the_course_normalisation():
    assert exif.keeps_location("  WhatsApp_Document ") is True
    with pytest.raises(ValueError, match="email"):
        exif.keeps_location("carrier pigeon")


def test_channel_table_lists_every_channel_without_the_answer():
    table = exif.channel_table()
    assert list(table["channel"]) == list(exif.CHANNELS)
    assert list(table.columns) == ["channel", "how the photo is sent"]
    assert all(type(v) is str for v in table.to_numpy().ravel())  # no True/False column to copy

