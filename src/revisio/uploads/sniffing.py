"""What a file is, judged from its bytes alone.

A file name or a browser-supplied content type is chosen by whoever uploads the file, so neither is
ever consulted. Kinds Revisio does not accept are still recognised so that the refusal can name
what the file is ("an SVG drawing", "a program") instead of a vague "unsupported file".
"""

from __future__ import annotations

from enum import StrEnum


class FileKind(StrEnum):
    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    HEIC = "heic"
    PDF = "pdf"
    # Recognised only to name them when refusing.
    AVIF = "avif"
    GIF = "gif"
    TIFF = "tiff"
    SVG = "svg"
    XML = "xml"
    HTML = "html"
    ZIP = "zip"
    EXECUTABLE = "executable"
    VIDEO = "video"
    TEXT = "text"


IMAGE_KINDS = frozenset({FileKind.JPEG, FileKind.PNG, FileKind.WEBP, FileKind.HEIC})
CONTENT_TYPES = {
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.WEBP: "image/webp",
    FileKind.HEIC: "image/heic",
    FileKind.PDF: "application/pdf",
}
EXTENSIONS = {
    FileKind.JPEG: ".jpg",
    FileKind.PNG: ".png",
    FileKind.WEBP: ".webp",
    FileKind.HEIC: ".heic",
    FileKind.PDF: ".pdf",
}

_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (b"%PDF-", FileKind.PDF),
    (b"GIF87a", FileKind.GIF),
    (b"GIF89a", FileKind.GIF),
    (b"II*\x00", FileKind.TIFF),
    (b"MM\x00*", FileKind.TIFF),
    (b"II+\x00", FileKind.TIFF),  # BigTIFF
    (b"MM\x00+", FileKind.TIFF),
    (b"PK\x03\x04", FileKind.ZIP),
    (b"PK\x05\x06", FileKind.ZIP),  # an empty archive
    (b"PK\x07\x08", FileKind.ZIP),  # a spanned archive
    (b"\x7fELF", FileKind.EXECUTABLE),
    (b"MZ", FileKind.EXECUTABLE),  # Windows PE and DOS
    (b"\xfe\xed\xfa\xce", FileKind.EXECUTABLE),  # Mach-O, 32 and 64 bit, both byte orders
    (b"\xfe\xed\xfa\xcf", FileKind.EXECUTABLE),
    (b"\xce\xfa\xed\xfe", FileKind.EXECUTABLE),
    (b"\xcf\xfa\xed\xfe", FileKind.EXECUTABLE),
    (b"\xca\xfe\xba\xbe", FileKind.EXECUTABLE),  # Mach-O universal binary (and Java class files)
)

# ISO-BMFF brands of HEVC-coded HEIF images (ISO/IEC 23008-12), and the generic HEIF brands,
# which AVIF files list too: an AVIF brand outranks a generic one, never a major HEVC brand.
_HEVC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"heim", b"heis", b"hevm", b"hevs"})
_GENERIC_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_FTYP_SCAN = 256  # bytes of the ftyp box read for compatible brands; real ones are a few dozen

_BOM = b"\xef\xbb\xbf"
_MARKUP_SCAN = 4096  # bytes searched for <svg / <html after an XML prolog or a comment
_TEXT_SCAN = 1024


def sniff(data: bytes) -> FileKind | None:
    """The kind of file ``data`` holds, from its leading bytes, or None when it is not recognised."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return FileKind.WEBP
    if data[4:8] == b"ftyp":
        return _iso_bmff(data)
    return _markup(data) or _text(data)


def _iso_bmff(data: bytes) -> FileKind:
    """HEIC, AVIF or (any other ISO-BMFF brand) a video such as MP4 or QuickTime MOV."""
    box_size = int.from_bytes(data[:4], "big")
    end = min(box_size if box_size >= 16 else 16, _FTYP_SCAN, len(data))
    major = data[8:12]
    brands = {major} | {data[i : i + 4] for i in range(16, end - 3, 4)}
    if major in _HEVC_BRANDS:
        return FileKind.HEIC
    if brands & _AVIF_BRANDS:
        return FileKind.AVIF
    if brands & (_HEVC_BRANDS | _GENERIC_HEIF_BRANDS):
        return FileKind.HEIC
    return FileKind.VIDEO


def _markup(data: bytes) -> FileKind | None:
    head = data[:_MARKUP_SCAN].removeprefix(_BOM).lstrip(b" \t\r\n\f").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return FileKind.HTML
    if head.startswith((b"<svg", b"<!doctype svg")):
        return FileKind.SVG
    if head.startswith((b"<?xml", b"<!--", b"<!doctype")):
        if b"<svg" in head:
            return FileKind.SVG
        if b"<html" in head:
            return FileKind.HTML
        return FileKind.XML
    return None


def _text(data: bytes) -> FileKind | None:
    """TEXT when the start of ``data`` is printable UTF-8 (which includes plain ASCII)."""
    sample = data[:_TEXT_SCAN].removeprefix(_BOM)
    if not sample:
        return None
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end inside a multi-byte character; anything earlier is not UTF-8.
        if error.start < len(sample) - 3:
            return None
        text = sample[: error.start].decode("utf-8")
    return FileKind.TEXT if all(c.isprintable() or c in "\t\n\r\f" for c in text) else None
