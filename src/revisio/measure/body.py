"""Waist and hip widths on each side of the body's midline, from a standing front or back photo.

NOT VALIDATED: no validated 2D hip or buttock symmetry index exists (research notes, section 2.5);
this is Revisio's own measure, to track one patient's change over time with photos taken the same
way, not to compare people.

The midline runs through the midpoints of the shoulders and of the hips. The image is turned so the
midline is vertical; along it, the **hip row** is where the torso is widest in the band around the
hip points and the **waist row** where it is narrowest between shoulders and hips. On each row the
torso is the run of silhouette pixels that contains the midline (so arms held away are left out).
Widths are fractions of the total hip width. **Left and right are the patient's own**: in a front
view the patient's left is on the image's right, in a back view on the image's left.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from revisio.measure.model import ALGORITHM_VERSION, Kind, LandmarksSource, Measurement, MeasurementError, Point

VALIDATION = (
    "Revisio's own index, for following one person over time with comparable photos; "
    "no validated 2D hip symmetry index exists"
)
# Bands along the midline, as fractions of the shoulder-to-hip distance (0 = shoulders, 1 = hips).
WAIST_BAND = (0.35, 0.9)
HIP_BAND = (0.8, 1.45)


class BodyView(StrEnum):
    FRONT = "front"
    BACK = "back"


@dataclass(frozen=True)
class BodyLandmarks:
    """A boolean silhouette (rows x columns, True = body) and the four pose points in pixels."""

    silhouette: NDArray[np.bool_]
    shoulder_left: Point
    shoulder_right: Point
    hip_left: Point
    hip_right: Point
    view: BodyView = BodyView.FRONT

    def points(self) -> dict[str, list[float]]:
        names = ("shoulder_left", "shoulder_right", "hip_left", "hip_right")
        return {name: [round(v, 2) for v in getattr(self, name)] for name in names}


def _torso_run(row: NDArray[np.bool_], centre: int) -> tuple[int, int] | None:
    """The first and last column of the run of body pixels containing ``centre`` (inclusive)."""
    if not (0 <= centre < len(row)) or not row[centre]:
        return None
    outside = np.flatnonzero(~row)
    before, after = outside[outside < centre], outside[outside > centre]
    first = int(before[-1]) + 1 if len(before) else 0
    last = int(after[0]) - 1 if len(after) else len(row) - 1
    return first, last


def _upright(mask: NDArray[np.bool_], landmarks: BodyLandmarks) -> tuple[NDArray[np.bool_], float, float, float]:
    """The silhouette turned so the midline is vertical, with the midline column and the rows of
    the shoulder and hip midpoints. Turns by whole pixels only (nearest neighbour) to keep edges."""
    shoulders = (np.asarray(landmarks.shoulder_left) + np.asarray(landmarks.shoulder_right)) / 2
    hips = (np.asarray(landmarks.hip_left) + np.asarray(landmarks.hip_right)) / 2
    direction = hips - shoulders
    if direction[1] <= 0:
        raise MeasurementError("the hips must be below the shoulders: use a standing photo")
    angle = np.arctan2(direction[0], direction[1])  # 0 when the midline is already vertical
    height, width = mask.shape
    if abs(angle) < 1e-3:
        return mask, float(shoulders[0]), float(shoulders[1]), float(hips[1])
    # Sample the upright image: each output pixel (x, y) comes from rotating it back about the shoulders.
    c, s = np.cos(angle), np.sin(angle)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    dx, dy = xs - shoulders[0], ys - shoulders[1]
    src_x = np.rint(shoulders[0] + c * dx + s * dy).astype(int)
    src_y = np.rint(shoulders[1] - s * dx + c * dy).astype(int)
    inside = (src_x >= 0) & (src_x < width) & (src_y >= 0) & (src_y < height)
    upright = np.zeros_like(mask)
    upright[inside] = mask[src_y[inside], src_x[inside]]
    span = float(np.linalg.norm(direction))
    return upright, float(shoulders[0]), float(shoulders[1]), float(shoulders[1] + span)


def measure_body(
    landmarks: BodyLandmarks,
    *,
    source: LandmarksSource,
    method: str = "manual landmarks",
) -> Measurement:
    mask = np.asarray(landmarks.silhouette, dtype=bool)
    if mask.ndim != 2 or not mask.any():
        raise MeasurementError("the silhouette is empty")
    upright, midline_x, top, bottom = _upright(mask, landmarks)
    centre = round(midline_x)
    span = bottom - top

    def widths(band: tuple[float, float]) -> list[tuple[int, int, int]]:
        rows = range(max(0, int(top + band[0] * span)), min(upright.shape[0], int(top + band[1] * span) + 1))
        found = []
        for row in rows:
            run = _torso_run(upright[row], centre)
            if run is not None:
                found.append((row, *run))
        if not found:
            raise MeasurementError("the silhouette does not cover the midline between shoulders and hips")
        return found

    hip_rows = widths(HIP_BAND)
    hip_row, hip_first, hip_last = max(hip_rows, key=lambda r: r[2] - r[1])
    waist_row, waist_first, waist_last = min(widths(WAIST_BAND), key=lambda r: r[2] - r[1])
    # Half-widths on the image's left and right of the midline (pixel edges: +0.5 on each side).
    hip_image_left, hip_image_right = midline_x - (hip_first - 0.5), (hip_last + 0.5) - midline_x
    waist_image_left, waist_image_right = midline_x - (waist_first - 0.5), (waist_last + 0.5) - midline_x
    if landmarks.view is BodyView.FRONT:  # the patient's left is on the image's right
        hip_l, hip_r, waist_l, waist_r = hip_image_right, hip_image_left, waist_image_right, waist_image_left
    else:
        hip_l, hip_r, waist_l, waist_r = hip_image_left, hip_image_right, waist_image_left, waist_image_right
    total = hip_l + hip_r
    metrics = {
        "waist_width_left": waist_l / total,
        "waist_width_right": waist_r / total,
        "hip_width_left": hip_l / total,
        "hip_width_right": hip_r / total,
        "hip_asymmetry_index": abs(hip_l - hip_r) / total,
        "hip_width_px": total,
    }
    units = {**dict.fromkeys(metrics, "fraction of hip width"), "hip_asymmetry_index": "ratio", "hip_width_px": "px"}
    warnings = [
        "NOT VALIDATED: no validated 2D hip symmetry index exists; compare only your own photos taken the same way"
    ]
    if hip_row in (hip_rows[0][0], hip_rows[-1][0]):
        warnings.append("the widest row is at the edge of the hip band: check the hip points")
    return Measurement(
        kind=Kind.BODY,
        metrics=metrics,
        units=units,
        landmarks_source=source,
        method=f"{method}; {ALGORITHM_VERSION} (torso widths from the shoulder-hip midline)",
        validated=False,
        validation=VALIDATION,
        warnings=tuple(warnings),
        landmarks={**landmarks.points(), "view": landmarks.view.value, "waist_row": waist_row, "hip_row": hip_row},
    )
