"""Test inputs: the one real portrait that ships inside an installed package, transformed copies of
it, and synthetic drawings. Nothing here is ever written into the repository.

``grace_hopper.jpg`` (matplotlib sample data) is a frontal, non-mirrored portrait; it is only read.
"""

from __future__ import annotations

import io
import math
import pathlib
from collections.abc import Sequence

import cv2
import matplotlib
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from revisio.measure import FaceLandmarks, Point

GRACE_HOPPER = pathlib.Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
RGB = NDArray[np.uint8]


def grace() -> RGB:
    """The portrait as an RGB array (a fresh copy each time)."""
    with Image.open(GRACE_HOPPER) as image:
        return np.array(image.convert("RGB"))


def encoded(rgb: RGB, pillow_format: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format=pillow_format, **options)
    return buffer.getvalue()


def mirrored(rgb: RGB) -> RGB:
    return np.ascontiguousarray(rgb[:, ::-1])


def scaled(rgb: RGB, factor: float) -> RGB:
    height, width = rgb.shape[:2]
    size = (round(width * factor), round(height * factor))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC)


def padded(rgb: RGB, *, left: int = 0, top: int = 0, right: int = 0, bottom: int = 0) -> RGB:
    """The photo shifted inside a larger canvas, the border continuing its edge pixels."""
    return cv2.copyMakeBorder(rgb, top, bottom, left, right, cv2.BORDER_REPLICATE)


