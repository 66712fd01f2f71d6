"""Photos in, RGB pixel arrays out: the one place measurement reads image files.

Decoding goes through ``revisio.uploads`` so that a measured photo passes the same checks as an
uploaded one: the kind is judged from the bytes (never the file name), Pillow may use only that
kind's decoder, and the declared pixel count is checked before any pixel is decoded. HEIC works
because importing ``revisio.uploads`` registers pillow-heif.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import ImageOps

from revisio.landmarks.errors import DetectionCode, DetectionError
from revisio.uploads import FileKind, RejectionCode, UploadRejected, sniff
from revisio.uploads import wording as upload_wording
from revisio.uploads.decoding import MAX_PIXELS, decode
from revisio.uploads.pixels import flattened
from revisio.uploads.sniffing import IMAGE_KINDS

RGB = NDArray[np.uint8]

#: Shortest side, in pixels, below which no landmark can be placed reliably.
MIN_SIDE_PX = 64
#: Largest file read, in bytes: far above any phone photo, low enough never to exhaust memory.
MAX_FILE_BYTES = 100 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, or a ``DetectionError`` (unreadable / too-large) saying what to do."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DetectionError(
                DetectionCode.TOO_LARGE,
                f"{path.name} is {size // (1024 * 1024)} MB; export the photo as a JPEG under 100 MB",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise DetectionError(DetectionCode.UNREADABLE, f"{path} does not exist: check the file name") from None
    except IsADirectoryError:
        raise DetectionError(DetectionCode.UNREADABLE, f"{path} is a folder, not a photo") from None
    except OSError as error:
        raise DetectionError(DetectionCode.UNREADABLE, f"cannot read {path}: {error.strerror or error}") from None


def image_kind(data: bytes) -> FileKind:
    """The image kind of ``data`` judged from its bytes, or ``not-an-image``."""
    if not data:
        raise DetectionError(DetectionCode.NOT_AN_IMAGE, "the file is empty (0 bytes): choose the photo again")
    kind = sniff(data)
    if kind is None or kind not in IMAGE_KINDS:
        raise DetectionError(DetectionCode.NOT_AN_IMAGE, upload_wording.not_a_photo(kind).message)
    return kind


def load_rgb(source: Path | bytes) -> RGB:
    """Decode a JPEG, PNG, WebP or HEIC photo to an ``(height, width, 3)`` uint8 RGB array.

    The EXIF orientation is applied, so rows and columns are as a person sees the photo (the
    patient's right is on the image's left in a frontal, non-mirrored photo). Transparency is
    composited over white. The array is read-only (it shares the decoded buffer): ``.copy()`` it
    before drawing on it. Raises ``DetectionError`` with code ``not-an-image``, ``unreadable``,
    ``too-large`` or ``too-small`` (shorter side under ``MIN_SIDE_PX`` = 64 pixels).
    """
    data = read_bytes(source) if isinstance(source, Path) else source
    kind = image_kind(data)
    try:
        image = decode(data, kind, max_pixels=MAX_PIXELS)
    except UploadRejected as error:
        code = DetectionCode.TOO_LARGE if error.code is RejectionCode.TOO_MANY_PIXELS else DetectionCode.UNREADABLE
        raise DetectionError(code, error.message) from None
    with contextlib.suppress(Exception):  # damaged EXIF says nothing about the pixels: keep them as stored
        image = ImageOps.exif_transpose(image)
    if min(image.size) < MIN_SIDE_PX:
        raise DetectionError(
            DetectionCode.TOO_SMALL,
            f"the photo is only {image.width}x{image.height} pixels; use the original photo "
            f"(at least {MIN_SIDE_PX} pixels on the short side), not a thumbnail",
        )
    try:
        if image.mode != "RGB":  # convert() copies even when the mode already matches
            image = flattened(image).convert("RGB")
        rgb: RGB = np.asarray(image, dtype=np.uint8)
    except (ValueError, OSError) as error:
        raise DetectionError(DetectionCode.UNREADABLE, f"the photo's pixels cannot be converted: {error}") from None
    return rgb
