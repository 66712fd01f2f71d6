"""Landmarks given by hand: each kind's JSON shape, and errors that name the field to fix."""

from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pytest

from revisio.landmarks import DetectionCode, DetectionError, measure_photo
from tests.landmarks import photos

BREAST = {
    "sternal_notch": [200, 60],
    "nipple_left": [270, 200],
    "nipple_right": [130, 210],
    "contour_lowest_left": [265, 280],
    "contour_lowest_right": [135, 290],
}


@pytest.fixture(scope="module")
def canvas() -> bytes:
    return photos.encoded(np.full((400, 400, 3), 200, dtype=np.uint8), "JPEG")


def test_breast_needs_landmarks(canvas: bytes) -> None:
    with pytest.raises(DetectionError) as raised:
        measure_photo(canvas, "breast")
    assert raised.value.code is DetectionCode.NEEDS_LANDMARKS
    assert "sternal_notch" in raised.value.message and "--landmarks" in raised.value.message


def test_breast_landmarks_are_measured(canvas: bytes) -> None:
    measurement = measure_photo(canvas, "breast", landmarks=BREAST, scale_mm_per_px=0.4)
    assert measurement.landmarks_source.value == "manual"
    assert measurement.metrics["unr"] == pytest.approx(10 / 145)  # drops of 140 and 150 px
    assert measurement.metrics["bra_mm"] > 0


def test_face_round_trip_through_json_output() -> None:
    """Automatic landmarks, saved with --json and given back unchanged, measure the same."""
    data = photos.GRACE_HOPPER.read_bytes()
    automatic = measure_photo(data, "face")
    saved = json.loads(json.dumps(automatic.as_dict()))
    again = measure_photo(data, "face", landmarks=saved)
    assert again.landmarks_source.value == "manual"
    for name, value in automatic.metrics.items():
        assert again.metrics[name] == pytest.approx(value, abs=0.01), name  # coordinates are rounded to 0.01 px


def test_head_top_outline_with_nose_in_the_file(canvas: bytes) -> None:
    outline = [[x, y] for x, y in photos.ellipse_outline((200, 200), 80, 100, n=64)]
    up = measure_photo(canvas, "head-top", landmarks={"outline": outline, "nose": "up"}).metrics
    sideways = measure_photo(canvas, "head-top", landmarks={"outline": outline, "nose": "left"}).metrics
    assert up["cephalic_index"] == pytest.approx(80, abs=0.5)
    assert sideways["cephalic_index"] == pytest.approx(125, abs=0.5)


def _without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


def _with(data: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    changed[key] = value
    return changed


@pytest.mark.parametrize(
    ("kind", "landmarks", "message"),
    [
        ("breast", _without(BREAST, "nipple_left"), "'nipple_left' is missing"),
        ("breast", _with(BREAST, "nipple_right", [130]), "'nipple_right' must be [x, y]"),
        ("breast", _with(BREAST, "nipple_right", ["a", 1]), "'nipple_right' must be [x, y]"),
        ("breast", _with(BREAST, "nipple_right", [130, 900]), "'nipple_right' [130, 900] is outside the 400x400"),
        ("breast", {**BREAST, "nipple_centre": [1, 2]}, "unknown field(s) 'nipple_centre'"),
        ("breast", [1, 2, 3], "must be a JSON object"),
        ("breast", _with(BREAST, "nipple_left", [270, 60]), "cannot measure: the nipples must lie below"),
        ("head-top", {"outline": [[1, 1], [2, 2]]}, "'outline' must be a list of at least 8"),
        ("head-top", {"outline": [[10, 10]] * 8, "nose": "north"}, "'nose' must be one of up, down, left, right"),
        ("body", {"outline": [[1, 1], [50, 1], [50, 50]]}, "'shoulder_left' is missing"),
        ("face", {"pupil_left": [1, 1]}, "'pupil_right' is missing"),
        ("face", {"kind": "breast", "landmarks": BREAST}, "holds a 'breast' measurement, not 'face'"),
    ],
)
def test_malformed_landmarks_name_the_field(canvas: bytes, kind: str, landmarks: Any, message: str) -> None:
    with pytest.raises(DetectionError) as raised:
        measure_photo(canvas, kind, landmarks=landmarks)
    assert raised.value.code is DetectionCode.BAD_LANDMARKS
    assert message in raised.value.message