def rotated(rgb: RGB, degrees: float) -> RGB:
    """The photo turned by ``degrees`` (counter-clockwise) about its centre, on a canvas padded by
    150 px so the face stays whole: a head tilted in the photo."""
    canvas = padded(rgb, left=150, right=150, top=150, bottom=150)
    height, width = canvas.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(canvas, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def swap_sides(metrics: dict[str, float]) -> dict[str, float]:
    """What a mirrored photo should measure: left and right exchanged, signed deviations negated."""
    swapped = {}
    for name, value in metrics.items():
        if "_left" in name:
            swapped[name.replace("_left", "_right")] = value
        elif "_right" in name:
            swapped[name.replace("_right", "_left")] = value
        elif "deviation" in name:
            swapped[name] = -value
        else:
            swapped[name] = value
    return swapped


def _window(values: NDArray[np.float32], start: float, end: float, taper: float) -> NDArray[np.float32]:
    """1 on [start, end], falling to 0 with a half cosine over ``taper`` pixels on each side."""
    below = np.clip((start - values) / taper, 0, 1)
    above = np.clip((values - end) / taper, 0, 1)
    window: NDArray[np.float32] = 0.25 * (1 + np.cos(np.pi * below)) * (1 + np.cos(np.pi * above))
    return window


def brow_at_pupil(brow: Sequence[Point], pupil: Point) -> float:
    """The brow polyline's y (pixels) straight above the pupil."""
    ordered = sorted(brow)
    return float(np.interp(pupil[0], [p[0] for p in ordered], [p[1] for p in ordered]))


def lift_right_brow(rgb: RGB, face: FaceLandmarks, lift_px: float) -> tuple[RGB, float]:
    """Lift the patient's right brow (the image's left) and the forehead above it by ``lift_px``.

    A smooth displacement field: full lift above a line 5 px below the brow (at the pupil), falling
    off below it with a 5 px Gaussian so the eye stays put, and across a band from 10 px outside
    the brow's lateral end to its medial end, tapering to zero over 16 px, so nothing moves on the
    midline or the other side. Returns the warped photo and the expected change of the brow height
    (brow to pupil, pixels) at the pupil, solved from the field itself.
    """
    height, width = rgb.shape[:2]
    xs = [p[0] for p in face.brow_right]
    pupil_x, pupil_y = face.pupil_right
    brow_y = brow_at_pupil(face.brow_right, face.pupil_right)
    edge = brow_y + 5

    def field(x: NDArray[np.float32] | float, y: NDArray[np.float32] | float) -> NDArray[np.float32]:
        x_arr, y_arr = np.asarray(x, dtype=np.float32), np.asarray(y, dtype=np.float32)
        below = np.where(y_arr <= edge, 1.0, np.exp(-(((y_arr - edge) / 5.0) ** 2) / 2))
        return lift_px * _window(x_arr, min(xs) - 10, max(xs), 16) * below

    grid_y, grid_x = np.mgrid[0:height, 0:width].astype(np.float32)
    # Each output pixel samples from below it, so content moves up by the field's value there.
    warped = cv2.remap(
        rgb, grid_x, grid_y + field(grid_x, grid_y).astype(np.float32), cv2.INTER_CUBIC, cv2.BORDER_REPLICATE
    )

    def moved_to(y0: float) -> float:  # where content from row y0 ends up: y1 + field(y1) = y0
        y1 = y0
        for _ in range(60):
            y1 = y0 - float(field(pupil_x, y1))
        return y1

    expected = (brow_y - moved_to(brow_y)) - (pupil_y - moved_to(pupil_y))
    return warped, expected


def ellipse_outline(centre: tuple[float, float], half_width: float, half_length: float, *, n: int = 720) -> list[Point]:
    """An ellipse, long axis vertical (nose up or down), as a polygon of ``n`` points."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return [(centre[0] + half_width * math.cos(a), centre[1] + half_length * math.sin(a)) for a in t]


def sheared_outline(
    centre: tuple[float, float], half_width: float, half_length: float, shear: float, *, n: int = 720
) -> list[Point]:
    """An ellipse sheared along x by ``shear`` per pixel of y: a parallelogram-shaped head."""
    return [(x + shear * (y - centre[1]), y) for x, y in ellipse_outline(centre, half_width, half_length, n=n)]


def flattened_corner_outline(
    centre: tuple[float, float], half_width: float, half_length: float, *, flattening: float, n: int = 720
) -> list[Point]:
    """An ellipse (nose up) pushed in on one back corner, as in positional plagiocephaly.

    Points within 50 degrees of the back-right direction (the image's lower right: the patient's
    right in a top view with the nose up) move towards the centre by up to ``flattening`` of their
    radius, with a smooth (cosine) profile.
    """
    corner = math.radians(45)  # from the centre, down and to the image's right
    outline = []
    for x, y in ellipse_outline(centre, half_width, half_length, n=n):
        angle = math.atan2(y - centre[1], x - centre[0])
        off = abs(math.remainder(angle - corner, 2 * math.pi))
        push = flattening * 0.5 * (1 + math.cos(math.pi * off / math.radians(50))) if off < math.radians(50) else 0.0
        outline.append((centre[0] + (x - centre[0]) * (1 - push), centre[1] + (y - centre[1]) * (1 - push)))
    return outline


def head_photo(
    outline: Sequence[Point],
    *,
    size: tuple[int, int] = (640, 560),
    backdrop: tuple[int, int, int],
    hair: tuple[int, int, int],
    seed: int = 0,
) -> RGB:
    """A top view: ``outline`` filled with ``hair`` on a ``backdrop``, both with mild seeded noise
    (sensor grain and hair texture), drawn with 1/16-pixel precision."""
    width, height = size
    rng = np.random.default_rng(seed)
    canvas = np.empty((height, width, 3), dtype=np.uint8)
    canvas[:] = backdrop
    mask = np.zeros((height, width), dtype=np.uint8)
    points = np.round(np.asarray(outline) * 16).astype(np.int32)
    cv2.fillPoly(mask, [points], 1, lineType=cv2.LINE_8, shift=4)
    canvas[mask > 0] = hair
    noise = rng.normal(0, 4, canvas.shape)
    noise[mask > 0] += rng.normal(0, 8, (int(mask.sum()), 3))
    return np.clip(canvas + noise, 0, 255).astype(np.uint8)
