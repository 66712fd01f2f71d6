"""Chimeric faces: a photo levelled about the pupils and split at the facial midline, each half
joined to its own mirror image, so a model sees one side of the face at a time.

Why: Face Mesh has learned that the two sides of a face move together. Measured on
``grace_hopper.jpg`` with a warp that lifted the patient's right brow by 4-10 px and left the other
half of the photo untouched, the right brow's points followed only 27-66 % of the lift and the left
brow's moved by 8-58 % of it, so a one-sided brow lift read as a smaller, two-sided one. On a
chimera both brows are the same brow, and the model's coupling can no longer leak one side into
the other: with chimeras, lifts of 6-10 px give 67-94 % on the lifted side and at most 15 % on the
other (docs/measurement.md has the full sweep).

Coordinates: MediaPipe's, i.e. ``x`` in pixels from the left edge of the image (a pixel's centre is
at ``column + 0.5``). The seam of a chimera is at ``x = half`` exactly, so the chimera is
bit-for-bit symmetric and a mirrored photo yields the same two chimeras, swapped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from revisio.measure import Point


@dataclass(frozen=True)
class Chimeras:
    """The two chimeras of a photo and how to map their points back.

    ``image_left`` is built from the half on the image's left (the patient's right in a frontal,
    non-mirrored photo), ``image_right`` from the other. Both are ``(rows, 2 * half, 3)``.
    ``to_photo`` is the 2x3 affine map from chimera to photo coordinates (pixels).
    """

    image_left: NDArray[np.uint8]
    image_right: NDArray[np.uint8]
    half: int  # the seam's x in the chimeras (pixels)
    to_photo: NDArray[np.float64]

    def back(self, points: NDArray[np.float64]) -> NDArray[np.float64]:
        """Chimera points (an ``(n, 2)`` array) in photo pixels."""
        mapped: NDArray[np.float64] = points @ self.to_photo[:, :2].T + self.to_photo[:, 2]
        return mapped


# Margins of the chimera around the face's landmarks, as fractions of the landmarks' extent: wide
# enough for MediaPipe's face detector and its landmark crop (forehead above, jaw below).
SIDE_MARGIN = 0.5
TOP_MARGIN = 0.7
BOTTOM_MARGIN = 0.3


def _levelling(left: Point, right: Point, face: NDArray[np.float64]) -> tuple[NDArray[np.float64], int, int]:
    """The affine map (2x3, pixels) that turns the photo so the pupils are level and moves it so
    their midpoint is at ``x = half`` of a crop around ``face`` (points, photo pixels); with
    ``half`` and the crop's height. Cropping makes the warp cheap on a 12-megapixel photo."""
    cx, cy = (left[0] + right[0]) / 2, (left[1] + right[1]) / 2
    dx, dy = right[0] - left[0], right[1] - left[1]
    angle = math.atan2(dy, dx)
    if abs(angle) > math.pi / 2:  # level the line by the smaller turn, never flip the photo over
        angle -= math.pi * math.copysign(1.0, angle)
    c, s = math.cos(-angle), math.sin(-angle)
    rotation = np.array([[c, -s], [s, c]])
    levelled = (face - np.array([cx, cy])) @ rotation.T  # relative to the pupils' midpoint
    reach = float(np.abs(levelled[:, 0]).max())
    top, bottom = float(levelled[:, 1].min()), float(levelled[:, 1].max())
    span = bottom - top
    half = math.ceil(reach * (1 + SIDE_MARGIN)) + 1
    first_row = top - TOP_MARGIN * span
    height = math.ceil(bottom + BOTTOM_MARGIN * span - first_row)
    matrix = np.hstack([rotation, np.zeros((2, 1))])
    matrix[:, 2] = np.array([half, -first_row]) - rotation @ np.array([cx, cy])
    return matrix, half, height


def _inverse(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    """The inverse of a 2x3 affine map. By hand, not ``np.linalg.inv``: a LAPACK call wakes
    OpenBLAS's thread pool, whose threads then spin on every core for milliseconds, which nearly
    doubled the CPU time of each photo and slowed parallel batch workers."""
    (a, b, tx), (c, d, ty) = matrix
    determinant = a * d - b * c
    linear = np.array([[d, -b], [-c, a]]) / determinant
    inverse: NDArray[np.float64] = np.hstack([linear, (-linear @ np.array([tx, ty]))[:, None]])
    return inverse


def make_chimeras(rgb: NDArray[np.uint8], pupil_left: Point, pupil_right: Point, face: NDArray[np.float64]) -> Chimeras:
    """Level ``rgb`` on the pupils (image pixels; which is the patient's left does not matter here),
    crop it around ``face`` (an ``(n, 2)`` array of the face's landmarks, photo pixels) and build
    the two chimeras about the midline between the pupils."""
    import cv2

    to_level, half, height = _levelling(pupil_left, pupil_right, face)
    # OpenCV puts pixel centres at integer coordinates, MediaPipe at +0.5: shift in and out.
    shift = np.array([0.5, 0.5])
    opencv = to_level.copy()
    opencv[:, 2] = to_level[:, 2] + to_level[:, :2] @ shift - shift
    level = cv2.warpAffine(rgb, opencv, (2 * half, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    left_half, right_half = level[:, :half], level[:, half:]
    # cv2.flip, not a numpy [:, ::-1] copy: 30 times faster, and this runs twice per photo.
    return Chimeras(
        image_left=np.asarray(cv2.hconcat([left_half, cv2.flip(left_half, 1)]), dtype=np.uint8),
        image_right=np.asarray(cv2.hconcat([cv2.flip(right_half, 1), right_half]), dtype=np.uint8),
        half=half,
        to_photo=_inverse(to_level),
    )
