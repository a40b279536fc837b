"""Make the sample photos of module 6: small synthetic JPEGs, some with a GPS position.

The pictures are drawn shapes (no camera, no real person or place in them). The GPS
positions are public places in Lyon and Lisbon, not anybody's home. Seeded, so the
files are the same on every run: `python course/learner/data/make_photos.py` (writes photos/).
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from course.learner.exif import DATETIME, MODEL, add_gps

SEED = 20261106
OUT = Path(__file__).with_name("photos")
SIZE = (160, 120)

# name, sky/background colour, camera, taken, GPS position or None
PHOTOS = [
    ("garden.jpg", (120, 180, 90), "Pixel 7", "2026:06:02 18:41:10", (45.75780, 4.83200)),
    ("beach.jpg", (90, 170, 220), "Pixel 7", "2026:08:05 11:12:45", (38.69160, -9.21600)),
    ("birthday_cake.jpg", (230, 200, 150), "iPhone 15", "2026:03:12 20:03:00", (45.75790, 4.83190)),
    ("cat.jpg", (200, 160, 120), "iPhone 15", "2026:05:20 09:30:00", None),
    ("screenshot_recipe.jpg", (245, 245, 245), "", "2026:04:01 12:00:00", None),
    ("team_lunch.jpg", (210, 120, 90), "Galaxy S24", "2026:09:18 13:05:22", None),
]


def draw(colour: tuple[int, int, int], rng: random.Random) -> Image.Image:
    img = Image.new("RGB", SIZE, colour)
    pen = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        r = rng.randint(8, 30)
        shade = tuple(max(0, min(255, c + rng.randint(-80, 80))) for c in colour)
        pen.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    return img


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.jpg"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for name, colour, camera, taken, position in PHOTOS:
            img = draw(colour, rng)
            exif = Image.Exif()
            if camera:
                exif[MODEL] = camera
            exif[DATETIME] = taken
            plain = Path(tmp) / name
            img.save(plain, "JPEG", exif=exif, quality=85)
            if position:
                add_gps(plain, *position, OUT)
            else:
                plain.replace(OUT / name)
    print(f"wrote {len(PHOTOS)} photos to {OUT}")


if __name__ == "__main__":
    main()
