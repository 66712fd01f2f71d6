"""Measuring photos: which measure fits a photo, running it, storing the observation, correcting it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from revisio.accounts.models import User
from revisio.diary.models import BodyArea, MeasurementKind, MeasurementStatus, Photo, PhotoMeasurement, View
from revisio.landmarks import DetectionError, measure_photo
from revisio.measure import Measurement, MeasurementError
from revisio.web.errors import InvalidInput

FACE_AREAS = {BodyArea.FACE, BodyArea.EYES, BodyArea.NOSE, BodyArea.CHIN_JAW}
BODY_AREAS = {BodyArea.HIPS, BodyArea.WAIST, BodyArea.BUTTOCKS, BodyArea.ABDOMEN, BodyArea.THIGHS}
#: Kinds a model can measure without a person marking points first (breast points are marked by hand).
AUTOMATIC = {MeasurementKind.FACE, MeasurementKind.HEAD_TOP, MeasurementKind.BODY}


def measurement_kind(photo: Photo) -> MeasurementKind | None:
    """The measure that fits a photo's view and body area, if any."""
    if photo.view == View.TOP:
        return MeasurementKind.HEAD_TOP
    if photo.view == View.FRONT and photo.body_area in FACE_AREAS:
        return MeasurementKind.FACE
    if photo.view == View.FRONT and photo.body_area == BodyArea.BREASTS:
        return MeasurementKind.BREAST
    if photo.view in (View.FRONT, View.BACK) and photo.body_area in BODY_AREAS:
        return MeasurementKind.BODY
    return None


def _options(photo: Photo) -> dict[str, Any]:
    return {"view": "back" if photo.view == View.BACK else "front", "nose": "up"}


def _store(photo: Photo, kind: str, result: Measurement, user: User | None) -> PhotoMeasurement:
    return PhotoMeasurement.objects.create(
        photo=photo,
        kind=kind,
        status=MeasurementStatus.DONE,
        metrics=dict(result.metrics),
        units=dict(result.units),
        landmarks=dict(result.landmarks),
        landmarks_source=result.landmarks_source.value,
        method=result.method[:300],
        validated=result.validated,
        validation=result.validation[:300],
        warnings=list(result.warnings),
        measured_by=user,
    )


def initial_landmarks(photo: Photo, kind: str) -> dict[str, Any]:
    """Where to start marking points by hand when nothing was measured yet (breast points): the
    usual places on a frontal photo, to be dragged onto the real ones. The patient's right is on
    the image's left."""
    w, h = photo.width, photo.height
    if kind == MeasurementKind.BREAST:
        return {
            "sternal_notch": [0.5 * w, 0.2 * h],
            "nipple_right": [0.36 * w, 0.5 * h],
            "nipple_left": [0.64 * w, 0.5 * h],
            "contour_lowest_right": [0.36 * w, 0.68 * h],
            "contour_lowest_left": [0.64 * w, 0.68 * h],
        }
    return {}


def photo_measure_auto(photo_id: str) -> PhotoMeasurement | None:
    """The job run after a photo is stored: measure it automatically when a model can.

    Safe to run twice: it adds one more row.
    """
    photo = Photo.objects.filter(pk=photo_id).first()
    kind = measurement_kind(photo) if photo else None
    if photo is None or kind is None or kind not in AUTOMATIC:
        return None
    return photo_measure_now(photo=photo, kind=kind)


def photo_measure_now(*, photo: Photo, kind: str) -> PhotoMeasurement:
    """Measure a photo with the model for ``kind``. A photo the model cannot read (no face found,
    say) gets a FAILED row saying why, so the photo page can ask for the points to be marked by hand."""
    if kind not in AUTOMATIC:
        raise InvalidInput(
            _("This measure needs its points marked by hand: send the landmarks."),
            code="needs-landmarks",
            field="landmarks",
        )
    try:
        with photo.image.open("rb") as stored:
            result = measure_photo(stored.read(), kind, **_options(photo))
    except (DetectionError, MeasurementError) as error:
        return PhotoMeasurement.objects.create(
            photo=photo, kind=kind, status=MeasurementStatus.FAILED, error=str(error)[:500]
        )
    return _store(photo, kind, result, None)


@transaction.atomic
def photo_measure_manual(*, photo: Photo, kind: str, landmarks: dict[str, Any], user: User) -> PhotoMeasurement:
    """Measure with landmarks a person placed or corrected; stored as manual, with who and when."""
    if kind not in MeasurementKind.values:
        raise InvalidInput(_("Unknown measurement '%(kind)s'.") % {"kind": kind}, field="kind")
    try:
        with photo.image.open("rb") as stored:
            result = measure_photo(stored.read(), kind, landmarks=landmarks, **_options(photo))
    except (DetectionError, MeasurementError) as error:
        raise InvalidInput(str(error), code="bad-landmarks", field="landmarks") from None
    return _store(photo, kind, result, user)
