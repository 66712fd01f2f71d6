"""Every sentence an upload refusal shows, in one place.

Each message says what is wrong and what to do about it. The web layer translates by
``RejectionCode``, so these English texts are the reference wording, not an API.
"""

from __future__ import annotations

from revisio.uploads.errors import RejectionCode, UploadRejected
from revisio.uploads.sniffing import FileKind

PHOTO_FORMATS = "JPEG, PNG, WebP or HEIC"

_NAMES = {
    FileKind.JPEG: "a JPEG image",
    FileKind.PNG: "a PNG image",
    FileKind.WEBP: "a WebP image",
    FileKind.HEIC: "a HEIC photo",
    FileKind.PDF: "a PDF document",
    FileKind.AVIF: "an AVIF image",
    FileKind.GIF: "a GIF image",
    FileKind.TIFF: "a TIFF image (or a camera RAW file)",
    FileKind.SVG: "an SVG drawing",
    FileKind.XML: "an XML file",
    FileKind.HTML: "a web page (HTML)",
    FileKind.ZIP: "a ZIP archive (or an Office document, which is one)",
    FileKind.EXECUTABLE: "a program (an executable file)",
    FileKind.VIDEO: "a video (such as MP4 or MOV)",
    FileKind.TEXT: "a text file",
}
# Images in a format Revisio does not take: the fix is to save them again in one it does.
_OTHER_IMAGES = frozenset({FileKind.AVIF, FileKind.GIF, FileKind.TIFF})
_KIB = 1024
_MIB = 1024 * 1024


def empty() -> UploadRejected:
    return UploadRejected(
        RejectionCode.EMPTY,
        "This file is empty (0 bytes), so there is nothing to upload. Choose the file again; if it is kept"
        " in the cloud (such as iCloud or Google Drive), download it to your device first.",
    )


def too_large(size: int, limit: int, *, document: bool) -> UploadRejected:
    shown, most = _size(size), _size(limit)
    if shown == most:
        shown = f"just over {most}"
    if document:
        what, fix = "documents", "Save the PDF at a smaller size or split it into parts, and try again."
    else:
        what, fix = "photos", "Export a smaller JPEG from your phone and try again."
    return UploadRejected(RejectionCode.TOO_LARGE, f"This file is {shown}; {what} can be at most {most}. {fix}")


def not_a_photo(kind: FileKind | None) -> UploadRejected:
    accepted = f"upload a {PHOTO_FORMATS} photo"
    if kind is None:
        message = f"We could not recognise this file as a photo: {accepted}."
    elif kind is FileKind.PDF:
        message = f"This is a PDF document, not a photo: add it as a document instead, or {accepted}."
    elif kind in _OTHER_IMAGES:
        message = (
            f"This is {_NAMES[kind]}; photos must be {PHOTO_FORMATS}. Save or export it as JPEG or PNG and try again."
        )
    elif kind is FileKind.ZIP:
        message = (
            f"This is {_NAMES[kind]}, not a photo: unzip it and upload the photos inside one by one ({PHOTO_FORMATS})."
        )
    elif kind is FileKind.VIDEO:
        message = (
            f"This is {_NAMES[kind]}, not a photo: take a still photo or a screenshot"
            f" and upload that ({PHOTO_FORMATS})."
        )
    else:
        message = f"This looks like {_NAMES[kind]}, not a photo: {accepted}."
    return UploadRejected(RejectionCode.UNSUPPORTED_TYPE, message)


def not_a_document(kind: FileKind | None) -> UploadRejected:
    accepted = f"upload a PDF, or a photo of the document ({PHOTO_FORMATS})"
    if kind is None:
        message = f"We could not recognise this file as a document: {accepted}."
    elif kind in _OTHER_IMAGES:
        message = (
            f"This is {_NAMES[kind]}; documents must be PDF, {PHOTO_FORMATS}."
            " Save or scan it as PDF or JPEG and try again."
        )
    elif kind is FileKind.ZIP:
        message = f"This is {_NAMES[kind]}: save it as PDF, or unzip it and upload the documents inside one by one."
    else:
        message = f"This looks like {_NAMES[kind]}, which we do not accept as a document: {accepted}."
    return UploadRejected(RejectionCode.UNSUPPORTED_TYPE, message)


def too_many_pixels(limit: int, size: tuple[int, int] | None = None) -> UploadRejected:
    """``size`` is the declared width and height in pixels, when the header could be read."""
    if size is None:
        found = "This image has more pixels than we can safely process"
    else:
        width, height = size
        found = f"This image is {width:,} × {height:,} pixels ({_megapixels(width * height)} megapixels)"
    return UploadRejected(
        RejectionCode.TOO_MANY_PIXELS,
        f"{found}; images can be at most {_megapixels(limit)} megapixels."
        " Resize it or export it at a lower resolution and try again.",
    )


def corrupt(kind: FileKind) -> UploadRejected:
    name = _NAMES[kind].removeprefix("a ").removeprefix("an ")
    return UploadRejected(
        RejectionCode.CORRUPT,
        f"This {name} is damaged or incomplete and cannot be opened. Upload it again; if that fails,"
        " open it on your device and save or export it again.",
    )


def truncated_pdf() -> UploadRejected:
    return UploadRejected(
        RejectionCode.CORRUPT,
        "This is a truncated PDF: it has no end-of-file marker, so it was probably cut off while it was"
        " downloaded or uploaded. Download it again and re-upload it.",
    )


def active_content(name: str) -> UploadRejected:
    """``name`` is the PDF name found, e.g. ``JavaScript`` or ``Launch``."""
    return UploadRejected(
        RejectionCode.ACTIVE_CONTENT,
        f"This PDF contains active content (/{name}) that a PDF reader could run when it is opened, so we do"
        ' not accept it. Print it to a new PDF ("Save as PDF" or "Microsoft Print to PDF") or scan it, and'
        " upload that.",
    )


def uncheckable_pdf() -> UploadRejected:
    return UploadRejected(
        RejectionCode.CORRUPT,
        "This PDF expands to far more data than its size suggests, so we could not check it. Print it to a new"
        " PDF or scan it, and upload that.",
    )


def _size(size: int) -> str:
    """Binary units, as phones and file managers show them: 32 715 571 bytes is "31.2 MB"."""
    if size < _KIB:
        return f"{size:,} bytes"
    if size < _MIB:
        return f"{size / _KIB:.1f}".removesuffix(".0") + " KB"
    return f"{size / _MIB:.1f}".removesuffix(".0") + " MB"


def _megapixels(pixels: int) -> str:
    value = pixels / 1_000_000
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")
