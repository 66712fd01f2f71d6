"""Diary endpoints: check-ins (each answered with its assessment) and photos."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from revisio.api.schemas import (
    ERROR_RESPONSES,
    Input,
    OptionalFormDate,
    OptionalFormUUID,
    RequestLanguageQuery,
    request_language,
)
from revisio.cases.access import Part
from revisio.cases.models import Case
from revisio.cases.selectors import case_get_for_user
from revisio.diary import measuring, selectors, services
from revisio.diary.models import BodyArea, CheckIn, MeasurementKind, Photo, PhotoMeasurement, View
from revisio.diary.services import PhotoInput
from revisio.diary.serving import photo_response
from revisio.engine.serialise import localise
from revisio.web.errors import InvalidInput
from revisio.web.files import read_upload

router = Router(tags=["diary"])


class CheckInIn(Input):
    date: dt.date
    symptoms: list[str] = Field(default_factory=list, max_length=50)
    concerns: list[str] = Field(default_factory=list, max_length=50)
    pain: int | None = Field(None, ge=0, le=10)
    # A number (as a thermometer app sends it), kept to one decimal place, as the web form does.
    temperature_c: float | None = Field(None, ge=30, le=45, description="degrees Celsius, rounded to 0.1")
    notes: str = Field("", max_length=5000)


class Finding(Schema):
    id: str
    kind: str
    level: str
    message: str
    sources: list[str]
    procedure: str | None


class AssessmentOut(Schema):
    level: str
    day: int
    final_result_from: dt.date | None
    final_result_by: dt.date | None
    revision_not_before: dt.date | None
    findings: list[Finding]
    next_steps: list[str]
    kb_version: str
    language: str


class CheckInOut(Schema):
    id: uuid.UUID
    date: dt.date
    symptoms: list[str]
    concerns: list[str]
    pain: int | None
    temperature_c: Decimal | None
    notes: str
    level: str
    kb_version: str
    assessment: AssessmentOut
    photo_ids: list[uuid.UUID]
    created_at: dt.datetime


def checkin_out(checkin: CheckIn, language: str, *, identified: bool = True) -> CheckInOut:
    """``identified`` false (a de-identified share): the patient's free-text notes are left out."""
    assessment: dict[str, Any] = localise(checkin.assessment, language)
    return CheckInOut(
        id=checkin.pk,
        date=checkin.date,
        symptoms=checkin.symptoms,
        concerns=checkin.concerns,
        pain=checkin.pain,
        temperature_c=checkin.temperature_c,
        notes=checkin.notes if identified else "",
        level=checkin.level,
        kb_version=checkin.kb_version,
        assessment=AssessmentOut(**{key: assessment[key] for key in AssessmentOut.model_fields}),
        photo_ids=[photo.pk for photo in checkin.photos.all()],
        created_at=checkin.created_at,
    )


@router.get("/{case_id}/checkins", response={200: list[CheckInOut], **ERROR_RESPONSES})
def checkin_list(request: HttpRequest, case_id: str, query: Query[RequestLanguageQuery]) -> list[CheckInOut]:
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.CLINICAL)
    language = request_language(query.lang)
    checkins = case.checkins.prefetch_related("photos").order_by("-date", "-created_at")
    return [checkin_out(c, language, identified=case.access.identified) for c in checkins]  # type: ignore[attr-defined]


@router.post("/{case_id}/checkins", response={201: CheckInOut, **ERROR_RESPONSES})
def checkin_create(
    request: HttpRequest, case_id: str, payload: CheckInIn, query: Query[RequestLanguageQuery]
) -> Status[CheckInOut]:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    language = request_language(query.lang)  # before saving: a bad ``lang`` must not leave a check-in behind
    checkin = services.checkin_add(case=case, user=request.user, **payload.model_dump())
    return Status(201, checkin_out(checkin, language))


@router.get("/{case_id}/checkins/{checkin_id}", response={200: CheckInOut, **ERROR_RESPONSES})
def checkin_detail(
    request: HttpRequest, case_id: str, checkin_id: str, query: Query[RequestLanguageQuery]
) -> CheckInOut:
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.CLINICAL)
    checkin = selectors.checkin_get(case=case, checkin_id=checkin_id)
    return checkin_out(checkin, request_language(query.lang), identified=case.access.identified)  # type: ignore[attr-defined]


class PhotoOut(Schema):
    id: uuid.UUID
    checkin_id: uuid.UUID | None
    view: str
    body_area: str
    taken_on: dt.date
    content_type: str
    width: int
    height: int
    size: int
    sha256_original: str
    sha256_stored: str
    created_at: dt.datetime


def photo_out(photo: Photo, case: Case | None = None) -> PhotoOut:
    """``case`` as ``case_get_for_user`` gave it: a de-identified share is served a re-encoded JPEG with
    faces obscured, so the stored file's hashes, size and type do not describe what it gets."""
    out = PhotoOut.from_orm(photo)
    if case is not None and not case.access.faces_visible:  # type: ignore[attr-defined]
        out.content_type, out.size, out.sha256_original, out.sha256_stored = "image/jpeg", 0, "", ""
    return out


