"""Objective measurement from photos: pure numpy metrics from landmarks and outlines.

No Django and no model: landmarks come from ``revisio.landmarks`` (automatic) or from a person
(manual); the formulas here turn them into metrics. Left and right are always the patient's own.
"""

from revisio.measure.body import BodyLandmarks, BodyView, measure_body
from revisio.measure.breast import BreastLandmarks, measure_breast
from revisio.measure.face import IRIS_DIAMETER_MM, FaceLandmarks, measure_face
from revisio.measure.head import HeadOutline, NoseDirection, measure_head_top
from revisio.measure.model import ALGORITHM_VERSION, Kind, LandmarksSource, Measurement, MeasurementError, Point

__all__ = [
    "ALGORITHM_VERSION",
    "IRIS_DIAMETER_MM",
    "BodyLandmarks",
    "BodyView",
    "BreastLandmarks",
    "FaceLandmarks",
    "HeadOutline",
    "Kind",
    "LandmarksSource",
    "Measurement",
    "MeasurementError",
    "NoseDirection",
    "Point",
    "measure_body",
    "measure_breast",
    "measure_face",
    "measure_head_top",
]
