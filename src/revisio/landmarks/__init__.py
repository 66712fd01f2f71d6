"""Landmarks from photos: automatic (MediaPipe, OpenCV) or given by a person, then measured.

This package sits outside the pure core: it reads image files and runs models, then hands named
landmarks to ``revisio.measure``. MediaPipe and OpenCV are imported only when a detector first
runs, so importing this package is cheap. **Left and right are always the patient's own.**
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from revisio.landmarks.errors import DetectionCode, DetectionError
from revisio.landmarks.images import load_rgb
from revisio.landmarks.manual import parse_landmarks
from revisio.measure import (
    BodyLandmarks,
    BodyView,
    BreastLandmarks,
    FaceLandmarks,
    HeadOutline,
    Kind,
    LandmarksSource,
    Measurement,
    MeasurementError,
    NoseDirection,
    measure_body,
    measure_breast,
    measure_face,
    measure_head_top,
)

__all__ = ["DetectionCode", "DetectionError", "load_rgb", "measure_photo", "parse_landmarks"]

_BREAST_HELP = (
    "Revisio does not find breast landmarks automatically: mark the five points (sternal_notch, nipple_left, "
    "nipple_right, contour_lowest_left, contour_lowest_right; patient's left and right, image pixels) "
    "and give them as a JSON file with --landmarks"
)


def measure_photo(
    source: Path | bytes,
    kind: Kind | str,
    *,
    landmarks: Mapping[str, Any] | None = None,
    scale_mm_per_px: float | None = None,
    view: BodyView | str = BodyView.FRONT,
    nose: NoseDirection | str = NoseDirection.UP,
) -> Measurement:
    """Measure one photo: landmarks from ``landmarks`` (MANUAL) or found automatically (AUTO).

    ``source`` is a file path or the file's bytes (JPEG, PNG, WebP or HEIC, judged by content).
    ``scale_mm_per_px`` (mm per pixel) overrides the face's iris scale and gives the breast and
    head-top metrics millimetre versions; body metrics are fractions and ignore it. ``view``
    (body) and ``nose`` (head-top) apply when the landmarks do not say. Left and right in the
    result are the patient's own. Raises ``DetectionError`` for anything that cannot be measured,
    with a stable code and a message saying what to do.
    """
    kind = Kind(kind)
    view, nose = BodyView(view), NoseDirection(nose)
    if scale_mm_per_px is not None and not scale_mm_per_px > 0:
        raise ValueError(f"scale_mm_per_px must be a positive number of millimetres, not {scale_mm_per_px}")
    rgb = load_rgb(source)
    if landmarks is not None:
        height, width = rgb.shape[:2]
        parsed = parse_landmarks(kind, landmarks, size=(width, height), view=view, nose=nose)
        result = _measure(parsed, LandmarksSource.MANUAL, "manual landmarks", (), scale_mm_per_px)
        if kind is Kind.BODY:  # the silhouette was given as a polygon: keep it with the points
            outline = landmarks.get("landmarks", landmarks)["outline"]
            result = dataclasses.replace(result, landmarks={**result.landmarks, "outline": outline})
        return result
    if kind is Kind.FACE:
        from revisio.landmarks import face

        found = face.find_face(rgb)
        return _measure(found.landmarks, LandmarksSource.AUTO, face_method(), found.warnings, scale_mm_per_px)
    if kind is Kind.BODY:
        from revisio.landmarks import body

        found = body.detect_body(rgb, view)
        result = _measure(found, LandmarksSource.AUTO, body_method(), (), scale_mm_per_px)
        # Keep the silhouette as a polygon with the points, so it can be corrected by hand.
        return dataclasses.replace(result, landmarks={**result.landmarks, "outline": body.outline_of(found.silhouette)})
    if kind is Kind.HEAD_TOP:
        from revisio.landmarks import head

        outline = head.detect_head_outline(rgb, nose)
        return _measure(outline, LandmarksSource.AUTO, head_method(), (), scale_mm_per_px)
    raise DetectionError(DetectionCode.NEEDS_LANDMARKS, _BREAST_HELP)


def face_method() -> str:
    from revisio.landmarks.models import mediapipe_version

    return f"mediapipe {mediapipe_version()} Face Mesh (refined iris)"


def body_method() -> str:
    from revisio.landmarks.models import mediapipe_version

    return f"mediapipe {mediapipe_version()} Pose (full) + Selfie Segmentation (general, mask > 0.5)"


def head_method() -> str:
    import cv2

    return f"OpenCV {cv2.__version__} outline: Lab distance from the border colour, Otsu threshold"


def _measure(
    landmarks: FaceLandmarks | BreastLandmarks | HeadOutline | BodyLandmarks,
    source: LandmarksSource,
    method: str,
    warnings: tuple[str, ...],
    scale_mm_per_px: float | None,
) -> Measurement:
    try:
        if isinstance(landmarks, FaceLandmarks):
            result = measure_face(landmarks, source=source, method=method, scale_mm_per_px=scale_mm_per_px)
        elif isinstance(landmarks, BreastLandmarks):
            result = measure_breast(landmarks, source=source, method=method, scale_mm_per_px=scale_mm_per_px)
        elif isinstance(landmarks, HeadOutline):
            result = measure_head_top(landmarks, source=source, method=method, scale_mm_per_px=scale_mm_per_px)
        else:
            result = measure_body(landmarks, source=source, method=method)
            if scale_mm_per_px:
                warnings = (*warnings, "the scale was not used: body metrics are fractions of the hip width")
    except MeasurementError as error:
        code = DetectionCode.BAD_LANDMARKS if source is LandmarksSource.MANUAL else DetectionCode.CANNOT_MEASURE
        raise DetectionError(code, f"cannot measure: {error}") from None
    return dataclasses.replace(result, warnings=(*warnings, *result.warnings)) if warnings else result
