"""The MediaPipe models, each created once per process and reused.

Creating a Face Mesh graph costs about four inferences (18 ms against 4.7 ms, research notes), so
every model is built on first use and kept for the life of the process; batch workers build theirs
in their pool initializer. ``mediapipe`` itself is imported only then, so ``import revisio.landmarks``
stays cheap. Only models bundled in the mediapipe 0.10.21 wheel are used: nothing is ever
downloaded (pose ``model_complexity=1`` is the only bundled pose model; 0 and 2 would download).

MediaPipe's C++ side writes INFO/WARNING lines straight to file descriptor 2 when a graph is built
and on its first detection, whatever ``GLOG_minloglevel`` says for some of them. A command that must
print one clean line on bad input cannot have that, so those two moments run with descriptor 2
pointed at ``/dev/null``; any other thread's stderr output in that window (a few tens of
milliseconds, once per model and process) is lost too.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import os
import sys
import threading
from collections.abc import Iterator
from enum import StrEnum
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray


class Model(StrEnum):
    FACE_MESH = "face-mesh"
    POSE = "pose"
    SELFIE_SEGMENTATION = "selfie-segmentation"
    FACE_DETECTION = "face-detection"


class _Slot:
    """One model, its lock (MediaPipe graphs are not safe to call from two threads at once), and
    whether it has found something yet: the landmark stages log on their first real detection, so
    inferences stay silenced until one has."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.model: Any = None
        self.warmed = False


_SLOTS = {model: _Slot() for model in Model}


@functools.cache
def mediapipe_version() -> str:
    """The installed mediapipe version, read once from package metadata (without importing it)."""
    return importlib.metadata.version("mediapipe")


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def _import_mediapipe() -> ModuleType:
    # Read by glog and TensorFlow Lite when they initialise, so they must be set before the import.
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import mediapipe  # type: ignore[import-untyped]

    module: ModuleType = mediapipe
    return module


def _create(model: Model) -> Any:
    solutions = _import_mediapipe().solutions
    if model is Model.FACE_MESH:
        # Two faces at most: enough to tell "one face" from "several faces" without searching further.
        return solutions.face_mesh.FaceMesh(static_image_mode=True, refine_landmarks=True, max_num_faces=2)
    if model is Model.POSE:
        return solutions.pose.Pose(static_image_mode=True, model_complexity=1)
    if model is Model.FACE_DETECTION:
        # 1 = the full-range model (faces up to about 5 m away), bundled in the wheel: a face in the corner
        # of a body photo must be found too. A low threshold errs towards blurring too much.
        return solutions.face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.3)
    # 0 = the general (square, 256x256) model, which suits portrait-format full-body photos.
    return solutions.selfie_segmentation.SelfieSegmentation(model_selection=0)


def load(model: Model) -> None:
    """Create ``model`` in this process if it does not exist yet (thread-safe, idempotent)."""
    slot = _SLOTS[model]
    with slot.lock:
        if slot.model is None:
            with _stderr_silenced():
                slot.model = _create(model)
                # The graph's calculators open on its own threads after the constructor returns and
                # log as they do; one inference waits until they all have, inside the silence.
                slot.model.process(np.zeros((64, 64, 3), dtype=np.uint8))


def infer(model: Model, rgb: NDArray[np.uint8]) -> Any:
    """Run ``model`` on an ``(height, width, 3)`` uint8 RGB array and return MediaPipe's result object."""
    load(model)
    slot = _SLOTS[model]
    with slot.lock:
        if slot.warmed:
            return slot.model.process(rgb)
        with _stderr_silenced():
            result = slot.model.process(rgb)
        slot.warmed = any(
            getattr(result, name, None) is not None
            for name in ("multi_face_landmarks", "pose_landmarks", "segmentation_mask", "detections")
        )
        return result


def bare_inference(kind: str, rgb: NDArray[np.uint8]) -> list[Any]:
    """Only the model, as many times as ``measure_photo`` runs it for ``kind`` ("face" or "body"),
    on an already-decoded image: the baseline the benchmark compares the whole pipeline against.

    A face takes four Face Mesh passes (``revisio.landmarks.face``): the photo, its mirror image and
    two chimeric faces. The chimeras need the first passes' landmarks, so here the photo and its
    mirror image stand in for them (same size within a few columns, same cost). A body takes Pose
    and Selfie Segmentation.
    """
    if kind == "face":
        import cv2

        mirrored = np.asarray(cv2.flip(rgb, 1), dtype=np.uint8)
        return [infer(Model.FACE_MESH, image) for image in (rgb, mirrored, rgb, mirrored)]
    if kind == "body":
        return [infer(Model.POSE, rgb), infer(Model.SELFIE_SEGMENTATION, rgb)]
    raise ValueError(f"no model runs for {kind!r}: only 'face' and 'body' use one")
