"""Checking uploads before Revisio stores them: pure, bytes in and bytes out, no Django.

``process_photo`` turns an uploaded photo into a metadata-free JPEG, PNG or WebP with a thumbnail;
``check_document`` accepts a PDF or a document image as uploaded; both refuse everything else with
an ``UploadRejected`` whose code the web layer translates. ``sniff`` names a file from its bytes.
"""

from revisio.uploads.documents import CheckedDocument, check_document
from revisio.uploads.errors import RejectionCode, UploadRejected
from revisio.uploads.photos import ProcessedPhoto, process_photo
from revisio.uploads.sniffing import FileKind, sniff

__all__ = [
    "CheckedDocument",
    "FileKind",
    "ProcessedPhoto",
    "RejectionCode",
    "UploadRejected",
    "check_document",
    "process_photo",
    "sniff",
]
