"""``check_document``: a letter, report or invoice, checked before it is stored as uploaded.

Documents are kept byte for byte (their hash may matter as evidence) and PDFs are only offered as
downloads, never rendered by Revisio, so a PDF is checked for its header and end marker, and for
active content (JavaScript, launch actions) that the reader of whoever downloads it might run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from revisio.uploads import wording
from revisio.uploads.decoding import MAX_BYTES, MAX_PIXELS, check_size, decode
from revisio.uploads.pdf import UncheckablePdf, active_content
from revisio.uploads.sniffing import CONTENT_TYPES, EXTENSIONS, IMAGE_KINDS, FileKind, sniff

_PDF_TAIL = 1024  # bytes at the end of a PDF that must hold %%EOF (PDF readers look as far)


@dataclass(frozen=True, slots=True)
class CheckedDocument:
    """A document that may be stored as uploaded; ``size`` is in bytes, ``sha256`` is hex."""

    kind: FileKind
    content_type: str
    extension: str
    sha256: str
    size: int


def check_document(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> CheckedDocument:
    """Check an uploaded document: a PDF without active content, or a JPEG, PNG, WebP or HEIC image of one.

    Images are decoded in full (under ``max_pixels``) to prove they are whole, but the upload itself
    is what gets stored, metadata included. Raises ``UploadRejected`` for anything else.
    """
    if not data:
        raise wording.empty()
    kind = sniff(data)
    if kind is FileKind.PDF:
        check_size(data, max_bytes, document=True)
        if b"%%EOF" not in data[-_PDF_TAIL:]:
            raise wording.truncated_pdf()
        try:
            active = active_content(data)
        except UncheckablePdf:
            raise wording.uncheckable_pdf() from None
        if active is not None:
            raise wording.active_content(active.decode("ascii", "replace"))
    elif kind in IMAGE_KINDS:
        check_size(data, max_bytes, document=True)
        decode(data, kind, max_pixels=max_pixels).close()
    else:
        raise wording.not_a_document(kind)
    return CheckedDocument(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        extension=EXTENSIONS[kind],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
