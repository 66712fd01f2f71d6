"""Colour, mode and encoding: everything between decoded pixels and the bytes Revisio stores.

Stored images are rebuilt from pixel values alone (``pixels_only``) and saved without passing any
metadata, because Pillow's encoders otherwise copy some of it (a JPEG comment, a PNG's ICC profile)
from the source image's ``info``.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageCms

WHITE = (255, 255, 255)
QUALITY = 90
THUMBNAIL_QUALITY = 85

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_ICC_MODES = {"RGB": "RGB", "RGBA": "RGBA", "CMYK": "RGB", "L": "RGB"}
_SIXTEEN_BIT = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N"})


def to_srgb(image: Image.Image) -> Image.Image:
    """The image converted to sRGB through its embedded ICC profile, if it has one.

    The profile is about to be stripped, and viewers assume sRGB without one: an iPhone's Display P3
    photo would otherwise look duller, which matters when redness or bruising is being judged.
    A profile lcms cannot use is ignored (the pixels are kept as they are).
    """
    icc = image.info.get("icc_profile")
    output_mode = _ICC_MODES.get(image.mode)
    if not icc or output_mode is None:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image,
            source,
            _SRGB,
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            outputMode=output_mode,
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def with_alpha(image: Image.Image) -> Image.Image:
    """RGBA when the image has any transparency, else RGB: the modes PNG and WebP output use."""
    image = _eight_bit(image)
    if image.mode in ("RGB", "RGBA"):
        return image
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def flattened(image: Image.Image) -> Image.Image:
    """RGB with any transparency composited over white, for JPEG."""
    image = with_alpha(image)
    if image.mode == "RGB":
        return image
    background = Image.new("RGB", image.size, WHITE)
    background.paste(image, mask=image.getchannel("A"))
    return background


def pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding only the pixel values of ``image`` (RGB or RGBA): no info, no metadata."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def thumbnail(image: Image.Image, longest: int) -> Image.Image:
    """An RGB copy whose longer side is at most ``longest`` pixels; never enlarged."""
    width, height = image.size
    scale = longest / max(width, height)
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return pixels_only(flattened(image))


def encode(image: Image.Image, pillow_format: str, *, quality: int = QUALITY) -> bytes:
    """``image`` saved as ``pillow_format`` with no metadata; precondition: it came from ``pixels_only``.

    ``quality`` (1-95) applies to JPEG and WebP.
    """
    options: dict[str, Any] = {
        "JPEG": {"quality": quality, "optimize": True},
        "WEBP": {"quality": quality},
        "PNG": {},
    }[pillow_format]
    buffer = io.BytesIO()
    image.save(buffer, format=pillow_format, **options)
    return buffer.getvalue()


def _eight_bit(image: Image.Image) -> Image.Image:
    """Scale 16-bit greyscale to 8 bits; Pillow's own conversion would clip it to white."""
    if image.mode not in _SIXTEEN_BIT:
        return image
    return image.convert("I").point(lambda value: value / 256).convert("L")
