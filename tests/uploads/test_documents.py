"""``check_document`` takes PDFs and document images as uploaded, and refuses the rest."""

from __future__ import annotations

import hashlib

import pytest

from revisio.uploads import CheckedDocument, FileKind, RejectionCode, UploadRejected, check_document
from tests.uploads import corpus
from tests.uploads.synthetic import HEIF_ENCODER, MINIMAL_PDF, encoded, exif, gradient, png_declaring


def rejected(data: bytes, **limits: int) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        check_document(data, **limits)
    return caught.value


def test_minimal_pdf_is_accepted() -> None:
    assert check_document(MINIMAL_PDF) == CheckedDocument(
        kind=FileKind.PDF,
        content_type="application/pdf",
        extension=".pdf",
        sha256=hashlib.sha256(MINIMAL_PDF).hexdigest(),
        size=len(MINIMAL_PDF),
    )


def test_pdf_with_trailing_bytes_after_eof_is_accepted() -> None:
    """Readers look for %%EOF in the last 1024 bytes; some producers pad after it."""
    assert check_document(MINIMAL_PDF + b"\n" * 1000).kind is FileKind.PDF


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(MINIMAL_PDF[: len(MINIMAL_PDF) // 2], id="cut-in-half"),
        pytest.param(MINIMAL_PDF.replace(b"%%EOF", b""), id="no-eof"),
        pytest.param(MINIMAL_PDF + b" " * 1024, id="eof-too-far-from-the-end"),
        pytest.param(b"%PDF-1.7", id="header-only"),
    ],
)
def test_truncated_pdf_is_corrupt(data: bytes) -> None:
    error = rejected(data)
    assert error.code is RejectionCode.CORRUPT
    assert "truncated PDF" in error.message


@pytest.mark.parametrize(
    ("pillow_format", "kind", "content_type", "extension"),
    [
        ("JPEG", FileKind.JPEG, "image/jpeg", ".jpg"),
        ("PNG", FileKind.PNG, "image/png", ".png"),
        ("WEBP", FileKind.WEBP, "image/webp", ".webp"),
        pytest.param(
            "HEIF",
            FileKind.HEIC,
            "image/heic",
            ".heic",
            marks=pytest.mark.skipif(not HEIF_ENCODER, reason="pillow-heif on this machine has no HEVC encoder"),
        ),
    ],
)
def test_document_image_is_accepted_as_uploaded(
    pillow_format: str, kind: FileKind, content_type: str, extension: str
) -> None:
    data = encoded(gradient(), pillow_format, exif=exif(gps=True).tobytes())

    document = check_document(data)

    assert (document.kind, document.content_type, document.extension) == (kind, content_type, extension)
    assert (document.sha256, document.size) == (hashlib.sha256(data).hexdigest(), len(data))


@pytest.mark.parametrize(
    ("data", "says"),
    [
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "an SVG drawing", id="svg"),
        pytest.param(b"\xef\xbb\xbf<!DOCTYPE html><p>invoice</p>", "a web page (HTML)", id="html"),
        pytest.param(b"MZ\x90\x00" + bytes(60), "a program", id="exe"),
        pytest.param(b"\x7fELF" + bytes(60), "a program", id="elf"),
        pytest.param(b"PK\x03\x04" + bytes(26), "ZIP archive", id="zip-or-docx"),
        pytest.param(encoded(gradient(), "TIFF"), "TIFF image", id="tiff"),
        pytest.param(b"Just some notes\n", "a text file", id="text"),
    ],
)
def test_other_files_are_named_and_refused(data: bytes, says: str) -> None:
    error = rejected(data)
    assert error.code is RejectionCode.UNSUPPORTED_TYPE
    assert says in error.message
    assert "PDF" in error.message


def test_truncated_document_image_is_corrupt() -> None:
    data = encoded(gradient(256, 256), "JPEG")
    assert rejected(data[: len(data) // 2]).code is RejectionCode.CORRUPT


def test_document_image_obeys_the_pixel_limit() -> None:
    assert rejected(png_declaring(8000, 8000)).code is RejectionCode.TOO_MANY_PIXELS
    assert rejected(encoded(gradient(), "PNG"), max_pixels=100).code is RejectionCode.TOO_MANY_PIXELS


def test_empty_and_too_large() -> None:
    assert rejected(b"").code is RejectionCode.EMPTY
    error = rejected(MINIMAL_PDF, max_bytes=64)
    assert error.code is RejectionCode.TOO_LARGE
    assert "documents can be at most 64 bytes" in error.message


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(corpus.pdf_javascript(), "JavaScript", id="open-action-javascript"),
        pytest.param(corpus.pdf_javascript_escaped(), "JavaScript", id="names-in-hex-escapes"),
        pytest.param(corpus.pdf_javascript_in_object_stream(), "JavaScript", id="inside-a-compressed-object-stream"),
        pytest.param(corpus.pdf_launch(), "Launch", id="launch-a-program"),
    ],
)
def test_a_pdf_a_reader_would_run_something_in_is_refused(data: bytes, name: str) -> None:
    """Found by the upload fuzz corpus: such PDFs were stored and offered to whoever the case is shared with."""
    error = rejected(data)
    assert error.code is RejectionCode.ACTIVE_CONTENT
    assert f"active content (/{name})" in error.message
    assert "Print it to a new PDF" in error.message


def test_a_pdf_whose_object_streams_inflate_past_the_budget_is_refused_unread() -> None:
    error = rejected(corpus.pdf_object_stream_bomb())
    assert error.code is RejectionCode.CORRUPT
    assert "could not check it" in error.message


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(corpus.clean_pdf(), id="compressed-page"),
        pytest.param(corpus.pdf_with_random_looking_stream(), id="stream-data-spelling-names"),
        pytest.param(MINIMAL_PDF, id="minimal"),
    ],
)
def test_a_pdf_without_active_content_is_accepted(data: bytes) -> None:
    assert check_document(data).kind is FileKind.PDF
