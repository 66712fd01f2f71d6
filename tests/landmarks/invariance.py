"""Measured errors of automatic face landmarks on transformed copies of ``grace_hopper.jpg``.

The tests assert these against stated tolerances; running the module prints them for the docs:

    .venv/bin/python -m tests.landmarks.invariance
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from revisio.landmarks.face import find_face
from revisio.measure import IRIS_DIAMETER_MM, LandmarksSource, measure_face
from tests.landmarks import photos

# Copies whose metrics must equal the original's (after swapping sides for the mirror image).
TRANSFORMS: dict[str, Callable[[photos.RGB], photos.RGB]] = {
    "mirror": photos.mirrored,
    "scale 0.6": lambda rgb: photos.scaled(rgb, 0.6),
    "scale 1.5": lambda rgb: photos.scaled(rgb, 1.5),
    "shift (120 px left, 40 px top)": lambda rgb: photos.padded(rgb, left=120, top=40),
    "shift (90 px right, 60 px bottom)": lambda rgb: photos.padded(rgb, right=90, bottom=60),
    "tilt 20 degrees": lambda rgb: photos.rotated(rgb, 20),
    "tilt -20 degrees": lambda rgb: photos.rotated(rgb, -20),
}
BROW_LIFTS_PX = (6.0, 8.0, 10.0)


def face_metrics(rgb: photos.RGB) -> dict[str, float]:
    return dict(measure_face(find_face(rgb).landmarks, source=LandmarksSource.AUTO).metrics)


def transform_errors(name: str, original: dict[str, float] | None = None) -> dict[str, float]:
    """|metric(copy) - metric(original)| per metric (mm or ratio) for the named transform."""
    rgb = photos.grace()
    original = original or face_metrics(rgb)
    copy = face_metrics(TRANSFORMS[name](rgb))
    if name == "mirror":
        copy = photos.swap_sides(copy)
    return {metric: abs(copy[metric] - original[metric]) for metric in original}


@dataclass(frozen=True)
class BrowLift:
    expected_mm: float  # the lift at the pupil, times the photo's mm per pixel
    right_mm: float  # change of the lifted (patient's right) brow height
    left_mm: float  # change of the other brow height


def brow_lift(lift_px: float) -> BrowLift:
    rgb = photos.grace()
    face = find_face(rgb).landmarks
    before = measure_face(face, source=LandmarksSource.AUTO).metrics
    warped, expected_px = photos.lift_right_brow(rgb, face, lift_px)
    after = face_metrics(warped)
    mm_per_px = IRIS_DIAMETER_MM / face.iris_diameter_px
    return BrowLift(
        expected_mm=expected_px * mm_per_px,
        right_mm=after["brow_height_right_mm"] - before["brow_height_right_mm"],
        left_mm=after["brow_height_left_mm"] - before["brow_height_left_mm"],
    )


def main() -> None:
    original = face_metrics(photos.grace())
    for name in TRANSFORMS:
        errors = transform_errors(name, original)
        mm = {metric: error for metric, error in errors.items() if metric.endswith("_mm")}
        worst = max(mm, key=lambda metric: mm[metric])
        print(  # noqa: T201 - this module doubles as a report script
            f"{name:36} max |error| {mm[worst]:.2f} mm ({worst}), "
            f"asymmetry index {errors['asymmetry_index']:.4f}; " + ", ".join(f"{k} {v:.2f}" for k, v in mm.items())
        )
    for lift in BROW_LIFTS_PX:
        result = brow_lift(lift)
        print(  # noqa: T201
            f"brow lift {lift:4.1f} px: expected {result.expected_mm:.2f} mm, right (lifted) {result.right_mm:+.2f} mm "
            f"({result.right_mm / result.expected_mm:.0%}), left {result.left_mm:+.2f} mm "
            f"({result.left_mm / result.expected_mm:.0%})"
        )


if __name__ == "__main__":
    main()
