"""Reading and removing the hidden data (EXIF) of photos, with Pillow.

A phone writes into each JPEG file the camera, the time the photo was taken and often
the GPS position where it was taken. Facebook, Instagram and X strip the location data of
photos on upload, and WhatsApp strips it from photos sent normally; a file that travels as
it is keeps it: an e-mail attachment, a cloud-drive link, a photo sent in WhatsApp "as
document" (`CHANNELS`, `keeps_location`). These tools read the data, write a copy without
the GPS position, and (for the course's sample photos) add it. Originals are never
changed: every tool writes a new file in a folder you choose.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
from PIL import Image

from .check import typed_word
from .language import N_, _

# EXIF tag numbers (EXIF 2.3 / TIFF 6.0).
GPS_IFD = 0x8825
MODEL = 0x0110
DATETIME = 0x0132
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4
JPEG_QUALITY = 85


# How a photo can travel, and whether its GPS position travels with it (2024-2026: platform
# help centres and tests of uploaded files). Platforms change: when in doubt, remove the
# position yourself (`remove_gps`). name: (how the photo is sent, keeps the GPS position)
CHANNELS = {
    "facebook": (N_("posted on Facebook"), False),
    "instagram": (N_("posted on Instagram (post or story)"), False),
    "x": (N_("posted on X"), False),
    "whatsapp_photo": (N_("sent in WhatsApp as a photo (the usual way)"), False),
    "whatsapp_document": (N_('sent in WhatsApp "as document", to keep full quality'), True),
    "email": (N_("attached to an e-mail"), True),
    "cloud_link": (N_("shared as a link to a cloud drive (Google Drive, OneDrive, Dropbox...)"), True),
}


def keeps_location(channel: str) -> bool:
    """Whether a photo sent this way still holds its GPS position when it arrives. The name
    is one of `CHANNELS` (case and surrounding spaces ignored)."""
    name = typed_word(str(channel))
    if name not in CHANNELS:
        raise ValueError(_("{channel} is not one of the channels: {channels}.").format(
            channel=repr(channel), channels=", ".join(CHANNELS)))
    return CHANNELS[name][1]


def channel_table() -> pd.DataFrame:
    """The ways of sending a photo, by name and in words (not whether each keeps the position:
    deciding that is the learner's exercise)."""
    return pd.DataFrame([{"channel": name, "how the photo is sent": _(how)}
                         for name, (how, _keeps) in CHANNELS.items()])


def photos_folder() -> Path:
    """The folder of the course's sample photos."""
    return Path(str(resources.files("course.learner.data") / "photos"))


def sample_photos() -> list[Path]:
    return sorted(photos_folder().glob("*.jpg"))


def photo_path(name: str) -> Path:
    """The path of one sample photo, e.g. photo_path("garden.jpg")."""
    path = photos_folder() / name
    if not path.is_file():
        known = ", ".join(p.name for p in sample_photos())
        raise FileNotFoundError(_("There is no sample photo called {name}. The photos are: {photos}.").format(
            name=repr(name), photos=known))
    return path


def _to_degrees(dms, ref: str) -> float:
    degrees, minutes, seconds = (float(x) for x in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if ref in ("S", "W") else value


def _to_dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return (float(degrees), float(minutes), seconds)


def read_gps(path: str | Path) -> tuple[float, float] | None:
    """(latitude, longitude) in decimal degrees, or None if the photo has no GPS position."""
    with Image.open(path) as img:
        gps = img.getexif().get_ifd(GPS_IFD)
    if GPS_LAT not in gps or GPS_LON not in gps:
        return None
    return (round(_to_degrees(gps[GPS_LAT], gps.get(GPS_LAT_REF, "N")), 6),
            round(_to_degrees(gps[GPS_LON], gps.get(GPS_LON_REF, "E")), 6))


def read_tags(path: str | Path) -> dict:
    """What the file tells about itself: size, camera, when and where it was taken."""
    with Image.open(path) as img:
        exif = img.getexif()
        size = img.size
    gps = read_gps(path)
    return {"file": Path(path).name, "size": f"{size[0]}x{size[1]}",
            "camera": exif.get(MODEL, ""), "taken": exif.get(DATETIME, ""),
            "gps": f"{gps[0]:.5f}, {gps[1]:.5f}" if gps else ""}


def photo_table(paths: list[Path] | None = None) -> pd.DataFrame:
    """One row per photo (default: the sample photos) with read_tags' columns;
    `gps` is empty when the photo has no position."""
    return pd.DataFrame([read_tags(p) for p in (paths or sample_photos())])


def _save_copy(img: Image.Image, exif: Image.Exif, source: Path, folder: str | Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    if target.resolve() == source.resolve():
        raise ValueError(_("Choose another folder for the copy: the original photo must stay as it is."))
    img.save(target, "JPEG", exif=exif, quality=JPEG_QUALITY)
    return target


def remove_gps(path: str | Path, folder: str | Path) -> Path:
    """Write a copy of the photo without its GPS position into `folder` (same file name);
    camera and date are kept. Returns the path of the copy."""
    path = Path(path)
    with Image.open(path) as img:
        img.load()
        exif = img.getexif()
        if GPS_IFD in exif:
            del exif[GPS_IFD]
        return _save_copy(img, exif, path, folder)


def add_gps(path: str | Path, latitude: float, longitude: float, folder: str | Path) -> Path:
    """Write a copy of the photo with this GPS position into `folder`. Returns its path."""
    path = Path(path)
    with Image.open(path) as img:
        img.load()
        exif = img.getexif()
        gps = exif.get_ifd(GPS_IFD)
        gps[GPS_LAT_REF] = "N" if latitude >= 0 else "S"
        gps[GPS_LAT] = _to_dms(latitude)
        gps[GPS_LON_REF] = "E" if longitude >= 0 else "W"
        gps[GPS_LON] = _to_dms(longitude)
        return _save_copy(img, exif, path, folder)


def map_link(position: tuple[float, float]) -> str:
    """A link that shows the position on OpenStreetMap: what anyone with the file can do."""
    lat, lon = position
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=18/{lat:.5f}/{lon:.5f}"
