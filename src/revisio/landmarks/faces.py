"""Faces found and blurred, for photos shown through a de-identified share.

MediaPipe's full-range face detector (bundled in the wheel) finds each face's box; the box, widened by
half on every side to take in hair, ears and chin, is pixelated and then blurred so that neither the
features nor their outline survive. When the detector is not installed or fails, the whole photo is
blurred: a de-identified view must never show a face because a model was missing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from revisio.landmarks.models import Model, infer

#: How far each found box is widened on every side, as a share of its width and height.
MARGIN = 0.5
#: Pixelation block, as a share of the face box's longer side.
BLOCK = 0.08


@dataclass(frozen=True)
class Box:
    """A face box in pixels: left, top, right, bottom."""

    left: int
    top: int
    right: int
    bottom: int


def face_boxes(image: Image.Image) -> list[Box]:
    """Boxes around every face the detector finds in ``image`` (RGB), widened by ``MARGIN``."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    height, width = rgb.shape[:2]
    result = infer(Model.FACE_DETECTION, rgb)
    boxes = []
    for detection in result.detections or []:
        relative = detection.location_data.relative_bounding_box
        left, top = relative.xmin * width, relative.ymin * height
        box_w, box_h = relative.width * width, relative.height * height
        boxes.append(
            Box(
                left=max(0, int(left - MARGIN * box_w)),
                top=max(0, int(top - MARGIN * box_h)),
                right=min(width, int(left + box_w * (1 + MARGIN))),
                bottom=min(height, int(top + box_h * (1 + MARGIN))),
            )
        )
    return [box for box in boxes if box.right > box.left and box.bottom > box.top]


def _obscure(region: Image.Image) -> Image.Image:
    side = max(region.size)
    block = max(4, int(side * BLOCK))
    small = region.resize((max(1, region.width // block), max(1, region.height // block)), Image.Resampling.BILINEAR)
    return small.resize(region.size, Image.Resampling.NEAREST).filter(ImageFilter.GaussianBlur(block))


def blurred_faces(image: Image.Image) -> tuple[Image.Image, int]:
    """A copy of ``image`` with every detected face obscured, and how many were; if detection is not
    possible here, the whole image obscured and -1."""
    rgb = image.convert("RGB")
    try:
        boxes = face_boxes(rgb)
    except Exception:  # no mediapipe, or the model failed: fail closed
        return _obscure(rgb), -1
    for box in boxes:
        region = rgb.crop((box.left, box.top, box.right, box.bottom))
        rgb.paste(_obscure(region), (box.left, box.top))
    return rgb, len(boxes)


def blurred_jpeg(data: bytes, *, max_side: int | None = None) -> bytes:
    """JPEG bytes of the stored photo ``data`` with faces obscured (and scaled to ``max_side`` if given)."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        image = opened.convert("RGB")
    obscured, _ = blurred_faces(image)
    if max_side is not None:
        obscured.thumbnail((max_side, max_side))
    out = io.BytesIO()
    obscured.save(out, format="JPEG", quality=85)
    return out.getvalue()
