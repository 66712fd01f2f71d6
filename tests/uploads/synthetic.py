"""Synthetic test inputs made with Pillow: gradients and blocks of colour, never a photo of a person."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from PIL import ExifTags, Image, ImageCms, ImageDraw

import revisio.uploads  # noqa: F401 - registers pillow-heif, which the HEIC inputs need

RED = (255, 0, 0)
BLUE = (0, 0, 255)

SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def gradient(width: int = 64, height: int = 48, mode: str = "RGB") -> Image.Image:
    """A smooth gradient, so lossy encoders have something realistic to compress."""
    image = Image.new("RGB", (width, height))
    image.putdata([(x * 255 // width, y * 255 // height, 128) for y in range(height) for x in range(width)])
    return image.convert(mode)


def marked(width: int = 40, height: int = 20) -> Image.Image:
    """Blue with a red square in the top-left corner, to see where a rotation puts it."""
    image = Image.new("RGB", (width, height), BLUE)
    ImageDraw.Draw(image).rectangle((0, 0, width // 4 - 1, height // 2 - 1), fill=RED)
    return image


def encoded(image: Image.Image, pillow_format: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=pillow_format, **options)
    return buffer.getvalue()


def exif(
    *,
    original: str | None = None,
    changed: str | None = None,
    orientation: int | None = None,
    gps: bool = False,
) -> Image.Exif:
    """EXIF with the device, optional times, orientation and a GPS position."""
    data = Image.Exif()
    data[ExifTags.Base.Make] = "SyntheticMake"
    data[ExifTags.Base.Model] = "SyntheticModel"
    if changed is not None:
        data[ExifTags.Base.DateTime] = changed
    if orientation is not None:
        data[ExifTags.Base.Orientation] = orientation
    if original is not None:
        data.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = original
    if gps:
        position = data.get_ifd(ExifTags.IFD.GPSInfo)
        position[ExifTags.GPS.GPSLatitudeRef] = "N"
        position[ExifTags.GPS.GPSLatitude] = (37.0, 33.0, 59.0)
        position[ExifTags.GPS.GPSLongitudeRef] = "E"
        position[ExifTags.GPS.GPSLongitude] = (126.0, 58.0, 41.0)
    return data


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="SyntheticAuthor"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose IHDR claims ``width`` × ``height`` pixels, with a valid CRC.

    The image data is that of a 1 × 1 image, so decoding it would fail as truncated; refusing it as
    too large proves the header was checked first.
    """
    data = bytearray(encoded(Image.new("RGB", (1, 1)), "PNG"))
    # Signature (8 bytes), then the IHDR chunk: length (4), type (4), 13 bytes of data, CRC (4).
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _heif_encoder_available() -> bool:
    """Whether pillow-heif on this machine can write HEIC (it needs libheif's x265 encoder)."""
    try:
        encoded(Image.new("RGB", (8, 8)), "HEIF")
    except Exception:
        return False
    return True


HEIF_ENCODER = _heif_encoder_available()
