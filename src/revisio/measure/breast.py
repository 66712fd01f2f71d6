"""Breast symmetry from a frontal photo, after BCCT.core (Cardoso et al., INESC TEC).

Five points, marked by hand: the sternal notch S, both nipples N and the lowest point of each breast
contour. **Left and right are the patient's own.** All four indices are dimensionless (pixel
distances divided by pixel distances), so the photo's scale does not matter; ``bra_mm`` needs one.
Formulas as re-implemented in wjsilva19/aesthetic_evaluation (research notes, section 2.1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from revisio.measure.model import ALGORITHM_VERSION, Kind, LandmarksSource, Measurement, MeasurementError, Point

VALIDATION = "BCCT.core indices, validated against expert panels for breast-cancer treatment outcomes"


@dataclass(frozen=True)
class BreastLandmarks:
    sternal_notch: Point
    nipple_left: Point
    nipple_right: Point
    contour_lowest_left: Point
    contour_lowest_right: Point

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> BreastLandmarks:
        names = ("sternal_notch", "nipple_left", "nipple_right", "contour_lowest_left", "contour_lowest_right")
        missing = [name for name in names if name not in data]
        if missing:
            raise MeasurementError(f"missing landmark(s): {', '.join(missing)}")
        return cls(**{name: _point(data[name], name) for name in names})

    def as_dict(self) -> dict[str, list[float]]:
        return {name: list(getattr(self, name)) for name in self.__dataclass_fields__}


def _point(value: object, name: str) -> Point:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value)
    ):
        raise MeasurementError(f"{name} must be [x, y] in image pixels")
    return (float(value[0]), float(value[1]))


def measure_breast(
    landmarks: BreastLandmarks,
    *,
    source: LandmarksSource = LandmarksSource.MANUAL,
    method: str = "manual landmarks",
    scale_mm_per_px: float | None = None,
) -> Measurement:
    """BRA (breast retraction assessment), UNR (upward nipple retraction), LBC (lower breast
    contour) and BCE (breast compliance evaluation); 0 means symmetric for each."""
    xs, ys = landmarks.sternal_notch
    xl, yl = landmarks.nipple_left
    xr, yr = landmarks.nipple_right
    low_l, low_r = landmarks.contour_lowest_left[1], landmarks.contour_lowest_right[1]
    # Image y points down: each nipple must be below the notch, each lowest point below its nipple.
    if min(yl - ys, yr - ys, low_l - yl, low_r - yr) <= 0:
        raise MeasurementError("the nipples must lie below the sternal notch and above the lowest contour points")
    s_to_l, s_to_r = math.hypot(xs - xl, ys - yl), math.hypot(xs - xr, ys - yr)
    drop_l, drop_r = yl - ys, yr - ys  # vertical sternal notch to nipple
    fold_l, fold_r = low_l - yl, low_r - yr  # vertical nipple to lowest contour point
    bra_px = math.hypot(abs(xs - xl) - abs(xs - xr), drop_l - drop_r)
    metrics = {
        "bra": bra_px / ((s_to_l + s_to_r) / 2),
        "unr": abs(drop_l - drop_r) / ((drop_l + drop_r) / 2),
        "lbc": abs(low_l - low_r) / ((drop_l + drop_r + fold_l + fold_r) / 2),
        "bce": abs(fold_l - fold_r) / ((fold_l + fold_r) / 2),
    }
    units = dict.fromkeys(metrics, "ratio")
    if scale_mm_per_px:
        metrics["bra_mm"] = bra_px * scale_mm_per_px
        units["bra_mm"] = "mm"
    warnings = [] if scale_mm_per_px else ["no scale given: bra_mm needs --scale-mm-per-px"]
    return Measurement(
        kind=Kind.BREAST,
        metrics=metrics,
        units=units,
        landmarks_source=source,
        method=f"{method}; {ALGORITHM_VERSION} (BCCT.core BRA, UNR, LBC, BCE)",
        validated=True,
        validation=VALIDATION,
        warnings=tuple(warnings),
        landmarks=landmarks.as_dict(),
    )
