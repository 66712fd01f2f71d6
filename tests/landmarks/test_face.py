"""Automatic face landmarks on ``grace_hopper.jpg`` and copies transformed in the test.

Tolerances, and the errors measured with mediapipe 0.10.21 on x86-64 (reprint them with
``.venv/bin/python -m tests.landmarks.invariance``):

- mirror image: left and right values swap and signed deviations flip, within 0.1 mm and 0.002
  of the asymmetry index (measured 0.05 mm, 0.0003);
- scale 0.6 and 1.5, shifts of up to 120 px, tilts of +/-20 degrees: brow, fissure and deviation metrics within 1.5 mm
  (measured up to 1.03 mm), commissure heights (about 62 mm, so dominated by the iris scale's
  noise) within 5 % (measured up to 2.47 mm, 4.0 %), asymmetry index within 0.01 (0.0047);
- a one-sided brow lift of 6-10 px: that brow height rises by 60-120 % of the lift in mm
  (measured 67-94 %), the other moves by at most 25 % of it (measured 0-15 %).
"""

from __future__ import annotations

import numpy as np
import pytest

from revisio.landmarks import DetectionCode, DetectionError, measure_photo
from revisio.landmarks.face import MIN_IRIS_PX, detect_face, find_face
from tests.landmarks import invariance, photos


@pytest.fixture(scope="module")
def original() -> dict[str, float]:
    return invariance.face_metrics(photos.grace())


def test_patients_right_eye_is_on_the_images_left() -> None:
    face = detect_face(photos.grace())
    assert face.pupil_right[0] < face.pupil_left[0]
    assert face.mouth_corner_right[0] < face.mouth_corner_left[0]
    assert max(x for x, _ in face.brow_right) < min(x for x, _ in face.brow_left)
    for left, right in face.pairs:
        assert right[0] < left[0]
    assert 14 < face.iris_diameter_px < 20  # the iris is about 17 px wide in this 512 x 600 portrait


def test_mirror_image_swaps_left_and_right(original: dict[str, float]) -> None:
    errors = invariance.transform_errors("mirror", original)
    assert original["nasal_tip_deviation_mm"] != pytest.approx(0, abs=0.2)  # so the sign flip is seen
    for name, error in errors.items():
        assert error <= (0.002 if name == "asymmetry_index" else 0.1), name


@pytest.mark.parametrize("transform", [name for name in invariance.TRANSFORMS if name != "mirror"])
def test_scale_shift_and_tilt_leave_millimetres_unchanged(transform: str, original: dict[str, float]) -> None:
    errors = invariance.transform_errors(transform, original)
    for name, error in errors.items():
        if name == "asymmetry_index":
            assert error <= 0.01, name
        elif name.startswith("commissure_height"):
            assert error <= 0.05 * original[name], name
        else:
            assert error <= 1.5, name


@pytest.mark.parametrize("lift_px", invariance.BROW_LIFTS_PX)
def test_lifting_one_brow_changes_that_side(lift_px: float) -> None:
    lift = invariance.brow_lift(lift_px)
    assert lift.expected_mm > 3.5
    assert 0.6 * lift.expected_mm <= lift.right_mm <= 1.2 * lift.expected_mm
    assert abs(lift.left_mm) <= 0.25 * lift.expected_mm


def test_measure_photo_from_file_bytes() -> None:
    measurement = measure_photo(photos.GRACE_HOPPER.read_bytes(), "face")
    assert measurement.landmarks_source.value == "auto"
    assert measurement.method.startswith("mediapipe 0.10.21 Face Mesh (refined iris)")
    assert measurement.metrics["brow_height_left_mm"] > 5
    assert measurement.landmarks["pupil_left"][0] > measurement.landmarks["pupil_right"][0]


def test_no_face() -> None:
    rng = np.random.default_rng(3)
    noise = rng.integers(90, 160, (300, 300, 3), dtype=np.uint8)
    with pytest.raises(DetectionError) as raised:
        find_face(noise)
    assert raised.value.code is DetectionCode.NO_FACE
    assert "from the front" in raised.value.message


def test_several_faces() -> None:
    rgb = photos.grace()
    with pytest.raises(DetectionError) as raised:
        find_face(np.concatenate([rgb, rgb], axis=1))
    assert raised.value.code is DetectionCode.SEVERAL_FACES
    assert "one face only" in raised.value.message


def test_face_too_small_for_millimetres() -> None:
    small = photos.padded(photos.scaled(photos.grace(), 0.35), right=300, bottom=300)
    with pytest.raises(DetectionError) as raised:
        find_face(small)
    assert raised.value.code is DetectionCode.TOO_SMALL
    assert f"at least {MIN_IRIS_PX:.0f}" in raised.value.message
