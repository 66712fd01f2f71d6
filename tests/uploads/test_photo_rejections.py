"""What ``process_photo`` refuses, with which code, and what it tells the person uploading."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from revisio.uploads import RejectionCode, UploadRejected, process_photo
from tests.uploads.synthetic import MINIMAL_PDF, encoded, gradient, png_declaring

ACCEPTED = "JPEG, PNG, WebP or HEIC"


def rejected(data: bytes, **limits: int) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        process_photo(data, **limits)
    return caught.value


def test_empty() -> None:
    error = rejected(b"")
    assert error.code is RejectionCode.EMPTY
    assert "empty" in error.message
    assert str(error) == error.message


def test_too_large_is_refused_before_decoding() -> None:
    error = rejected(encoded(gradient(), "PNG"), max_bytes=100)
    assert error.code is RejectionCode.TOO_LARGE
    assert "photos can be at most 100 bytes" in error.message


def test_too_large_message_gives_both_sizes() -> None:
    """Only the header is real; the size check must refuse it before anything tries to decode it."""
    data = b"\xff\xd8\xff" + bytes(round(31.2 * 1024 * 1024) - 3)
    error = rejected(data)
    assert error.code is RejectionCode.TOO_LARGE
    assert error.message == (
        "This file is 31.2 MB; photos can be at most 25 MB. Export a smaller JPEG from your phone and try again."
    )


def test_a_file_just_over_the_limit_does_not_claim_to_be_at_the_limit() -> None:
    error = rejected(b"\xff\xd8\xff" + bytes(2048), max_bytes=2048)
    assert error.message.startswith("This file is just over 2 KB; photos can be at most 2 KB.")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", encoded(gradient(), "JPEG"))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        pytest.param(b"Dear doctor,\nplease see the photo.\n", "This looks like a text file, not a photo", id="text"),
        pytest.param(
            b"\xef\xbb\xbf  \n<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            f"This looks like an SVG drawing, not a photo: upload a {ACCEPTED} photo.",
            id="svg-with-bom",
        ),
        pytest.param(b"<!DOCTYPE html><html><body>hi</body></html>", "web page (HTML)", id="html"),
        pytest.param(MINIMAL_PDF, "This is a PDF document, not a photo: add it as a document instead", id="pdf"),
        pytest.param(_zip(), "ZIP archive", id="zip"),
        pytest.param(b"\x7fELF\x02\x01\x01" + bytes(57), "a program", id="elf"),
        pytest.param(b"MZ\x90\x00" + bytes(60), "a program", id="windows-exe"),
        pytest.param(encoded(gradient(), "GIF"), f"This is a GIF image; photos must be {ACCEPTED}.", id="gif"),
        pytest.param(encoded(gradient(), "TIFF"), "TIFF image", id="tiff"),
        pytest.param(b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", "a video", id="mov"),
        pytest.param(bytes(range(256)), "could not recognise this file as a photo", id="unknown"),
    ],
)
def test_what_is_not_a_photo_is_named(data: bytes, says: str) -> None:
    error = rejected(data)
    assert error.code is RejectionCode.UNSUPPORTED_TYPE
    assert says in error.message
    assert ACCEPTED in error.message


def test_type_is_named_before_size() -> None:
    """A large PDF is told it is a PDF: shrinking it would not help."""
    assert rejected(MINIMAL_PDF, max_bytes=10).code is RejectionCode.UNSUPPORTED_TYPE


@pytest.mark.parametrize("pillow_format", ["JPEG", "PNG", "WEBP"])
def test_truncated_image_is_corrupt(pillow_format: str) -> None:
    data = encoded(gradient(256, 256), pillow_format)
    error = rejected(data[: len(data) // 2])
    assert error.code is RejectionCode.CORRUPT
    assert "damaged or incomplete" in error.message


def test_polyglot_with_jpeg_magic_but_garbage_is_corrupt() -> None:
    garbage = b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script></html>" + bytes(range(256)) * 4
    error = rejected(garbage)
    assert error.code is RejectionCode.CORRUPT
    assert "JPEG image is damaged" in error.message


def test_png_bytes_behind_jpeg_magic_are_not_parsed_as_png() -> None:
    """Only the decoder of the sniffed kind runs: a second format hidden behind the magic is not tried."""
    error = rejected(b"\xff\xd8\xff" + encoded(gradient(), "PNG"))
    assert error.code is RejectionCode.CORRUPT


def test_decompression_bomb_is_refused_from_its_header() -> None:
    """8000 × 8000 is under Pillow's own limit, and the data behind the header is that of a 1 × 1
    image: decoding would fail as corrupt, so too-many-pixels proves the header was checked first."""
    error = rejected(png_declaring(8000, 8000))
    assert error.code is RejectionCode.TOO_MANY_PIXELS
    assert error.message.startswith(
        "This image is 8,000 × 8,000 pixels (64 megapixels); images can be at most 40 megapixels."
    )


def test_huge_decompression_bomb_is_refused() -> None:
    """50 000 × 50 000 is past twice Pillow's limit, where Pillow itself raises DecompressionBombError."""
    error = rejected(png_declaring(50_000, 50_000))
    assert error.code is RejectionCode.TOO_MANY_PIXELS
    assert "at most 40 megapixels" in error.message


def test_max_pixels_applies_to_a_real_image() -> None:
    data = encoded(gradient(100, 100), "JPEG")
    assert rejected(data, max_pixels=9_999).code is RejectionCode.TOO_MANY_PIXELS
    assert process_photo(data, max_pixels=10_000).width == 100


@pytest.mark.parametrize(("side", "pillow_says"), [(40, "warning"), (50, "error")])
def test_pillows_own_bomb_limit_is_a_refusal_too(monkeypatch: pytest.MonkeyPatch, side: int, pillow_says: str) -> None:
    """Past MAX_IMAGE_PIXELS Pillow warns, past twice that it raises; both are too-many-pixels."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    assert (side * side > 2_000) is (pillow_says == "error")
    assert rejected(encoded(gradient(side, side), "PNG")).code is RejectionCode.TOO_MANY_PIXELS


def test_truncated_images_are_not_loaded_silently() -> None:
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
