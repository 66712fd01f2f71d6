"""Facial symmetry from a frontal photo, after Emotrics (Guarin et al., JAMA Facial Plast Surg 2018).

The face is rotated so the line between the pupils is horizontal; the facial midline is the
perpendicular through the pupils' midpoint; pixels become millimetres through the iris diameter,
taken as 11.77 mm. **Left and right are the patient's own** (in a frontal, non-mirrored photo the
patient's left is on the image's right); signed deviations are positive towards the patient's left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from revisio.measure.geometry import Array, as_array, rotate, rotation_to_horizontal, value_at_x
from revisio.measure.model import ALGORITHM_VERSION, Kind, LandmarksSource, Measurement, MeasurementError, Point

IRIS_DIAMETER_MM = 11.77
VALIDATION = (
    "Emotrics-style metrics, validated for facial palsy with manually checked landmarks; "
    "automatic landmarks here come from MediaPipe Face Mesh and should be checked by eye"
)


@dataclass(frozen=True)
class FaceLandmarks:
    """Named facial landmarks in image pixels (patient's left and right).

    Brows and lids are polylines (any order); ``pairs`` are further mirrored points
    ``(patient's left, patient's right)`` that enter the asymmetry index.
    """

    pupil_left: Point
    pupil_right: Point
    iris_diameter_px: float
    brow_left: Sequence[Point]
    brow_right: Sequence[Point]
    upper_lid_left: Sequence[Point]
    upper_lid_right: Sequence[Point]
    lower_lid_left: Sequence[Point]
    lower_lid_right: Sequence[Point]
    mouth_corner_left: Point
    mouth_corner_right: Point
    nasal_tip: Point
    chin: Point
    pairs: Sequence[tuple[Point, Point]] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, object]:
        def points(values: Sequence[Point]) -> list[list[float]]:
            return [[round(x, 2), round(y, 2)] for x, y in values]

        def point(value: Point) -> list[float]:
            return [round(value[0], 2), round(value[1], 2)]

        return {
            "pupil_left": point(self.pupil_left),
            "pupil_right": point(self.pupil_right),
            "iris_diameter_px": round(self.iris_diameter_px, 3),
            "brow_left": points(self.brow_left),
            "brow_right": points(self.brow_right),
            "upper_lid_left": points(self.upper_lid_left),
            "upper_lid_right": points(self.upper_lid_right),
            "lower_lid_left": points(self.lower_lid_left),
            "lower_lid_right": points(self.lower_lid_right),
            "mouth_corner_left": point(self.mouth_corner_left),
            "mouth_corner_right": point(self.mouth_corner_right),
            "nasal_tip": point(self.nasal_tip),
            "chin": point(self.chin),
            "pairs": [[point(a), point(b)] for a, b in self.pairs],
        }


def measure_face(
    landmarks: FaceLandmarks,
    *,
    source: LandmarksSource,
    method: str = "manual landmarks",
    scale_mm_per_px: float | None = None,
) -> Measurement:
    """Brow, eyelid and mouth-corner heights per side (mm), nasal-tip and chin deviation (mm,
    positive towards the patient's left) and an asymmetry index (0 = perfectly symmetric).

    The scale is 11.77 mm over the iris diameter unless ``scale_mm_per_px`` is given.
    """
    if landmarks.iris_diameter_px <= 0:
        raise MeasurementError("the iris diameter must be positive")
    mm = scale_mm_per_px if scale_mm_per_px else IRIS_DIAMETER_MM / landmarks.iris_diameter_px
    matrix, centre = rotation_to_horizontal(landmarks.pupil_left, landmarks.pupil_right)

    def level(points: Sequence[Point]) -> Array:
        return rotate(as_array(points), matrix, centre)

    pupil_left, pupil_right = level([landmarks.pupil_left])[0], level([landmarks.pupil_right])[0]
    midline_x = float(pupil_left[0] + pupil_right[0]) / 2
    pupil_y = float(pupil_left[1] + pupil_right[1]) / 2  # equal after levelling
    # +1 when the patient's left is on the image's right (a normal photo), -1 for a mirrored one.
    towards_left = 1.0 if pupil_left[0] >= pupil_right[0] else -1.0
    interpupil = float(abs(pupil_left[0] - pupil_right[0]))
    if interpupil < 1e-6:
        raise MeasurementError("the pupils are at the same place")

    def brow_height(brow: Sequence[Point], pupil: Array) -> float:
        return float(pupil[1] - value_at_x(level(brow), float(pupil[0]))) * mm

    def fissure(upper: Sequence[Point], lower: Sequence[Point], pupil: Array) -> float:
        x = float(pupil[0])
        return (value_at_x(level(lower), x) - value_at_x(level(upper), x)) * mm

    corner_left, corner_right = level([landmarks.mouth_corner_left])[0], level([landmarks.mouth_corner_right])[0]
    tip, chin = level([landmarks.nasal_tip])[0], level([landmarks.chin])[0]
    metrics = {
        "brow_height_left_mm": brow_height(landmarks.brow_left, pupil_left),
        "brow_height_right_mm": brow_height(landmarks.brow_right, pupil_right),
        "palpebral_fissure_height_left_mm": fissure(landmarks.upper_lid_left, landmarks.lower_lid_left, pupil_left),
        "palpebral_fissure_height_right_mm": fissure(landmarks.upper_lid_right, landmarks.lower_lid_right, pupil_right),
        "commissure_height_left_mm": float(corner_left[1] - pupil_y) * mm,
        "commissure_height_right_mm": float(corner_right[1] - pupil_y) * mm,
        "nasal_tip_deviation_mm": float(tip[0] - midline_x) * towards_left * mm,
        "chin_deviation_mm": float(chin[0] - midline_x) * towards_left * mm,
        "asymmetry_index": _asymmetry_index(landmarks, level, midline_x, interpupil),
    }
    units = {name: ("mm" if name.endswith("_mm") else "ratio") for name in metrics}
    warnings = []
    if landmarks.iris_diameter_px < 10:
        warnings.append("the iris is under 10 pixels wide: millimetre values are coarse; use a closer photo")
    return Measurement(
        kind=Kind.FACE,
        metrics=metrics,
        units=units,
        landmarks_source=source,
        method=f"{method}; {ALGORITHM_VERSION} (Emotrics-style, iris diameter 11.77 mm)",
        validated=True,
        validation=VALIDATION,
        warnings=tuple(warnings),
        landmarks=landmarks.as_dict(),
    )


def _asymmetry_index(
    landmarks: FaceLandmarks, level: Callable[[Sequence[Point]], Array], midline_x: float, interpupil: float
) -> float:
    """Mean distance between each left landmark and its right partner reflected about the midline,
    over the inter-pupil distance."""
    pairs = [
        (landmarks.mouth_corner_left, landmarks.mouth_corner_right),
        *_polyline_pairs(landmarks.brow_left, landmarks.brow_right),
        *_polyline_pairs(landmarks.upper_lid_left, landmarks.upper_lid_right),
        *_polyline_pairs(landmarks.lower_lid_left, landmarks.lower_lid_right),
        *landmarks.pairs,
    ]
    lefts = level([p[0] for p in pairs])
    rights = level([p[1] for p in pairs])
    mirrored = rights.copy()
    mirrored[:, 0] = 2 * midline_x - mirrored[:, 0]
    return float(np.linalg.norm(lefts - mirrored, axis=1).mean() / interpupil)


def _polyline_pairs(left: Sequence[Point], right: Sequence[Point]) -> list[tuple[Point, Point]]:
    """Pair the inner and outer ends of two mirrored polylines (inner = nearer the midline)."""
    if not left or not right:
        return []
    lx = sorted(left, key=lambda p: p[0])
    rx = sorted(right, key=lambda p: p[0])
    # In a normal photo the left polyline lies right of the right one: its inner end has the smaller x.
    if lx[0][0] >= rx[-1][0]:
        return [(lx[0], rx[-1]), (lx[-1], rx[0])]
    return [(lx[-1], rx[0]), (lx[0], rx[-1])]
