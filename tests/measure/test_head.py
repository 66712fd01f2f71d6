"""Cephalic index and CVAI on drawn outlines with known answers (within 0.1 index points)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from revisio.measure import HeadOutline, LandmarksSource, MeasurementError, NoseDirection, measure_head_top


def ellipse(a: float, b: float, *, shear: float = 0.0, n: int = 1440, centre=(400.0, 300.0)) -> list:  # type: ignore[no-untyped-def]
    """Half-width ``a`` across, half-length ``b`` along the nose axis (image y), sheared by ``shear``."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x, y = a * np.cos(t), b * np.sin(t)
    return [(centre[0] + xi + shear * yi, centre[1] + yi) for xi, yi in zip(x, y, strict=True)]


def half_chord(a: float, b: float, shear: float, degrees_from_front: float) -> float:
    """Exact half-length of the chord through the centre, for the sheared ellipse (nose up)."""
    theta = math.radians(degrees_from_front)
    u = (math.sin(theta), -math.cos(theta))  # rotated from "up" (0, -1)
    w = (u[0] - shear * u[1], u[1])  # undo the shear
    return 1 / math.sqrt(w[0] ** 2 / a**2 + w[1] ** 2 / b**2)


def measure(outline, nose=NoseDirection.UP, **kwargs):  # type: ignore[no-untyped-def]
    return measure_head_top(HeadOutline(outline, nose), source=LandmarksSource.MANUAL, **kwargs).metrics


def test_ellipse_has_known_cephalic_index_and_no_asymmetry() -> None:
    m = measure(ellipse(75, 95))
    assert m["cephalic_index"] == pytest.approx(75 / 95 * 100, abs=0.1)
    assert m["cvai"] == pytest.approx(0.0, abs=0.1)


@pytest.mark.parametrize("shear", [0.08, 0.15, -0.12])
def test_skewed_head_has_known_cvai(shear: float) -> None:
    a, b = 78.0, 96.0
    m = measure(ellipse(a, b, shear=shear))
    left, right = 2 * half_chord(a, b, shear, -30), 2 * half_chord(a, b, shear, 30)
    expected = (max(left, right) - min(left, right)) / min(left, right) * 100  # Loveday: over the shorter one
    assert m["cvai"] == pytest.approx(expected, abs=0.1)
    assert m["cephalic_index"] == pytest.approx(math.sqrt(a**2 + shear**2 * b**2) / b * 100, abs=0.1)
    assert m["diagonal_front_left_px"] == pytest.approx(left, rel=1e-3)
    assert m["diagonal_front_right_px"] == pytest.approx(right, rel=1e-3)


@pytest.mark.parametrize(
    ("nose", "turn"), [(NoseDirection.DOWN, 180), (NoseDirection.RIGHT, 90), (NoseDirection.LEFT, -90)]
)
def test_the_nose_direction_is_respected(nose: NoseDirection, turn: float) -> None:
    outline = ellipse(78, 96, shear=0.12)
    theta = math.radians(turn)
    turned = [
        (
            400 + (x - 400) * math.cos(theta) - (y - 300) * math.sin(theta),
            300 + (x - 400) * math.sin(theta) + (y - 300) * math.cos(theta),
        )
        for x, y in outline
    ]
    upright, rotated = measure(outline), measure(turned, nose)
    for name in ("cephalic_index", "cvai", "diagonal_front_left_px", "diagonal_front_right_px"):
        assert rotated[name] == pytest.approx(upright[name], rel=1e-3), name


def test_scale_gives_millimetres() -> None:
    m = measure(ellipse(75, 95), scale_mm_per_px=0.8)
    assert m["length_mm"] == pytest.approx(190 * 0.8, rel=1e-3)
    assert m["width_mm"] == pytest.approx(150 * 0.8, rel=1e-3)


def test_adult_threshold_warning_and_validation_text() -> None:
    result = measure_head_top(HeadOutline(ellipse(75, 95)), source=LandmarksSource.AUTO, method="segmentation")
    assert any("infant" in w for w in result.warnings)
    assert "not validated for adults" in result.validation
    assert result.validated is False


@pytest.mark.parametrize(
    ("outline", "message"),
    [
        ([(0, 0), (1, 1), (2, 2)], "at least 8 points"),
        ([(float(i), float(i)) for i in range(10)], "encloses no area"),
    ],
)
def test_degenerate_outlines(outline: list, message: str) -> None:
    with pytest.raises(MeasurementError, match=message):
        measure(outline)
