"""Landmarks given by a person (a JSON object), checked and turned into ``revisio.measure`` inputs.

All coordinates are ``[x, y]`` image pixels of the photo as displayed (EXIF orientation applied),
``y`` pointing down, and must lie inside the photo. Left and right are the **patient's own**.
Shapes per kind (see docs/measurement.md for examples):

- face: the keys of ``FaceLandmarks.as_dict()`` (points, polylines of at least two points,
  ``iris_diameter_px``, optional ``pairs`` of ``[[x, y] left, [x, y] right]``);
- breast: ``sternal_notch``, ``nipple_left``, ``nipple_right``, ``contour_lowest_left``,
  ``contour_lowest_right``;
- head-top: ``{"outline": [[x, y], ...], "nose": "up"}`` (``nose`` optional);
- body: ``{"outline": [[x, y], ...], "shoulder_left": [x, y], "shoulder_right", "hip_left",
  "hip_right", "view": "front"}`` where ``outline`` is the silhouette polygon (``view`` optional).

The whole ``--json`` output of ``revisio measure`` is accepted too: its ``landmarks`` object is used,
so automatic landmarks can be corrected by hand and measured again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw

from revisio.landmarks.errors import DetectionCode, DetectionError
from revisio.measure import (
    BodyLandmarks,
    BodyView,
    BreastLandmarks,
    FaceLandmarks,
    HeadOutline,
    Kind,
    NoseDirection,
    Point,
)

Parsed = FaceLandmarks | BreastLandmarks | HeadOutline | BodyLandmarks

_FACE_POINTS = ("pupil_left", "pupil_right", "mouth_corner_left", "mouth_corner_right", "nasal_tip", "chin")
_FACE_LINES = (
    "brow_left",
    "brow_right",
    "upper_lid_left",
    "upper_lid_right",
    "lower_lid_left",
    "lower_lid_right",
)
_BREAST_POINTS = ("sternal_notch", "nipple_left", "nipple_right", "contour_lowest_left", "contour_lowest_right")
_BODY_POINTS = ("shoulder_left", "shoulder_right", "hip_left", "hip_right")
# Written by measure_body into its output's landmarks; accepted back and ignored.
_BODY_INFORMATIONAL = ("waist_row", "hip_row")


def _bad(message: str) -> DetectionError:
    return DetectionError(DetectionCode.BAD_LANDMARKS, f"landmarks: {message}")


class _Reader:
    """Reads fields of one landmarks object, checking each against the photo's size (pixels)."""

    def __init__(self, data: Mapping[str, Any], size: tuple[int, int]) -> None:
        self.data = data
        self.width, self.height = size

    def require(self, name: str) -> Any:
        if name not in self.data:
            raise _bad(f"'{name}' is missing")
        return self.data[name]

    def point(self, value: Any, name: str) -> Point:
        if (
            not isinstance(value, list | tuple)
            or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value)
        ):
            raise _bad(f"'{name}' must be [x, y] in image pixels")
        x, y = float(value[0]), float(value[1])
        if not (0 <= x <= self.width and 0 <= y <= self.height):
            raise _bad(f"'{name}' [{x:g}, {y:g}] is outside the {self.width}x{self.height} photo")
        return (x, y)

    def points(self, name: str, minimum: int) -> list[Point]:
        value = self.require(name)
        if not isinstance(value, list) or len(value) < minimum:
            raise _bad(f"'{name}' must be a list of at least {minimum} [x, y] points")
        return [self.point(item, f"{name}[{i}]") for i, item in enumerate(value)]

    def number(self, name: str) -> float:
        value = self.require(name)
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value) or value <= 0:
            raise _bad(f"'{name}' must be a positive number of pixels")
        return float(value)

    def only(self, allowed: tuple[str, ...]) -> None:
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise _bad(f"unknown field(s) {', '.join(repr(u) for u in unknown)}; expected {', '.join(allowed)}")


