"""Face metrics on synthetic landmarks with known answers, and their invariances.

The synthetic face has 1 px = 1 mm (iris 11.77 px); the patient's right pupil is on the image's
left, as in a normal frontal photo.
"""

from __future__ import annotations

import math

import pytest

from revisio.measure import FaceLandmarks, LandmarksSource, MeasurementError, measure_face

TOL = 1e-9


def face(**changes: object) -> FaceLandmarks:
    values: dict[str, object] = {
        "pupil_right": (100.0, 100.0),
        "pupil_left": (160.0, 100.0),
        "iris_diameter_px": 11.77,
        "brow_right": [(85.0, 80.0), (100.0, 80.0), (115.0, 82.0)],
        "brow_left": [(145.0, 80.0), (160.0, 78.0), (175.0, 80.0)],
        "upper_lid_right": [(92.0, 96.0), (100.0, 95.0), (108.0, 96.0)],
        "lower_lid_right": [(92.0, 104.0), (100.0, 105.0), (108.0, 104.0)],
        "upper_lid_left": [(152.0, 96.0), (160.0, 95.0), (168.0, 96.0)],
        "lower_lid_left": [(152.0, 104.0), (160.0, 106.0), (168.0, 104.0)],
        "mouth_corner_right": (110.0, 150.0),
        "mouth_corner_left": (150.0, 152.0),
        "nasal_tip": (133.0, 130.0),
        "chin": (127.0, 190.0),
    }
    values.update(changes)
    return FaceLandmarks(**values)  # type: ignore[arg-type]


def metrics(landmarks: FaceLandmarks, **kwargs: object) -> dict[str, float]:
    return dict(measure_face(landmarks, source=LandmarksSource.MANUAL, **kwargs).metrics)  # type: ignore[arg-type]


def transform(landmarks: FaceLandmarks, fn) -> FaceLandmarks:  # type: ignore[no-untyped-def]
    def points(values):  # type: ignore[no-untyped-def]
        return [fn(p) for p in values]

    return FaceLandmarks(
        pupil_left=fn(landmarks.pupil_left),
        pupil_right=fn(landmarks.pupil_right),
        iris_diameter_px=landmarks.iris_diameter_px,
        brow_left=points(landmarks.brow_left),
        brow_right=points(landmarks.brow_right),
        upper_lid_left=points(landmarks.upper_lid_left),
        upper_lid_right=points(landmarks.upper_lid_right),
        lower_lid_left=points(landmarks.lower_lid_left),
        lower_lid_right=points(landmarks.lower_lid_right),
        mouth_corner_left=fn(landmarks.mouth_corner_left),
        mouth_corner_right=fn(landmarks.mouth_corner_right),
        nasal_tip=fn(landmarks.nasal_tip),
        chin=fn(landmarks.chin),
    )


def test_known_answers() -> None:
    m = metrics(face())
    assert m["brow_height_right_mm"] == pytest.approx(20.0, abs=TOL)
    assert m["brow_height_left_mm"] == pytest.approx(22.0, abs=TOL)
    assert m["palpebral_fissure_height_right_mm"] == pytest.approx(10.0, abs=TOL)
    assert m["palpebral_fissure_height_left_mm"] == pytest.approx(11.0, abs=TOL)
    assert m["commissure_height_right_mm"] == pytest.approx(50.0, abs=TOL)
    assert m["commissure_height_left_mm"] == pytest.approx(52.0, abs=TOL)
    assert m["nasal_tip_deviation_mm"] == pytest.approx(3.0, abs=TOL)  # towards the patient's left
    assert m["chin_deviation_mm"] == pytest.approx(-3.0, abs=TOL)  # towards the patient's right


def test_the_iris_sets_the_scale_unless_a_scale_is_given() -> None:
    assert metrics(face(iris_diameter_px=23.54))["brow_height_right_mm"] == pytest.approx(10.0)
    assert metrics(face(), scale_mm_per_px=0.5)["brow_height_right_mm"] == pytest.approx(10.0)


def test_a_perfectly_symmetric_face_has_asymmetry_index_zero() -> None:
    symmetric = face(
        brow_left=[(145.0, 82.0), (160.0, 80.0), (175.0, 80.0)],
        lower_lid_left=[(152.0, 104.0), (160.0, 105.0), (168.0, 104.0)],
        mouth_corner_left=(150.0, 150.0),
        nasal_tip=(130.0, 130.0),
        chin=(130.0, 190.0),
    )
    m = metrics(symmetric)
    assert m["asymmetry_index"] == pytest.approx(0.0, abs=TOL)
    assert m["nasal_tip_deviation_mm"] == pytest.approx(0.0, abs=TOL)
    lifted = metrics(face(**{**symmetric.__dict__, "mouth_corner_left": (150.0, 144.0)}))
    # One of 7 pairs moves 6 px; the inter-pupil distance is 60 px.
    assert lifted["asymmetry_index"] == pytest.approx(6 / 7 / 60, abs=TOL)