@router.get("/{case_id}/photos", response={200: list[PhotoOut], **ERROR_RESPONSES})
def photo_list(request: HttpRequest, case_id: str) -> list[PhotoOut]:
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.PHOTOS)
    return [photo_out(p, case) for p in case.photos.order_by("taken_on", "created_at")]


@router.post("/{case_id}/photos", response={201: PhotoOut, **ERROR_RESPONSES})
def photo_create(
    request: HttpRequest,
    case_id: str,
    file: File[UploadedFile],
    view: Form[View],
    body_area: Form[BodyArea],
    taken_on: OptionalFormDate = Form(None),
    checkin_id: OptionalFormUUID = Form(None),
) -> Status[PhotoOut]:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    checkin = selectors.checkin_get(case=case, checkin_id=checkin_id) if checkin_id else None
    try:
        photo = services.photo_add(
            case=case,
            user=request.user,
            checkin=checkin,
            photo=PhotoInput(read_upload(file), view.value, body_area.value, taken_on),
        )
    except InvalidInput as error:
        # The service calls the upload "photo"; here the client sent it as the multipart field "file".
        if error.field == "photo":
            error.field = "file"
        raise
    return Status(201, photo_out(photo))


@router.get("/{case_id}/photos/{photo_id}", response={200: PhotoOut, **ERROR_RESPONSES})
def photo_detail(request: HttpRequest, case_id: str, photo_id: str) -> PhotoOut:
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.PHOTOS)
    return photo_out(selectors.photo_get(case=case, photo_id=photo_id), case)


@router.get("/{case_id}/photos/{photo_id}/image", response={200: None, **ERROR_RESPONSES})
def photo_image(request: HttpRequest, case_id: str, photo_id: str) -> HttpResponse:
    """The stored image: orientation applied, every metadata field (GPS included) removed; through a
    de-identified share, a JPEG with faces obscured."""
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.PHOTOS)
    return photo_response(case=case, photo=selectors.photo_get(case=case, photo_id=photo_id))


class MeasureIn(Input):
    kind: MeasurementKind
    landmarks: dict[str, Any] | None = Field(
        None, description="points placed or corrected by hand; without them the model measures (not breast)"
    )


class MeasurementOut(Schema):
    id: uuid.UUID
    photo_id: uuid.UUID
    kind: str
    status: str
    metrics: dict[str, float]
    units: dict[str, str]
    landmarks: dict[str, Any]
    landmarks_source: str
    method: str
    validated: bool
    validation: str
    warnings: list[str]
    error: str
    placed_by_patient: bool = Field(description="the points were placed or corrected by the patient")
    created_at: dt.datetime


def measurement_out(measurement: PhotoMeasurement) -> MeasurementOut:
    return MeasurementOut(
        id=measurement.pk,
        photo_id=measurement.photo_id,
        kind=measurement.kind,
        status=measurement.status,
        metrics=measurement.metrics,
        units=measurement.units,
        landmarks=measurement.landmarks,
        landmarks_source=measurement.landmarks_source,
        method=measurement.method,
        validated=measurement.validated,
        validation=measurement.validation,
        warnings=measurement.warnings,
        error=measurement.error,
        placed_by_patient=measurement.measured_by_id is not None
        and measurement.measured_by_id == measurement.photo.case.owner_id,
        created_at=measurement.created_at,
    )


@router.get("/{case_id}/photos/{photo_id}/measurements", response={200: list[MeasurementOut], **ERROR_RESPONSES})
def measurement_list(request: HttpRequest, case_id: str, photo_id: str) -> list[MeasurementOut]:
    """The photo's measurements, newest first; a correction adds a row and the newest counts."""
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.PHOTOS)
    photo = selectors.photo_get(case=case, photo_id=photo_id)
    return [measurement_out(m) for m in selectors.photo_measurements(photo=photo)]


@router.post("/{case_id}/photos/{photo_id}/measurements", response={201: MeasurementOut, **ERROR_RESPONSES})
def measurement_create(request: HttpRequest, case_id: str, photo_id: str, payload: MeasureIn) -> Status[MeasurementOut]:
    """Measure the photo now: with ``landmarks`` as placed by hand (stored as manual), or by the
    model for ``kind``. A model that finds nothing gives ``status: failed`` with the reason."""
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    photo = selectors.photo_get(case=case, photo_id=photo_id)
    if payload.landmarks is not None:
        measurement = measuring.photo_measure_manual(
            photo=photo, kind=payload.kind.value, landmarks=payload.landmarks, user=request.user
        )
    else:
        measurement = measuring.photo_measure_now(photo=photo, kind=payload.kind.value)
    return Status(201, measurement_out(measurement))


@router.delete("/{case_id}/photos/{photo_id}", response={204: None, **ERROR_RESPONSES})
def photo_delete(request: HttpRequest, case_id: str, photo_id: str) -> Status[None]:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    services.photo_delete(photo=selectors.photo_get(case=case, photo_id=photo_id))
    return Status(204, None)