def parse_landmarks(
    kind: Kind,
    data: Any,
    *,
    size: tuple[int, int],
    view: BodyView = BodyView.FRONT,
    nose: NoseDirection = NoseDirection.UP,
) -> Parsed:
    """The landmarks object ``data`` for ``kind``, checked against a photo of ``size`` = (width, height).

    ``view`` and ``nose`` apply when the object does not say. Raises ``DetectionError``
    ``bad-landmarks`` naming the first field that is missing or malformed.
    """
    if isinstance(data, Mapping) and "landmarks" in data and "kind" in data:
        if data["kind"] != kind.value:
            raise _bad(f"the file holds a {data['kind']!r} measurement, not {kind.value!r}")
        data = data["landmarks"]
    if not isinstance(data, Mapping):
        raise _bad("must be a JSON object of named points")
    reader = _Reader(data, size)
    if kind is Kind.FACE:
        return _face(reader)
    if kind is Kind.BREAST:
        reader.only(_BREAST_POINTS)
        values = {name: reader.point(reader.require(name), name) for name in _BREAST_POINTS}
        return BreastLandmarks(**values)
    if kind is Kind.HEAD_TOP:
        reader.only(("outline", "nose"))
        return HeadOutline(outline=reader.points("outline", 8), nose=_choice(data, "nose", NoseDirection, nose))
    reader.only(("outline", *_BODY_POINTS, "view", *_BODY_INFORMATIONAL))
    outline = reader.points("outline", 3)
    points = {name: reader.point(reader.require(name), name) for name in _BODY_POINTS}
    return BodyLandmarks(
        silhouette=rasterise(outline, size),
        view=_choice(data, "view", BodyView, view),
        **points,
    )


def _face(reader: _Reader) -> FaceLandmarks:
    reader.only(("iris_diameter_px", *_FACE_POINTS, *_FACE_LINES, "pairs"))
    points = {name: reader.point(reader.require(name), name) for name in _FACE_POINTS}
    lines = {name: reader.points(name, 2) for name in _FACE_LINES}
    pairs: list[tuple[Point, Point]] = []
    raw_pairs = reader.data.get("pairs", [])
    if not isinstance(raw_pairs, list):
        raise _bad("'pairs' must be a list of [[x, y] patient's left, [x, y] patient's right]")
    for i, pair in enumerate(raw_pairs):
        if not isinstance(pair, list) or len(pair) != 2:
            raise _bad(f"'pairs[{i}]' must be [[x, y] patient's left, [x, y] patient's right]")
        pairs.append((reader.point(pair[0], f"pairs[{i}][0]"), reader.point(pair[1], f"pairs[{i}][1]")))
    return FaceLandmarks(
        pupil_left=points["pupil_left"],
        pupil_right=points["pupil_right"],
        iris_diameter_px=reader.number("iris_diameter_px"),
        brow_left=lines["brow_left"],
        brow_right=lines["brow_right"],
        upper_lid_left=lines["upper_lid_left"],
        upper_lid_right=lines["upper_lid_right"],
        lower_lid_left=lines["lower_lid_left"],
        lower_lid_right=lines["lower_lid_right"],
        mouth_corner_left=points["mouth_corner_left"],
        mouth_corner_right=points["mouth_corner_right"],
        nasal_tip=points["nasal_tip"],
        chin=points["chin"],
        pairs=tuple(pairs),
    )


def _choice(data: Mapping[str, Any], name: str, enum: Any, default: Any) -> Any:
    if name not in data:
        return default
    try:
        return enum(data[name])
    except ValueError:
        raise _bad(f"'{name}' must be one of {', '.join(member.value for member in enum)}") from None


def rasterise(outline: list[Point], size: tuple[int, int]) -> NDArray[np.bool_]:
    """The polygon ``outline`` filled on a ``size`` = (width, height) canvas: True inside, edge included."""
    canvas = Image.new("1", size, 0)
    ImageDraw.Draw(canvas).polygon(outline, fill=1, outline=1)
    mask: NDArray[np.bool_] = np.asarray(canvas, dtype=bool)
    return mask
