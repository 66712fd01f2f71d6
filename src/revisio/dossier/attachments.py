"""Reading a case's stored files for a dossier: check each against the SHA-256 recorded when it was
stored, and make a print-sized JPEG of each photo.

A file that is missing, differs from its recorded hash or (a photo) does not decode is *unreadable*:
the dossier lists it as such with the reason, and leaves it out of the ZIP, rather than failing the
whole dossier or quietly dropping it. Files are read through their field's storage, so this works
the same on a local folder and on S3-compatible storage.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.files.storage import Storage
from PIL import Image, UnidentifiedImageError

from revisio.cases.models import Document
from revisio.diary.models import Photo
from revisio.dossier.facts import Facts, PhotoFact

#: Longest side of a photo in the PDF, in pixels: about 220 dpi at the 58 mm the PDF prints it (three
#: across an A4 page), so detail survives printing while the PDF stays small. 500 also lets a
#: 1000-pixel JPEG be decoded at half scale (``Image.draft``), the fastest way to get there.
#: The full-resolution files are in the ZIP.
PRINT_LONG_SIDE = 500
PRINT_JPEG_QUALITY = 85
WORKERS = min(4, os.cpu_count() or 1)
_CHUNK = 1 << 20


class Readability(StrEnum):
    OK = "ok"
    MISSING = "missing"
    MISMATCH = "mismatch"  # the bytes differ from the SHA-256 recorded when the file was stored
    CORRUPT = "corrupt"  # a photo that does not decode
    UNREADABLE = "unreadable"  # the storage failed in some other way


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # "photo" or "document"
    id: str
    zip_path: str
    storage_name: str
    recorded_sha256: str
    sha256: str  # of the bytes read now; empty when they could not be read
    size: int
    status: Readability

    @property
    def ok(self) -> bool:
        return self.status is Readability.OK


@dataclass
class CheckedFiles:
    files: list[CheckedFile] = field(default_factory=list)
    print_photos: dict[str, bytes] = field(default_factory=dict)  # photo ID -> JPEG for the PDF

    def get(self, kind: str, object_id: str) -> CheckedFile:
        return next(f for f in self.files if f.kind == kind and f.id == object_id)

    @property
    def unreadable(self) -> list[CheckedFile]:
        return [f for f in self.files if not f.ok]


def photo_storage() -> Storage:
    """The storage photos are saved to (the default one unless the field says otherwise)."""
    storage: Storage = Photo.image.field.storage
    return storage


def document_storage() -> Storage:
    storage: Storage = Document.file.field.storage
    return storage


def check_files(facts: Facts, *, progress: Callable[[int, int], None]) -> CheckedFiles:
    """Read every photo and document of ``facts``; ``progress(done, total)`` after each file.

    Photos are decoded and resized on a few threads (Pillow releases the GIL while it works), and
    progress is reported from the calling thread only, since it writes to the database.
    """
    checked = CheckedFiles()
    total = len(facts.photos) + len(facts.documents)
    results: dict[str, tuple[CheckedFile, bytes | None]] = {}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {pool.submit(_check_photo, photo): photo.id for photo in facts.photos}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            progress(done, total)
    for photo in facts.photos:  # in the order of the facts, whatever order the threads finished in
        file, jpeg = results[photo.id]
        checked.files.append(file)
        if jpeg is not None:
            checked.print_photos[photo.id] = jpeg
    for done, document in enumerate(facts.documents, start=len(facts.photos) + 1):
        sha256, size, status = _hash(document_storage(), document.storage_name, document.sha256)
        checked.files.append(
            CheckedFile(
                "document", document.id, document.zip_path, document.storage_name, document.sha256, sha256, size, status
            )
        )
        progress(done, total)
    return checked


def _check_photo(photo: PhotoFact) -> tuple[CheckedFile, bytes | None]:
    data, status = _read(photo_storage(), photo.storage_name, photo.sha256_stored)
    jpeg = None
    if status is Readability.OK and data is not None:
        try:
            jpeg = print_jpeg(data)
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            status = Readability.CORRUPT
    file = CheckedFile(
        "photo",
        photo.id,
        photo.zip_path,
        photo.storage_name,
        photo.sha256_stored,
        hashlib.sha256(data).hexdigest() if data is not None else "",
        len(data) if data is not None else 0,
        status,
    )
    return file, jpeg


def _read(storage: Storage, name: str, recorded: str) -> tuple[bytes | None, Readability]:
    if not name:
        return None, Readability.MISSING
    try:
        with storage.open(name, "rb") as stored:
            data: bytes = stored.read()
    except FileNotFoundError:
        return None, Readability.MISSING
    except Exception:  # each storage backend raises its own errors: any means unreadable
        return None, Readability.UNREADABLE
    if hashlib.sha256(data).hexdigest() != recorded:
        return data, Readability.MISMATCH
    return data, Readability.OK


def _hash(storage: Storage, name: str, recorded: str) -> tuple[str, int, Readability]:
    """SHA-256 and size of a stored file, streamed (documents can be large)."""
    if not name:
        return "", 0, Readability.MISSING
    digest, size = hashlib.sha256(), 0
    try:
        with storage.open(name, "rb") as stored:
            for chunk in iter(lambda: stored.read(_CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError:
        return "", 0, Readability.MISSING
    except Exception:  # as in _read
        return "", 0, Readability.UNREADABLE
    sha256 = digest.hexdigest()
    return sha256, size, Readability.OK if sha256 == recorded else Readability.MISMATCH


def print_jpeg(data: bytes) -> bytes:
    """The photo as a JPEG no longer than ``PRINT_LONG_SIDE`` pixels, decoded fully (so a corrupt
    file raises here). A small enough JPEG is returned as it is, which WeasyPrint embeds untouched."""
    with Image.open(io.BytesIO(data)) as image:
        small = max(image.size) <= PRINT_LONG_SIDE
        if image.format == "JPEG" and small and image.mode in ("RGB", "L"):
            image.load()
            return data
        image.draft("RGB", (PRINT_LONG_SIDE, PRINT_LONG_SIDE))  # JPEG: decode at a reduced scale, much faster
        rgb = _flatten(image)
    rgb.thumbnail((PRINT_LONG_SIDE, PRINT_LONG_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=PRINT_JPEG_QUALITY)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: a JPEG has no transparency, and a transparent PNG would otherwise print black."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
