"""BCCT.core breast indices, hand-computed."""

from __future__ import annotations

import math

import pytest

from revisio.measure import BreastLandmarks, LandmarksSource, MeasurementError, measure_breast

# Sternal notch S, nipples (patient's left on the image's right), lowest contour points.
POINTS = {
    "sternal_notch": [200, 100],
    "nipple_left": [260, 200],
    "nipple_right": [130, 210],
    "contour_lowest_left": [255, 290],
    "contour_lowest_right": [135, 300],
}


def test_hand_computed_values() -> None:
    result = measure_breast(BreastLandmarks.from_dict(POINTS), scale_mm_per_px=0.5)
    m = result.metrics
    # |xS-xNL| = 60, |xS-xNR| = 70; |yS-yNL| = 100, |yS-yNR| = 110; folds 90 and 90.
    bra_px = math.sqrt((60 - 70) ** 2 + (100 - 110) ** 2)
    assert m["bra"] == pytest.approx(bra_px / ((math.hypot(60, 100) + math.hypot(70, 110)) / 2), rel=1e-12)
    assert m["unr"] == pytest.approx(10 / 105, rel=1e-12)
    assert m["lbc"] == pytest.approx(10 / ((100 + 110 + 90 + 90) / 2), rel=1e-12)
    assert m["bce"] == pytest.approx(0.0, abs=1e-12)
    assert m["bra_mm"] == pytest.approx(bra_px * 0.5, rel=1e-12)
    assert result.validated is True and result.landmarks_source is LandmarksSource.MANUAL


def test_symmetric_breasts_score_zero_and_no_scale_means_no_mm() -> None:
    symmetric = {**POINTS, "nipple_right": [140, 200], "contour_lowest_right": [145, 290]}
    result = measure_breast(BreastLandmarks.from_dict(symmetric))
    assert all(result.metrics[name] == pytest.approx(0.0, abs=1e-12) for name in ("bra", "unr", "lbc", "bce"))
    assert "bra_mm" not in result.metrics
    assert any("scale" in warning for warning in result.warnings)


def test_indices_do_not_depend_on_scale_or_position() -> None:
    moved = {k: [v[0] * 3 + 40, v[1] * 3 - 10] for k, v in POINTS.items()}
    a = measure_breast(BreastLandmarks.from_dict(POINTS)).metrics
    b = measure_breast(BreastLandmarks.from_dict(moved)).metrics
    for name in ("bra", "unr", "lbc", "bce"):
        assert b[name] == pytest.approx(a[name], rel=1e-12)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nipple_left": None}, "missing landmark"),
        ({"nipple_left": [1, 2, 3]}, "nipple_left must be"),
        ({"nipple_left": ["a", 2]}, "nipple_left must be"),
        ({"nipple_left": [260, 100]}, "below the sternal notch"),
        ({"contour_lowest_right": [135, 210]}, "below the sternal notch and above"),
        ({"nipple_left": [260, 60]}, "below the sternal notch"),  # marked above the notch
        ({"contour_lowest_left": [255, 150]}, "above the lowest contour"),  # lowest point above the nipple
    ],
)
def test_bad_landmarks_are_named(change: dict, message: str) -> None:
    points = {**POINTS, **change}
    points = {k: v for k, v in points.items() if v is not None}
    with pytest.raises(MeasurementError, match=message):
        measure_breast(BreastLandmarks.from_dict(points))