@pytest.mark.parametrize("degrees", [-25.0, -7.0, 13.0, 30.0])
def test_rotation_does_not_change_any_metric(degrees: float) -> None:
    theta = math.radians(degrees)

    def turn(p):  # type: ignore[no-untyped-def]
        x, y = p[0] - 130, p[1] - 140
        return (130 + x * math.cos(theta) - y * math.sin(theta), 140 + x * math.sin(theta) + y * math.cos(theta))

    before, after = metrics(face()), metrics(transform(face(), turn))
    for name, value in before.items():
        assert after[name] == pytest.approx(value, abs=1e-6), name


def test_shift_and_scale_do_not_change_millimetres() -> None:
    before = metrics(face())
    shifted = metrics(transform(face(), lambda p: (p[0] + 311.5, p[1] - 47.25)))
    scaled_landmarks = transform(face(), lambda p: (p[0] * 2.5, p[1] * 2.5))
    scaled = metrics(FaceLandmarks(**{**scaled_landmarks.__dict__, "iris_diameter_px": 11.77 * 2.5}))
    for name, value in before.items():
        assert shifted[name] == pytest.approx(value, abs=1e-9), name
        assert scaled[name] == pytest.approx(value, abs=1e-9), name


def test_the_mirror_image_swaps_left_and_right_and_flips_deviations() -> None:
    """What a detector reports on a mirrored photo: the eye now on the image's left is called right."""
    original = face()
    mirror = transform(original, lambda p: (260 - p[0], p[1]))
    swapped = FaceLandmarks(
        pupil_left=mirror.pupil_right,
        pupil_right=mirror.pupil_left,
        iris_diameter_px=mirror.iris_diameter_px,
        brow_left=mirror.brow_right,
        brow_right=mirror.brow_left,
        upper_lid_left=mirror.upper_lid_right,
        upper_lid_right=mirror.upper_lid_left,
        lower_lid_left=mirror.lower_lid_right,
        lower_lid_right=mirror.lower_lid_left,
        mouth_corner_left=mirror.mouth_corner_right,
        mouth_corner_right=mirror.mouth_corner_left,
        nasal_tip=mirror.nasal_tip,
        chin=mirror.chin,
    )
    before, after = metrics(original), metrics(swapped)
    for side in ("brow_height", "palpebral_fissure_height", "commissure_height"):
        assert after[f"{side}_left_mm"] == pytest.approx(before[f"{side}_right_mm"])
        assert after[f"{side}_right_mm"] == pytest.approx(before[f"{side}_left_mm"])
    assert after["nasal_tip_deviation_mm"] == pytest.approx(-before["nasal_tip_deviation_mm"])
    assert after["chin_deviation_mm"] == pytest.approx(-before["chin_deviation_mm"])
    assert after["asymmetry_index"] == pytest.approx(before["asymmetry_index"])


def test_a_mirrored_selfie_with_true_labels_measures_the_same() -> None:
    """Landmarks named for the patient stay the patient's, even if the photo itself was mirrored."""
    before = metrics(face())
    after = metrics(transform(face(), lambda p: (260 - p[0], p[1])))
    for name, value in before.items():
        assert after[name] == pytest.approx(value, abs=1e-9), name


def test_output_is_labelled() -> None:
    result = measure_face(face(), source=LandmarksSource.AUTO, method="a detector")
    data = result.as_dict()
    assert data["kind"] == "face" and data["landmarks_source"] == "auto" and data["validated"] is True
    assert "a detector" in data["method"] and "11.77" in data["method"]
    assert "patient's own" in data["convention"]
    assert data["units"]["brow_height_left_mm"] == "mm"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"iris_diameter_px": 0.0}, "iris diameter must be positive"),
        ({"pupil_left": (100.0, 100.0)}, "coincide"),
        ({"brow_left": [(float("nan"), 1.0)]}, "finite"),
    ],
)
def test_degenerate_landmarks_are_refused(changes: dict, message: str) -> None:
    with pytest.raises(MeasurementError, match=message):
        metrics(face(**changes))
