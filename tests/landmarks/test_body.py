"""Body: automatic detection refuses a portrait; hand-given outlines and points are measured.

The synthetic torso below is symmetric about x = 200 except its hips: 60 px to the image's left
of the midline and 80 px to its right. In a front view the image's right is the patient's left.
"""

from __future__ import annotations

import numpy as np
import pytest

from revisio.landmarks import DetectionCode, DetectionError, measure_photo
from revisio.landmarks.body import detect_body
from tests.landmarks import photos

MIDLINE = 200
# Shoulders at y = 100, a waist at y = 250 (45 px each side), hips widest at y = 350.
TORSO = [
    [MIDLINE - 70, 100], [MIDLINE + 70, 100], [MIDLINE + 45, 250], [MIDLINE + 80, 350],
    [MIDLINE + 40, 480], [MIDLINE - 40, 480], [MIDLINE - 60, 350], [MIDLINE - 45, 250],
]  # fmt: skip
POINTS = {
    "shoulder_left": [MIDLINE + 60, 100],
    "shoulder_right": [MIDLINE - 60, 100],
    "hip_left": [MIDLINE + 35, 330],
    "hip_right": [MIDLINE - 35, 330],
}


def blank_photo() -> bytes:
    return photos.encoded(np.full((520, 400, 3), 230, dtype=np.uint8), "PNG")


def test_portrait_has_no_full_body() -> None:
    with pytest.raises(DetectionError) as raised:
        detect_body(photos.grace())
    assert raised.value.code is DetectionCode.NO_BODY
    assert "full-body photo" in raised.value.message
    assert "arms slightly away from the body" in raised.value.message


def test_manual_outline_front_view() -> None:
    measurement = measure_photo(blank_photo(), "body", landmarks={"outline": TORSO, **POINTS, "view": "front"})
    metrics = measurement.metrics
    assert measurement.landmarks_source.value == "manual"
    assert measurement.validated is False
    # Front view: the wider (80 px) side is on the image's right, the patient's left.
    assert metrics["hip_width_left"] == pytest.approx(80 / 140, abs=0.02)
    assert metrics["hip_width_right"] == pytest.approx(60 / 140, abs=0.02)
    assert metrics["hip_asymmetry_index"] == pytest.approx(20 / 140, abs=0.02)
    assert metrics["hip_width_px"] == pytest.approx(141, abs=3)  # rasterised edges count whole pixels


def test_back_view_swaps_sides() -> None:
    landmarks = {"outline": TORSO, **POINTS}
    back = measure_photo(blank_photo(), "body", landmarks=landmarks, view="back").metrics
    assert back["hip_width_right"] == pytest.approx(80 / 140, abs=0.02)
    assert back["hip_width_left"] == pytest.approx(60 / 140, abs=0.02)


def test_scale_is_not_used_for_body_fractions() -> None:
    measurement = measure_photo(blank_photo(), "body", landmarks={"outline": TORSO, **POINTS}, scale_mm_per_px=0.5)
    assert any("scale was not used" in warning for warning in measurement.warnings)
