"""Plane geometry on ``(x, y)`` pixel points with numpy: rotations, chords, polygon centroids."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from revisio.measure.model import MeasurementError, Point

Array = NDArray[np.float64]


def as_array(points: Sequence[Point]) -> Array:
    array = np.asarray(points, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 2 or not np.all(np.isfinite(array)):
        raise MeasurementError("points must be finite [x, y] pairs")
    return array


def rotation_to_horizontal(left: Point, right: Point) -> tuple[Array, Array]:
    """The rotation (matrix, centre) that makes the segment ``right -> left`` horizontal.

    After rotation ``left`` has the larger x when it did in a non-mirrored frontal photo (the
    patient's left on the image's right), and the angle is the smallest that levels the line.
    """
    a, b = np.asarray(right, dtype=np.float64), np.asarray(left, dtype=np.float64)
    delta = b - a
    if not np.any(delta):
        raise MeasurementError("the two reference points coincide")
    angle = np.arctan2(delta[1], delta[0])
    if abs(angle) > np.pi / 2:  # keep the orientation of the photo: rotate by less than 90°
        angle -= np.pi * np.sign(angle)
    c, s = np.cos(-angle), np.sin(-angle)
    return np.array([[c, -s], [s, c]]), (a + b) / 2


def rotate(points: Array, matrix: Array, centre: Array) -> Array:
    return (points - centre) @ matrix.T + centre


def value_at_x(polyline: Array, x: float) -> float:
    """The y of a polyline at ``x`` by linear interpolation (points sorted by x first)."""
    ordered = polyline[np.argsort(polyline[:, 0])]
    xs, ys = ordered[:, 0], ordered[:, 1]
    if len(xs) == 1:
        return float(ys[0])
    if x < xs[0] or x > xs[-1]:
        # Slightly outside (e.g. a brow that ends before the pupil): extend the nearest segment.
        i = 0 if x < xs[0] else len(xs) - 2
        if xs[i + 1] == xs[i]:
            return float(ys[i])
        return float(ys[i] + (ys[i + 1] - ys[i]) * (x - xs[i]) / (xs[i + 1] - xs[i]))
    return float(np.interp(x, xs, ys))


def polygon_centroid(outline: Array) -> Array:
    """The area centroid of a simple polygon (shoelace formula)."""
    x, y = outline[:, 0], outline[:, 1]
    xn, yn = np.roll(x, -1), np.roll(y, -1)
    cross = x * yn - xn * y
    area = cross.sum() / 2
    if abs(area) < 1e-9:
        raise MeasurementError("the outline encloses no area")
    centroid: Array = np.array([((x + xn) * cross).sum(), ((y + yn) * cross).sum()]) / (6 * area)
    return centroid


def chord_length(outline: Array, centre: Array, direction: Array) -> float:
    """Length of the line through ``centre`` along ``direction`` between its two crossings of the outline.

    Takes the nearest crossing on each side of the centre, so a concave dent is measured, not skipped.
    """
    unit = direction / np.linalg.norm(direction)
    a, b = outline, np.roll(outline, -1, axis=0)
    edge = b - a
    # Solve centre + t*unit = a + u*edge for every edge.
    denominator = unit[0] * edge[:, 1] - unit[1] * edge[:, 0]
    offset = a - centre
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (offset[:, 0] * edge[:, 1] - offset[:, 1] * edge[:, 0]) / denominator
        u = (offset[:, 0] * unit[1] - offset[:, 1] * unit[0]) / denominator
    hit = (np.abs(denominator) > 1e-12) & (u >= 0) & (u <= 1)
    ahead, behind = t[hit & (t > 0)], t[hit & (t < 0)]
    if len(ahead) == 0 or len(behind) == 0:
        raise MeasurementError("the centre is not inside the outline")
    return float(ahead.min() - behind.max())
