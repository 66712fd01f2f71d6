"""Turning untrusted bytes into a fully decoded Pillow image, or a refusal.

Order matters for safety: the kind is sniffed from the bytes, Pillow is allowed only the decoder
for that kind (so a polyglot cannot reach a different parser), and the pixel count declared in the
header is checked before any pixel data is decoded, so a tiny file declaring 50 000 × 50 000 pixels
never allocates gigabytes. Truncated images are refused: ``ImageFile.LOAD_TRUNCATED_IMAGES`` stays off.
"""

from __future__ import annotations

import io
import warnings

import pillow_heif
from PIL import Image, ImageFile

from revisio.uploads import wording
from revisio.uploads.errors import UploadRejected
from revisio.uploads.sniffing import FileKind

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 40_000_000

pillow_heif.register_heif_opener()

# MPO is how Pillow names a JPEG that carries extra images (phones write them for depth and previews).
_PILLOW_FORMATS = {
    FileKind.JPEG: ["JPEG", "MPO"],
    FileKind.PNG: ["PNG"],
    FileKind.WEBP: ["WEBP"],
    FileKind.HEIC: ["HEIF"],
}


def check_size(data: bytes, max_bytes: int, *, document: bool) -> None:
    """Refuse an empty file or one over ``max_bytes`` (bytes), before anything parses it."""
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be positive, not {max_bytes}")
    if not data:
        raise wording.empty()
    if len(data) > max_bytes:
        raise wording.too_large(len(data), max_bytes, document=document)


def decode(data: bytes, kind: FileKind, *, max_pixels: int) -> Image.Image:
    """The first frame of ``data``, fully decoded, with its metadata still in ``info``.

    Precondition: ``kind`` is ``sniff(data)`` and one of the image kinds. Raises ``UploadRejected``
    (too-many-pixels or corrupt) and nothing else for bad input.
    """
    if max_pixels < 1:
        raise ValueError(f"max_pixels must be positive, not {max_pixels}")
    try:
        # Pillow warns (and, over twice its limit, raises) about decompression bombs; both are
        # refusals here. Python 3.11 keeps warning filters per process, so a thread running at the
        # same moment may briefly see this filter too; it only affects DecompressionBombWarning.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[kind])
            width, height = image.size
            if width * height > max_pixels:
                raise wording.too_many_pixels(max_pixels, (width, height))
            # WeasyPrint (the dossier) turns this process-wide switch on when it is imported; a
            # truncated upload must still be refused, so it is set off before every decode.
            ImageFile.LOAD_TRUNCATED_IMAGES = False
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise wording.too_many_pixels(max_pixels) from None
    except MemoryError:
        raise
    except UploadRejected:
        raise
    except Exception as error:
        # Pillow and libheif report bad data as OSError, SyntaxError, ValueError, EOFError,
        # struct.error, zlib.error and more; whatever the parser says, the file cannot be used.
        raise wording.corrupt(kind) from error
    return image
