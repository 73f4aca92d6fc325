"""The README's tour shows pictures that exist, all of them, each small: the pictures in
docs/screenshots/ are the ones the tour test takes (scripts/readme_screenshots.sh)."""

from __future__ import annotations

import re
import struct
from pathlib import Path

from django.conf import settings

from rapport.e2e.test_screenshots import PNG_SIGNATURE, TOUR, WIDTH

ROOT = Path(settings.BASE_DIR)
# pngquant and optipng bring a 1280 x 800 page to a few tens of kilobytes.
MAX_BYTES = 80_000


def test_the_readme_shows_every_tour_picture_in_order() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]+\]\(docs/screenshots/([^)]+)\)", readme)
    assert shown == [f"{name}.png" for name in TOUR]
    on_disk = sorted(path.name for path in (ROOT / "docs" / "screenshots").glob("*.png"))
    assert on_disk == sorted(shown), "a picture in docs/screenshots/ the README does not show"


def test_each_tour_picture_is_a_small_png_of_the_window() -> None:
    for name in TOUR:
        path = ROOT / "docs" / "screenshots" / f"{name}.png"
        data = path.read_bytes()
        assert data[:8] == PNG_SIGNATURE, path.name
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (WIDTH, 800), path.name
        assert 2_000 < len(data) <= MAX_BYTES, f"{path.name}: {len(data)} bytes"
