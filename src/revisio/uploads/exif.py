"""Reading the capture time from EXIF, which must happen before the metadata is stripped."""

from __future__ import annotations

import datetime as dt

from PIL import ExifTags, Image

_FORMATS = ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M")


def read_exif(image: Image.Image) -> Image.Exif:
    """The image's EXIF, or an empty one when it is missing or too damaged to parse.

    Damaged EXIF is common (editing apps rewrite it badly) and says nothing about the pixels, so it
    never makes a photo unusable.
    """
    try:
        return image.getexif()
    except Exception:
        return Image.Exif()


def taken_at(exif: Image.Exif) -> dt.datetime | None:
    """DateTimeOriginal from the Exif IFD, else the file's DateTime, as a naive local time.

    EXIF times carry no time zone (OffsetTimeOriginal is rare and often wrong), so the result is
    naive: the camera's wall-clock time. None when both are absent or unparseable.
    """
    try:
        original = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal)
    except Exception:
        original = None
    for value in (original, exif.get(ExifTags.Base.DateTime)):
        parsed = _parse(value)
        if parsed is not None:
            return parsed
    return None


def _parse(value: object) -> dt.datetime | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    text = value.strip("\x00 \t\r\n")[:19]
    for pattern in _FORMATS:
        try:
            return dt.datetime.strptime(text, pattern)  # noqa: DTZ007 - EXIF time has no zone (see taken_at)
        except ValueError:
            continue
    return None
