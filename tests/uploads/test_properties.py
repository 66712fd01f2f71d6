"""Whatever bytes arrive, the only failure is ``UploadRejected``; whatever passes has no metadata."""

from __future__ import annotations

import contextlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from revisio.uploads import UploadRejected, check_document, process_photo, sniff
from tests.uploads.synthetic import HEIF_ENCODER, MINIMAL_PDF, encoded, exif, gradient

# Deterministic (house rule: seeded data) and no example database written into the checkout.
FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None)

VALID = [
    encoded(gradient(24, 16), "JPEG", exif=exif(original="2025:01:01 00:00:00", orientation=6, gps=True)),
    encoded(gradient(24, 16, "RGBA"), "PNG", exif=exif(gps=True)),
    encoded(gradient(24, 16), "WEBP", exif=exif(gps=True)),
    MINIMAL_PDF,
    *([encoded(gradient(24, 16), "HEIF")] if HEIF_ENCODER else []),
]
MAGIC = [
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
    b"%PDF-1.7\n",
    b"\xef\xbb\xbf<svg",
]


def _handled(data: bytes) -> None:
    sniff(data)
    try:
        photo = process_photo(data, max_pixels=1_000_000)
    except UploadRejected:
        pass
    else:
        stored = Image.open(io.BytesIO(photo.data))
        assert not stored.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(stored.info)
    with contextlib.suppress(UploadRejected):
        check_document(data, max_pixels=1_000_000)


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    _handled(data)


@FUZZ
@given(st.sampled_from(MAGIC), st.binary(max_size=2048))
def test_random_bytes_behind_real_magic(magic: bytes, rest: bytes) -> None:
    _handled(magic + rest)


@FUZZ
@given(st.sampled_from(VALID), st.data())
def test_damaged_real_files(original: bytes, draw: st.DataObject) -> None:
    data = bytearray(original)
    for _ in range(draw.draw(st.integers(0, 8), label="flips")):
        position = draw.draw(st.integers(0, len(data) - 1), label="position")
        data[position] = draw.draw(st.integers(0, 255), label="byte")
    cut = draw.draw(st.integers(1, len(data)), label="cut")
    _handled(bytes(data[:cut]))
