"""``process_photo``: a patient's photo, checked, oriented and re-encoded without any metadata.

Photos of bodies after surgery are among the most sensitive data Revisio holds, and phone photos
carry the place they were taken (GPS), the device and often an editing history. Only the pixels and
the capture time survive processing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageOps

from revisio.uploads import pixels, wording
from revisio.uploads.decoding import MAX_BYTES, MAX_PIXELS, check_size, decode
from revisio.uploads.exif import read_exif, taken_at
from revisio.uploads.sniffing import IMAGE_KINDS, FileKind, sniff

THUMBNAIL_SIZE = 480

# The stored format for each accepted input: HEIC is turned into JPEG because browsers cannot show it.
_OUTPUT = {
    FileKind.JPEG: ("JPEG", "image/jpeg", ".jpg"),
    FileKind.HEIC: ("JPEG", "image/jpeg", ".jpg"),
    FileKind.PNG: ("PNG", "image/png", ".png"),
    FileKind.WEBP: ("WEBP", "image/webp", ".webp"),
}


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    """A photo ready to store: ``data`` and ``thumbnail`` hold pixels only, no metadata at all.

    ``kind`` is what was uploaded; ``content_type`` and ``extension`` describe ``data``.
    ``width`` and ``height`` (pixels) are after applying the EXIF orientation. ``taken_at`` is the
    camera's naive local time, or None when the photo does not say.
    """

    kind: FileKind
    content_type: str
    extension: str
    data: bytes
    width: int
    height: int
    thumbnail: bytes
    thumbnail_width: int
    thumbnail_height: int
    sha256_original: str
    sha256_stored: str
    taken_at: dt.datetime | None


def process_photo(
    data: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
    thumbnail_size: int = THUMBNAIL_SIZE,
) -> ProcessedPhoto:
    """Check and re-encode an uploaded photo (JPEG, PNG, WebP or HEIC).

    ``max_bytes`` limits the upload's size, ``max_pixels`` its declared width × height (checked
    before decoding), ``thumbnail_size`` the thumbnail's longer side in pixels. The type is checked
    before the size so that a large PDF is told it is a PDF, not that it is large. Raises
    ``UploadRejected`` for anything that is not a usable photo.
    """
    if thumbnail_size < 1:
        raise ValueError(f"thumbnail_size must be positive, not {thumbnail_size}")
    if not data:
        raise wording.empty()
    kind = sniff(data)
    if kind not in IMAGE_KINDS:
        raise wording.not_a_photo(kind)
    check_size(data, max_bytes, document=False)
    image = decode(data, kind, max_pixels=max_pixels)
    exif = read_exif(image)
    captured = taken_at(exif)
    try:
        image = _upright(image, exif)
        image = pixels.to_srgb(image)
        pillow_format, content_type, extension = _OUTPUT[kind]
        image = pixels.flattened(image) if pillow_format == "JPEG" else pixels.with_alpha(image)
        image = pixels.pixels_only(image)
        stored = pixels.encode(image, pillow_format)
        thumb = pixels.thumbnail(image, thumbnail_size)
        thumb_data = pixels.encode(thumb, "JPEG", quality=pixels.THUMBNAIL_QUALITY)
    except (ValueError, OSError) as error:
        # A decodable image in a mode that cannot be converted (Pillow raises ValueError or OSError):
        # refuse it as unusable rather than fail the request.
        raise wording.corrupt(kind) from error
    return ProcessedPhoto(
        kind=kind,
        content_type=content_type,
        extension=extension,
        data=stored,
        width=image.width,
        height=image.height,
        thumbnail=thumb_data,
        thumbnail_width=thumb.width,
        thumbnail_height=thumb.height,
        sha256_original=hashlib.sha256(data).hexdigest(),
        sha256_stored=hashlib.sha256(stored).hexdigest(),
        taken_at=captured,
    )


def _upright(image: Image.Image, exif: Image.Exif) -> Image.Image:
    """The image turned as its EXIF orientation says; unchanged when that cannot be read.

    HEIC needs nothing here: pillow-heif applies the file's rotation and reports orientation 1.
    """
    if exif.get(ExifTags.Base.Orientation, 1) in (None, 1):
        return image
    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        return image
