"""Reading photos: by content, upright as EXIF says, refusing what cannot be measured."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import ExifTags, Image

from revisio.landmarks import DetectionCode, DetectionError, load_rgb
from tests.landmarks import photos


def test_jpeg_named_txt_is_read_by_content(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(photos.GRACE_HOPPER.read_bytes())
    rgb = load_rgb(path)
    assert rgb.shape == (600, 512, 3) and rgb.dtype == np.uint8


def test_exif_orientation_is_applied() -> None:
    # A wide image with a red left half, stored with "rotate 90 clockwise to display" (6).
    image = Image.new("RGB", (120, 80), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 60, 80))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=95)
    rgb = load_rgb(buffer.getvalue())
    assert rgb.shape == (120, 80, 3)  # displayed upright: tall
    assert rgb[5, 40, 0] > 200 and rgb[-5, 40, 2] > 200  # the red half is now on top


def test_transparency_is_composited_over_white() -> None:
    rgba = Image.new("RGBA", (80, 80), (0, 0, 0, 0))
    buffer = io.BytesIO()
    rgba.save(buffer, format="PNG")
    assert (load_rgb(buffer.getvalue()) == 255).all()


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"name,value\nbrow,12\n", DetectionCode.NOT_AN_IMAGE, "a text file, not a photo"),
        (b"%PDF-1.4\n", DetectionCode.NOT_AN_IMAGE, "PDF document"),
        (b"", DetectionCode.NOT_AN_IMAGE, "empty"),
        (photos.GRACE_HOPPER.read_bytes()[:2000], DetectionCode.UNREADABLE, ""),
        (photos.encoded(np.zeros((40, 300, 3), dtype=np.uint8)), DetectionCode.TOO_SMALL, "at least 64 pixels"),
    ],
    ids=["text", "pdf", "empty", "truncated", "thumbnail"],
)
def test_refusals(data: bytes, code: DetectionCode, message: str) -> None:
    with pytest.raises(DetectionError) as raised:
        load_rgb(data)
    assert raised.value.code is code
    assert message in raised.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DetectionError) as raised:
        load_rgb(tmp_path / "nothing.jpg")
    assert raised.value.code is DetectionCode.UNREADABLE
    assert "does not exist" in raised.value.message
