"""Synthetic body photos for the demo and for tests: a drawn silhouette on a plain backdrop.

A back view of a standing figure whose hips can be made unequal, so an asymmetric result is
visible (and, later, measurable) without any photo of a real person.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter


@dataclass(frozen=True)
class Figure:
    """Where the drawn figure's body is: its outline and the four pose points, in image pixels."""

    outline: list[tuple[float, float]]
    shoulder_left: tuple[float, float]
    shoulder_right: tuple[float, float]
    hip_left: tuple[float, float]
    hip_right: tuple[float, float]

    def landmarks(self) -> dict[str, object]:
        """Manual body landmarks for ``revisio.landmarks.measure_photo`` (a back view)."""
        return {
            "outline": [list(p) for p in self.outline],
            "shoulder_left": list(self.shoulder_left),
            "shoulder_right": list(self.shoulder_right),
            "hip_left": list(self.hip_left),
            "hip_right": list(self.hip_right),
            "view": "back",
        }


def back_view_figure(
    *, width: int = 600, hip_left: float = 1.0, hip_right: float = 1.0, swelling: float = 0.0
) -> Figure:
    """The figure ``silhouette_back_view`` draws. Seen from behind, the figure's left is on the image's left."""
    cx = width / 2
    scale = width / 600
    neck, shoulder = 22 * scale, 150 * scale
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

    left, right = side(-1, hip_left), side(1, hip_right)
    return Figure(
        outline=left + list(reversed(right)),
        shoulder_left=(cx - shoulder + 30 * scale, y_shoulder),
        shoulder_right=(cx + shoulder - 30 * scale, y_shoulder),
        hip_left=(cx - 70 * scale, y_hip - 40 * scale),
        hip_right=(cx + 70 * scale, y_hip - 40 * scale),
    )


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
    """A JPEG of a standing figure seen from behind (see ``back_view_figure``).

    ``hip_left``/``hip_right`` scale each hip's outward curve (1.0 = symmetric); ``swelling``
    (0-1) widens the waist and hips evenly, as after fat transfer.
    """
    image = Image.new("RGB", (width, height), backdrop)
    draw = ImageDraw.Draw(image)
    scale = width / 600
    head_r = 48 * scale
    cx = width / 2
    draw.ellipse([cx - head_r, 40 * scale, cx + head_r, 40 * scale + 2 * head_r], fill=skin)
    figure = back_view_figure(width=width, hip_left=hip_left, hip_right=hip_right, swelling=swelling)
    draw.polygon(figure.outline, fill=skin)
    image = image.filter(ImageFilter.GaussianBlur(radius=1.2 * scale))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()
