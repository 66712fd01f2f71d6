"""``sniff`` names a file from its bytes alone."""

from __future__ import annotations

import inspect
import io
import zipfile

import pytest

from revisio.uploads import FileKind, check_document, process_photo, sniff
from tests.uploads.synthetic import HEIF_ENCODER, MINIMAL_PDF, encoded, gradient

BOM = b"\xef\xbb\xbf"
KOREAN = ("붓기" * 200).encode()  # 1,200 bytes of 3-byte characters: the 1,024-byte sample ends inside one


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"not really")
    return buffer.getvalue()


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = b"ftyp" + major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (len(body) + 4).to_bytes(4, "big") + body + b"\x00\x00\x00\x08free"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        pytest.param(encoded(gradient(), "JPEG"), FileKind.JPEG, id="jpeg"),
        pytest.param(encoded(gradient(), "PNG"), FileKind.PNG, id="png"),
        pytest.param(encoded(gradient(), "WEBP"), FileKind.WEBP, id="webp"),
        pytest.param(_ftyp(b"heic", b"mif1", b"heic"), FileKind.HEIC, id="heic-brand"),
        pytest.param(_ftyp(b"mif1", b"heic"), FileKind.HEIC, id="heif-generic-brand"),
        pytest.param(_ftyp(b"msf1", b"hevc"), FileKind.HEIC, id="heif-sequence"),
        pytest.param(_ftyp(b"avif", b"mif1", b"miaf"), FileKind.AVIF, id="avif-lists-mif1-too"),
        pytest.param(_ftyp(b"mif1", b"avif"), FileKind.AVIF, id="avif-compatible-brand"),
        pytest.param(_ftyp(b"isom", b"iso2", b"mp41"), FileKind.VIDEO, id="mp4"),
        pytest.param(_ftyp(b"qt  ", b"qt  "), FileKind.VIDEO, id="mov"),
        pytest.param(MINIMAL_PDF, FileKind.PDF, id="pdf"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"/>', FileKind.SVG, id="svg"),
        pytest.param(BOM + b' \r\n\t<svg xmlns="http://www.w3.org/2000/svg"/>', FileKind.SVG, id="svg-bom-space"),
        pytest.param(b'<?xml version="1.0"?>\n<!-- x -->\n<svg/>', FileKind.SVG, id="svg-prolog"),
        pytest.param(b"<!DOCTYPE svg PUBLIC><svg/>", FileKind.SVG, id="svg-doctype"),
        pytest.param(b'<?xml version="1.0"?><note>hi</note>', FileKind.XML, id="xml"),
        pytest.param(b"<!DOCTYPE html><title>x</title>", FileKind.HTML, id="html-doctype"),
        pytest.param(BOM + b"\n  <HTML><body></body></HTML>", FileKind.HTML, id="html-bom-upper"),
        pytest.param(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', FileKind.HTML, id="xhtml"),
        pytest.param(_zip(), FileKind.ZIP, id="zip"),
        pytest.param(b"PK\x05\x06" + bytes(18), FileKind.ZIP, id="empty-zip"),
        pytest.param(b"\x7fELF\x02\x01\x01" + bytes(57), FileKind.EXECUTABLE, id="elf"),
        pytest.param(b"MZ\x90\x00\x03" + bytes(59), FileKind.EXECUTABLE, id="pe"),
        pytest.param(b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", FileKind.EXECUTABLE, id="mach-o"),
        pytest.param(encoded(gradient(), "GIF"), FileKind.GIF, id="gif"),
        pytest.param(encoded(gradient(), "TIFF"), FileKind.TIFF, id="tiff"),
        pytest.param(b"Dear doctor,\nthe swelling is worse.\n", FileKind.TEXT, id="text"),
        pytest.param(KOREAN, FileKind.TEXT, id="utf8-cut-mid-character"),
        pytest.param(b"", None, id="empty"),
        pytest.param(b"\x1f\x8b\x08\x00" + bytes(20), None, id="gzip"),
        pytest.param(bytes(range(256)), None, id="binary"),
    ],
)
def test_sniff_names_each_kind(data: bytes, kind: FileKind | None) -> None:
    assert sniff(data) is kind


@pytest.mark.skipif(not HEIF_ENCODER, reason="pillow-heif on this machine has no HEVC encoder")
def test_sniff_recognises_heic_written_by_pillow_heif() -> None:
    assert sniff(encoded(gradient(), "HEIF")) is FileKind.HEIC


def test_the_korean_sample_is_cut_inside_a_character() -> None:
    """Guards the case above: the text sample must really end inside a character."""
    with pytest.raises(UnicodeDecodeError):
        KOREAN[:1024].decode("utf-8")


@pytest.mark.parametrize("function", [sniff, process_photo, check_document])
def test_only_the_bytes_are_consulted(function: object) -> None:
    """No file name or client content type can be passed, so none can be trusted by mistake."""
    parameters = inspect.signature(function).parameters  # type: ignore[arg-type]
    positional = [p.name for p in parameters.values() if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert positional == ["data"]
    assert not {"name", "filename", "content_type", "mimetype", "extension"} & set(parameters)
