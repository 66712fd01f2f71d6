"""Body-contour widths on synthetic silhouettes with known widths (pixel-exact construction)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from revisio.measure import BodyLandmarks, BodyView, LandmarksSource, MeasurementError, measure_body

MID = 300  # the midline column


def silhouette(hip_image_left: int = 70, hip_image_right: int = 80, waist: int = 35, arms_gap: bool = True):  # type: ignore[no-untyped-def]
    """Columns of the torso per row: [MID - left, MID + right] inclusive; arms separate from it."""
    mask = np.zeros((700, 600), dtype=bool)
    for row in range(100, 650):
        left = right = 50
        if 250 <= row <= 330:
            left = right = waist
        if 380 <= row <= 460:
            left, right = hip_image_left, hip_image_right
        mask[row, MID - left : MID + right + 1] = True
    if arms_gap:
        mask[120:380, MID - 110 : MID - 90] = True  # an arm held slightly away from the body
        mask[120:380, MID + 90 : MID + 110] = True
    return mask


def points(**changes):  # type: ignore[no-untyped-def]
    values = {
        "shoulder_right": (MID - 60.0, 100.0),
        "shoulder_left": (MID + 60.0, 100.0),
        "hip_right": (MID - 50.0, 400.0),
        "hip_left": (MID + 50.0, 400.0),
    }
    values.update(changes)
    return values


def test_front_view_known_widths() -> None:
    result = measure_body(BodyLandmarks(silhouette(), **points(), view=BodyView.FRONT), source=LandmarksSource.MANUAL)
    m = result.metrics
    total = 70 + 80 + 1  # pixels in the widest row
    # Front view: the patient's left is on the image's right. Half a pixel of the midline column each side.
    assert m["hip_width_left"] == pytest.approx(80.5 / total, abs=1e-9)
    assert m["hip_width_right"] == pytest.approx(70.5 / total, abs=1e-9)
    assert m["waist_width_left"] == pytest.approx(35.5 / total, abs=1e-9)
    assert m["waist_width_right"] == pytest.approx(35.5 / total, abs=1e-9)
    assert m["hip_asymmetry_index"] == pytest.approx(10 / total, abs=1e-9)
    assert m["hip_width_px"] == pytest.approx(total)
    assert result.validated is False
    assert any("NOT VALIDATED" in warning for warning in result.warnings)


def test_back_view_swaps_the_sides() -> None:
    front = measure_body(BodyLandmarks(silhouette(), **points(), view=BodyView.FRONT), source=LandmarksSource.MANUAL)
    back = measure_body(BodyLandmarks(silhouette(), **points(), view=BodyView.BACK), source=LandmarksSource.MANUAL)
    assert back.metrics["hip_width_left"] == pytest.approx(front.metrics["hip_width_right"])
    assert back.metrics["hip_asymmetry_index"] == pytest.approx(front.metrics["hip_asymmetry_index"])


def test_symmetric_hips_and_arms_are_left_out() -> None:
    m = measure_body(BodyLandmarks(silhouette(75, 75), **points()), source=LandmarksSource.MANUAL).metrics
    assert m["hip_asymmetry_index"] == pytest.approx(0.0, abs=1e-9)
    assert m["hip_width_px"] == pytest.approx(151)  # the arms, 40 px away, are not part of the torso


def test_a_tilted_photo_gives_the_same_answer_within_a_pixel() -> None:
    polygon = [
        (MID - 50, 100),
        (MID + 50, 100),
        (MID + 50, 250),
        (MID + 35, 290),
        (MID + 50, 330),
        (MID + 80, 420),
        (MID + 50, 650),
        (MID - 50, 650),
        (MID - 70, 420),
        (MID - 50, 330),
        (MID - 35, 290),
        (MID - 50, 250),
    ]
    upright = _raster(polygon, 0.0)
    tilted = _raster(polygon, 8.0)
    base = measure_body(BodyLandmarks(upright, **points()), source=LandmarksSource.MANUAL).metrics
    angle = np.radians(8.0)

    def turn(p):  # type: ignore[no-untyped-def]
        x, y = p[0] - 350, p[1] - 350
        return (350 + x * np.cos(angle) - y * np.sin(angle), 350 + x * np.sin(angle) + y * np.cos(angle))

    moved = {name: turn(p) for name, p in points().items()}
    tilted_metrics = measure_body(BodyLandmarks(tilted, **moved), source=LandmarksSource.MANUAL).metrics
    for name in ("hip_width_left", "hip_width_right", "waist_width_left", "hip_asymmetry_index"):
        assert tilted_metrics[name] == pytest.approx(base[name], abs=2 / base["hip_width_px"]), name


def _raster(polygon: list, degrees: float) -> np.ndarray:
    angle = np.radians(degrees)
    turned = [
        (
            350 + (x - 350) * np.cos(angle) - (y - 350) * np.sin(angle),
            350 + (x - 350) * np.sin(angle) + (y - 350) * np.cos(angle),
        )
        for x, y in polygon
    ]
    image = Image.new("1", (700, 760), 0)
    ImageDraw.Draw(image).polygon(turned, fill=1)
    return np.array(image, dtype=bool)


@pytest.mark.parametrize(
    ("mask", "changes", "message"),
    [
        (np.zeros((50, 50), dtype=bool), {}, "empty"),
        (None, {"hip_left": (MID + 50.0, 50.0), "hip_right": (MID - 50.0, 50.0)}, "below the shoulders"),
        (
            None,
            {
                "shoulder_left": (20.0, 100.0),
                "shoulder_right": (10.0, 100.0),
                "hip_left": (20.0, 400.0),
                "hip_right": (10.0, 400.0),
            },
            "does not cover the midline",
        ),
    ],
)
def test_unusable_input(mask, changes: dict, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MeasurementError, match=message):
        measure_body(
            BodyLandmarks(silhouette() if mask is None else mask, **points(**changes)), source=LandmarksSource.MANUAL
        )
