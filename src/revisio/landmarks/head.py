"""The outline of a head photographed from above, against a plain backdrop, by colour distance.

Method (OpenCV, no model):

1. The backdrop colour is the median CIE Lab colour of a thin strip along the image border
   (2 % of the short side, at least 2 px), so the head must not touch the border much.
2. Every pixel's Lab distance from that colour, lightly blurred (5x5 Gaussian) against JPEG noise,
   is split into head and backdrop with Otsu's threshold.
3. A morphological opening and closing remove specks and close gaps in the hair; the largest
   connected component is kept and its holes are filled.
4. Its outer contour (pixel centres, so about 0.5 px inside the true edge on every side) is
   simplified with Douglas-Peucker to at most ``MAX_POINTS`` points (typically 100-200).

Limits: the outline is the hair's, not the skull's. Bulky hair, a hair colour close to the
backdrop's (dark hair on a dark backdrop, grey hair on grey), strong shadows on the backdrop, a
hand or a busy background all move it. Ask for wet or flattened hair or a tight cap in a colour
that contrasts with a plain backdrop, with the camera straight above the head.
Left and right are the patient's own: they come from ``nose`` in ``revisio.measure.head``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from revisio.landmarks.errors import DetectionCode, DetectionError
from revisio.measure import HeadOutline, NoseDirection

MAX_POINTS = 200
#: Mean Lab distance (0-100 lightness scale) the head must stand out from the backdrop by.
MIN_CONTRAST = 12.0
#: Smallest share of the image the head may cover.
MIN_AREA_FRACTION = 0.02

_ADVICE = (
    "photograph the head from straight above against a plain backdrop of a different colour from the hair "
    "(or with a tight contrasting cap), the whole head inside the photo"
)


def head_mask(rgb: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """A boolean mask (True = head) of the largest region that differs from the border's colour."""
    import cv2

    height, width = rgb.shape[:2]
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    # OpenCV's 8-bit Lab stores L as 0-255; scale it back to 0-100 so the three axes weigh as in CIE Lab.
    lab[..., 0] *= 100 / 255
    strip = max(2, round(0.02 * min(height, width)))
    border = np.concatenate(
        [
            lab[:strip].reshape(-1, 3),
            lab[-strip:].reshape(-1, 3),
            lab[:, :strip].reshape(-1, 3),
            lab[:, -strip:].reshape(-1, 3),
        ]
    )
    backdrop = np.median(border, axis=0)
    distance = cv2.GaussianBlur(np.linalg.norm(lab - backdrop, axis=2), (5, 5), 0)
    scale = max(float(np.percentile(distance, 99.5)), 1e-6)
    scaled = np.clip(distance / scale * 255, 0, 255).astype(np.uint8)
    _, binary = cv2.threshold(scaled, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    foreground = binary > 0
    if not foreground.any() or foreground.all():
        raise DetectionError(DetectionCode.NO_HEAD_OUTLINE, f"no head stands out from the background: {_ADVICE}")
    contrast = float(distance[foreground].mean() - distance[~foreground].mean())
    if contrast < MIN_CONTRAST:
        raise DetectionError(
            DetectionCode.NO_HEAD_OUTLINE,
            f"the head is too close in colour to the background (contrast {contrast:.0f}): {_ADVICE}",
        )
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
    binary = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, kernel)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count < 2:
        raise DetectionError(DetectionCode.NO_HEAD_OUTLINE, f"no head found: {_ADVICE}")
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if stats[largest, cv2.CC_STAT_AREA] < MIN_AREA_FRACTION * height * width:
        raise DetectionError(DetectionCode.NO_HEAD_OUTLINE, f"the head is too small in the photo: {_ADVICE}")
    # Filling the outer contour fills every hole (a shiny patch of hair, a parting).
    component = (labels == largest).astype(np.uint8)
    contours, _ = cv2.findContours(component, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    filled = np.zeros_like(component)
    cv2.drawContours(filled, contours, -1, (1,), thickness=cv2.FILLED)
    mask: NDArray[np.bool_] = filled.astype(bool)
    return mask


def detect_head_outline(rgb: NDArray[np.uint8], nose: NoseDirection = NoseDirection.UP) -> HeadOutline:
    """The head's outline (image pixels) in a top-view photo; ``nose`` says where the nose points.

    Raises ``DetectionError`` ``no-head-outline`` when no region stands out clearly from the
    border's colour, the head is under 2 % of the image, or it runs off the photo.
    """
    import cv2

    mask = head_mask(rgb)
    edges_touched = sum(bool(edge.any()) for edge in (mask[0], mask[-1], mask[:, 0], mask[:, -1]))
    if edges_touched:
        raise DetectionError(DetectionCode.NO_HEAD_OUTLINE, f"the head runs off the edge of the photo: {_ADVICE}")
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    contour = max(contours, key=cv2.contourArea)
    epsilon = 0.25
    simplified = cv2.approxPolyDP(contour, epsilon, closed=True)
    while len(simplified) > MAX_POINTS:
        epsilon *= 1.5
        simplified = cv2.approxPolyDP(contour, epsilon, closed=True)
    points = [(float(x), float(y)) for x, y in simplified.reshape(-1, 2)]
    if len(points) < 8:
        raise DetectionError(DetectionCode.NO_HEAD_OUTLINE, f"the outline found is not a head: {_ADVICE}")
    return HeadOutline(outline=points, nose=nose)
