"""Synthetic body photos for the demo and for tests: a drawn silhouette on a plain backdrop.

A back view of a standing figure whose hips can be made unequal, so an asymmetric result is
visible (and, later, measurable) without any photo of a real person.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter


def silhouette_back_view(
    *,
    width: int = 600,
    height: int = 800,
    hip_left: float = 1.0,
    hip_right: float = 1.0,
    swelling: float = 0.0,
    backdrop: tuple[int, int, int] = (232, 236, 241),
    skin: tuple[int, int, int] = (196, 150, 126),
) -> bytes:
    """A JPEG of a standing figure seen from behind.

    Left and right are the figure's own (seen from behind, its left is on the image's left).
    ``hip_left``/``hip_right`` scale each hip's outward curve (1.0 = symmetric); ``swelling``
    (0-1) widens the waist and hips evenly, as after fat transfer.
    """
    image = Image.new("RGB", (width, height), backdrop)
    draw = ImageDraw.Draw(image)
    cx = width / 2
    scale = width / 600
    head_r = 48 * scale
    draw.ellipse([cx - head_r, 40 * scale, cx + head_r, 40 * scale + 2 * head_r], fill=skin)
    neck = 22 * scale
    shoulder = 150 * scale
    waist = (78 + 18 * swelling) * scale
    hip = (130 + 20 * swelling) * scale
    y_neck, y_shoulder, y_waist, y_hip, y_thigh, y_feet = (v * scale for v in (130, 175, 380, 500, 600, 780))

    def side(sign: int, hip_factor: float) -> list[tuple[float, float]]:
        return [
            (cx + sign * neck, y_neck),
            (cx + sign * shoulder, y_shoulder),
            (cx + sign * (shoulder - 18 * scale), y_waist - 120 * scale),
            (cx + sign * waist, y_waist),
            (cx + sign * hip * hip_factor, y_hip),
            (cx + sign * (hip * hip_factor - 12 * scale), y_thigh),
            (cx + sign * 60 * scale, y_feet),
            (cx + sign * 12 * scale, y_feet),
            (cx + sign * 8 * scale, y_thigh + 20 * scale),
        ]

    # The figure's left (sign -1 on the image, as seen from behind) and right.
    left, right = side(-1, hip_left), side(1, hip_right)
    draw.polygon(left + list(reversed(right)), fill=skin)
    image = image.filter(ImageFilter.GaussianBlur(radius=1.2 * scale))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()
