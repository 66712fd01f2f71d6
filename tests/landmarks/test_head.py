"""Head outlines found on synthetic top views, against the metrics of the exact drawn polygon.

Tolerance: cephalic index and CVAI within 1 index point of the drawn polygon's (measured, over the
16 shapes and backdrops below: at most 0.12 for the cephalic index and 0.30 for CVAI).
"""

from __future__ import annotations

import numpy as np
import pytest

from revisio.landmarks import DetectionCode, DetectionError, measure_photo
from revisio.landmarks.head import detect_head_outline
from revisio.measure import HeadOutline, LandmarksSource, NoseDirection, Point, measure_head_top
from tests.landmarks import photos

CENTRE = (320.0, 280.0)
BACKDROPS = {
    "light grey, dark hair": ((232, 232, 228), (45, 35, 30)),
    "blue, brown hair": ((40, 90, 200), (120, 80, 50)),
    "white, blond hair": ((250, 250, 250), (200, 165, 105)),
    "black, grey hair": ((15, 15, 15), (150, 150, 145)),
}
SHAPES = {
    "round-ish ellipse": photos.ellipse_outline(CENTRE, 120, 150),
    "long ellipse": photos.ellipse_outline(CENTRE, 95, 160),
    "sheared (parallelogram)": photos.sheared_outline(CENTRE, 115, 150, 0.15),
    "flattened back corner": photos.flattened_corner_outline(CENTRE, 120, 150, flattening=0.12),
}


def metrics(outline: list[Point], nose: NoseDirection = NoseDirection.UP) -> dict[str, float]:
    return dict(measure_head_top(HeadOutline(outline, nose), source=LandmarksSource.MANUAL).metrics)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("colours", BACKDROPS)
def test_detected_indices_match_the_drawn_shape(shape: str, colours: str) -> None:
    backdrop, hair = BACKDROPS[colours]
    drawn = SHAPES[shape]
    found = detect_head_outline(photos.head_photo(drawn, backdrop=backdrop, hair=hair), NoseDirection.UP)
    assert 50 <= len(found.outline) <= 200
    exact, detected = metrics(drawn), metrics(list(found.outline))
    assert detected["cephalic_index"] == pytest.approx(exact["cephalic_index"], abs=1.0)
    assert detected["cvai"] == pytest.approx(exact["cvai"], abs=1.0)


def test_flattened_corner_is_asymmetric_and_on_the_patients_right() -> None:
    drawn = SHAPES["flattened back corner"]
    exact = metrics(drawn)
    assert exact["cvai"] > 3.5  # past the published infant threshold, so the test is not about noise
    found = detect_head_outline(photos.head_photo(drawn, backdrop=(232, 232, 228), hair=(45, 35, 30)))
    detected = metrics(list(found.outline))
    # Nose up, seen from above: the image's lower right is the patient's back right, which is
    # flattened, so the front-right/back-left diagonal is the longer one.
    assert detected["diagonal_front_right_px"] > detected["diagonal_front_left_px"]


def test_nose_direction_turns_the_axes() -> None:
    drawn = photos.ellipse_outline(CENTRE, 120, 150)
    rgb = photos.head_photo(drawn, backdrop=(232, 232, 228), hair=(45, 35, 30))
    sideways = np.ascontiguousarray(np.rot90(rgb))  # the nose now points to the image's left
    found = detect_head_outline(sideways, NoseDirection.LEFT)
    assert metrics(list(found.outline), NoseDirection.LEFT)["cephalic_index"] == pytest.approx(80, abs=1.0)


def test_measure_photo_head_top_from_png_bytes() -> None:
    drawn = SHAPES["sheared (parallelogram)"]
    data = photos.encoded(photos.head_photo(drawn, backdrop=(40, 90, 200), hair=(120, 80, 50)), "PNG")
    measurement = measure_photo(data, "head-top", nose="up", scale_mm_per_px=0.5)
    assert measurement.method.startswith("OpenCV ")
    assert measurement.metrics["cvai"] == pytest.approx(metrics(drawn)["cvai"], abs=1.0)
    assert measurement.metrics["length_mm"] == pytest.approx(measurement.metrics["length_px"] * 0.5)


@pytest.mark.parametrize(
    ("rgb", "reason"),
    [
        (np.full((300, 300, 3), 200, dtype=np.uint8), "stands out"),
        (
            photos.head_photo(
                photos.ellipse_outline((320, 280), 200, 300), backdrop=(232, 232, 228), hair=(45, 35, 30)
            ),
            "runs off the edge",
        ),
        (
            photos.head_photo(photos.ellipse_outline((320, 280), 120, 150), backdrop=(120, 90, 70), hair=(118, 92, 70)),
            "too close in colour",
        ),
    ],
    ids=["blank", "cut off", "hair like backdrop"],
)
def test_no_head_outline(rgb: photos.RGB, reason: str) -> None:
    with pytest.raises(DetectionError) as raised:
        detect_head_outline(rgb)
    assert raised.value.code is DetectionCode.NO_HEAD_OUTLINE
    assert reason in raised.value.message
