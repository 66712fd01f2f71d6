"""Inputs and outputs of ``revisio.measure``: named landmarks in image pixels, and measurements.

Coordinates are ``(x, y)`` image pixels with ``y`` pointing down. **Left and right always mean the
patient's own left and right**: in a frontal photo the patient's right is on the image's left.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Point = tuple[float, float]

#: Bumped whenever a formula or convention changes, so stored measurements say which one they used.
ALGORITHM_VERSION = "revisio.measure 1"


class Kind(StrEnum):
    FACE = "face"
    BREAST = "breast"
    HEAD_TOP = "head-top"
    BODY = "body"


class LandmarksSource(StrEnum):
    AUTO = "auto"  # found by a model
    MANUAL = "manual"  # placed or corrected by a person


class MeasurementError(ValueError):
    """The landmarks cannot give a measurement (degenerate, missing, or inconsistent)."""


@dataclass(frozen=True)
class Measurement:
    """Metrics of one photo, with how they were obtained and whether the method is validated."""

    kind: Kind
    metrics: Mapping[str, float]
    units: Mapping[str, str]
    landmarks_source: LandmarksSource
    method: str
    validated: bool
    validation: str
    warnings: tuple[str, ...] = ()
    landmarks: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``revisio measure --json``."""
        return {
            "kind": self.kind.value,
            "metrics": {name: round(value, 4) for name, value in self.metrics.items()},
            "units": dict(self.units),
            "landmarks_source": self.landmarks_source.value,
            "method": self.method,
            "validated": self.validated,
            "validation": self.validation,
            "warnings": list(self.warnings),
            "landmarks": dict(self.landmarks),
            "convention": "left and right are the patient's own; image y points down",
        }
