"""Head shape from a photo taken from above: cephalic index and cranial vault asymmetry index.

From the head's outline: the front-back axis runs from the outline's centre towards the nose;
``cephalic_index`` = maximum width / maximum length x 100; ``cvai`` = (A - B) / B x 100 where A and
B are the longer and shorter diagonals through the centre at +/-30 degrees from the front-back axis
(Loveday and de Chalain 2001, dividing by the shorter diagonal). In a top view with the nose at the
top of the image, the patient's left is on the image's left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from revisio.measure.geometry import Array, as_array, chord_length, polygon_centroid
from revisio.measure.model import ALGORITHM_VERSION, Kind, LandmarksSource, Measurement, MeasurementError, Point

VALIDATION = (
    "Cephalic index and CVAI are standard plagiocephaly indices with published infant thresholds "
    "(CVAI 3.5%); they are not validated for adults after occipital augmentation"
)


class NoseDirection(StrEnum):
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"

    def vector(self) -> tuple[float, float]:
        return {"up": (0.0, -1.0), "down": (0.0, 1.0), "left": (-1.0, 0.0), "right": (1.0, 0.0)}[self.value]


@dataclass(frozen=True)
class HeadOutline:
    outline: Sequence[Point]
    nose: NoseDirection = NoseDirection.UP

    def as_dict(self) -> dict[str, object]:
        return {"outline": [[round(x, 2), round(y, 2)] for x, y in self.outline], "nose": self.nose.value}


def _rotated(vector: Array, degrees: float) -> Array:
    theta = np.radians(degrees)
    c, s = np.cos(theta), np.sin(theta)
    return np.array([c * vector[0] - s * vector[1], s * vector[0] + c * vector[1]])


def measure_head_top(
    head: HeadOutline,
    *,
    source: LandmarksSource,
    method: str = "manual outline",
    scale_mm_per_px: float | None = None,
) -> Measurement:
    outline = as_array(head.outline)
    if len(outline) < 8:
        raise MeasurementError("the head outline needs at least 8 points")
    centre = polygon_centroid(outline)
    axis: Array = np.asarray(head.nose.vector(), dtype=np.float64)
    across = np.array([-axis[1], axis[0]])
    along = (outline - centre) @ axis
    side = (outline - centre) @ across
    length, width = float(along.max() - along.min()), float(side.max() - side.min())
    # The front-left/back-right and front-right/back-left diagonals. With the nose up (axis = -y),
    # rotating the axis towards -x points front-left: the patient's left in a top view.
    front_left = chord_length(outline, centre, _rotated(axis, -30))
    front_right = chord_length(outline, centre, _rotated(axis, 30))
    longer, shorter = max(front_left, front_right), min(front_left, front_right)
    metrics = {
        "cephalic_index": width / length * 100,
        "cvai": (longer - shorter) / shorter * 100,
        "length_px": length,
        "width_px": width,
        "diagonal_front_left_px": front_left,
        "diagonal_front_right_px": front_right,
    }
    units = {"cephalic_index": "%", "cvai": "%", **{k: "px" for k in metrics if k.endswith("_px")}}
    if scale_mm_per_px:
        for name in ("length", "width", "diagonal_front_left", "diagonal_front_right"):
            metrics[f"{name}_mm"] = metrics[f"{name}_px"] * scale_mm_per_px
            units[f"{name}_mm"] = "mm"
    return Measurement(
        kind=Kind.HEAD_TOP,
        metrics=metrics,
        units=units,
        landmarks_source=source,
        method=f"{method}; {ALGORITHM_VERSION} (cephalic index; CVAI after Loveday, diagonals at +/-30 degrees)",
        validated=False,  # the indices are established for infants; Revisio's patients are adults
        validation=VALIDATION,
        warnings=("infant thresholds for CVAI and the cephalic index do not apply to adults",),
        landmarks=head.as_dict(),
    )
