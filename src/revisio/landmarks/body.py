"""Shoulders, hips and silhouette of a standing person, from MediaPipe Pose and Selfie Segmentation.

Pose (``model_complexity=1``, the only bundled pose model) gives shoulders 11/12 and hips 23/24;
only the midpoints of each pair enter the measurement (they fix the body's midline). Which point is
the patient's left is decided by the view, not by MediaPipe's labels, which follow the image when
the person faces away: in a **front** view the patient's left is the point on the image's right, in
a **back** view the one on the image's left. The silhouette is Selfie Segmentation's mask (general
model) thresholded at 0.5.

Limits: the segmentation model was trained for people near the camera; loose clothes, arms against
the body, a busy background or a second person move the silhouette. Ask for fitted clothes, arms
slightly away from the body, a plain background, and the whole body in the photo.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from revisio.landmarks.errors import DetectionCode, DetectionError
from revisio.landmarks.models import Model, infer
from revisio.measure import BodyLandmarks, BodyView, Point

SHOULDERS = (11, 12)
HIPS = (23, 24)
#: MediaPipe's visibility score each of the four points needs (0-1).
MIN_VISIBILITY = 0.5
MASK_THRESHOLD = 0.5

_ADVICE = (
    "take a full-body photo of the patient standing straight, from the front or the back, arms slightly away "
    "from the body, against a plain background, with no one else in it"
)


def _no_body(reason: str) -> DetectionError:
    return DetectionError(DetectionCode.NO_BODY, f"{reason}: {_ADVICE}")


def _pair(points: list[Point], view: BodyView) -> tuple[Point, Point]:
    """(patient's left, patient's right) of two image points, from the view."""
    on_image_left, on_image_right = sorted(points, key=lambda p: p[0])
    return (on_image_right, on_image_left) if view is BodyView.FRONT else (on_image_left, on_image_right)


def silhouette(rgb: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """Selfie Segmentation's person mask at 0.5, as booleans of the image's size (True = person)."""
    mask = infer(Model.SELFIE_SEGMENTATION, rgb).segmentation_mask
    if mask is None:
        raise _no_body("no person found")
    result: NDArray[np.bool_] = np.asarray(mask) > MASK_THRESHOLD
    return result


def detect_body(rgb: NDArray[np.uint8], view: BodyView = BodyView.FRONT) -> BodyLandmarks:
    """Silhouette and shoulder/hip points (image pixels, patient's left and right per ``view``).

    Raises ``DetectionError`` ``no-body`` when no pose is found, when a shoulder or hip is not
    clearly visible (MediaPipe visibility under 0.5) or lies outside the photo.
    """
    result = infer(Model.POSE, rgb)
    if result.pose_landmarks is None:
        raise _no_body("no person found")
    height, width = rgb.shape[:2]
    landmarks = result.pose_landmarks.landmark
    points: dict[int, Point] = {}
    for index in (*SHOULDERS, *HIPS):
        point = landmarks[index]
        x, y = float(point.x * width), float(point.y * height)
        if point.visibility < MIN_VISIBILITY or not (0 <= x < width and 0 <= y < height):
            part = "shoulders" if index in SHOULDERS else "hips"
            raise _no_body(f"the {part} are not clearly visible")
        points[index] = (x, y)
    shoulder_left, shoulder_right = _pair([points[i] for i in SHOULDERS], view)
    hip_left, hip_right = _pair([points[i] for i in HIPS], view)
    mask = silhouette(rgb)
    if not mask.any():
        raise _no_body("no person found")
    return BodyLandmarks(
        silhouette=mask,
        shoulder_left=shoulder_left,
        shoulder_right=shoulder_right,
        hip_left=hip_left,
        hip_right=hip_right,
        view=view,
    )


def outline_of(silhouette: NDArray[np.bool_], *, max_points: int = 160) -> list[list[float]]:
    """The outer contour of the largest body region, simplified to at most ``max_points`` points.

    Stored with an automatic body measurement so a person can correct the silhouette by hand
    (``measure_photo`` with ``landmarks={"outline": ..., ...}``) instead of starting from nothing.
    """
    import cv2

    contours, _ = cv2.findContours(silhouette.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return []
    contour = max(contours, key=cv2.contourArea)
    tolerance = 0.5
    simplified = cv2.approxPolyDP(contour, tolerance, True)
    while len(simplified) > max_points:
        tolerance *= 1.5
        simplified = cv2.approxPolyDP(contour, tolerance, True)
    return [[float(x), float(y)] for x, y in simplified.reshape(-1, 2)]
