"""Writes to the recovery diary: check-ins (assessed as they are saved) and photos."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from revisio import engine, jobs, kb
from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.cases.services import case_urgency_refresh, full_clean
from revisio.diary.models import BodyArea, CheckIn, Photo, View
from revisio.recovery.adapter import NothingToAssess, assess_case, emergency_country, stored_assessment
from revisio.uploads import UploadRejected, process_photo
from revisio.web import wording
from revisio.web.errors import InvalidInput
from revisio.web.files import cleanup_on_failure, save_file


@dataclass(frozen=True)
class PhotoInput:
    data: bytes
    view: str
    body_area: str
    taken_on: dt.date | None = None


def _vocabulary(ids: list[str], kind: str) -> list[str]:
    base = kb.load()
    known, other = (base.symptoms, base.concerns) if kind == "symptom" else (base.concerns, base.symptoms)
    names = {"symptom": _("symptom"), "concern": _("concern")}
    other_kind = "concern" if kind == "symptom" else "symptom"
    clean = []
    for raw in ids:
        key = str(raw).strip().lower()
        if key in known:
            clean.append(key)
        elif key in other:
            message = _("'%(value)s' is a %(other)s, not a %(kind)s.") % {
                "value": raw,
                "other": names[other_kind],
                "kind": names[kind],
            }
            raise InvalidInput(message, code=f"unknown-{kind}", field=f"{kind}s")
        else:
            error = kb.UnknownIdError(kind, str(raw), kb.errors.suggest(key, known))
            raise InvalidInput(wording.unknown_id(error), code=f"unknown-{kind}", field=f"{kind}s")
    return sorted(set(clean))


def _temperature(value: Decimal | float | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        temperature = Decimal(str(value)).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise InvalidInput(
            _("The temperature '%(value)s' is not a number.") % {"value": value}, field="temperature_c"
        ) from None
    if not Decimal(30) <= temperature <= Decimal(45):
        raise InvalidInput(
            _("A temperature of %(value)s °C is outside 30-45 °C: give it in degrees Celsius.")
            % {"value": temperature},
            field="temperature_c",
        )
    return temperature


def checkin_add(
    *,
    case: Case,
    user: User,
    date: dt.date,
    symptoms: list[str] | None = None,
    concerns: list[str] | None = None,
    pain: int | None = None,
    temperature_c: Decimal | float | str | None = None,
    notes: str = "",
    photos: list[PhotoInput] | None = None,
) -> CheckIn:
    """Save a check-in with its assessment (and its photos), all or nothing."""
    if date > timezone.localdate():
        raise InvalidInput(_("A check-in cannot be dated in the future."), field="date")
    if pain is not None and not 0 <= pain <= 10:
        raise InvalidInput(_("Pain is a number from 0 (none) to 10 (worst)."), field="pain")
    symptom_ids = _vocabulary(symptoms or [], "symptom")
    concern_ids = _vocabulary(concerns or [], "concern")
    temperature = _temperature(temperature_c)
    procedures = list(case.procedures.all())
    try:
        result = assess_case(
            procedures=procedures,
            on=date,
            symptoms=symptom_ids,
            concerns=concern_ids,
            temperature_c=temperature,
            country=emergency_country(case.owner.current_country),
        )
    except NothingToAssess as error:
        raise InvalidInput(
            _("No procedure of this case had been done by %(date)s: date the check-in on or after the procedure.")
            % {"date": error.on.isoformat()},
            field="date",
        ) from None
    except (engine.InvalidInputError, kb.UnknownIdError) as error:
        raise InvalidInput(str(error)) from None
    with cleanup_on_failure(), transaction.atomic():
        checkin = CheckIn.objects.create(
            case=case,
            date=date,
            symptoms=symptom_ids,
            concerns=concern_ids,
            pain=pain,
            temperature_c=temperature,
            notes=notes.strip(),
            created_by=user,
            level=result.level.value,
            kb_version=result.kb_version,
            assessment=stored_assessment(result),
        )
        for photo in photos or []:
            photo_add(case=case, user=user, checkin=checkin, photo=photo)
        case.save(update_fields=["updated_at"])
        case_urgency_refresh(case=case)
        jobs.enqueue("revisio.agency.jobs.checkin_alerts", str(checkin.pk))
    return checkin


def photo_add(*, case: Case, user: User, photo: PhotoInput, checkin: CheckIn | None = None) -> Photo:
    """Strip the photo of all metadata, store it and its thumbnail, then the row."""
    if photo.view not in View.values:
        raise InvalidInput(
            _("Unknown view '%(value)s': use one of %(choices)s.")
            % {"value": photo.view, "choices": ", ".join(View.values)},
            field="view",
        )
    if photo.body_area not in BodyArea.values:
        raise InvalidInput(_("Unknown body area '%(value)s'.") % {"value": photo.body_area}, field="body_area")
    try:
        processed = process_photo(photo.data, max_bytes=settings.MAX_UPLOAD_BYTES, max_pixels=settings.MAX_PHOTO_PIXELS)
    except UploadRejected as rejected:
        raise InvalidInput(wording.upload_rejection(rejected), code=f"upload-{rejected.code}", field="photo") from None
    taken_on = photo.taken_on or (checkin.date if checkin else None)
    if taken_on is None and processed.taken_at is not None:
        taken_on = processed.taken_at.date()
    taken_on = taken_on or timezone.localdate()
    if taken_on > timezone.localdate():
        raise InvalidInput(_("A photo cannot be dated in the future."), field="taken_on")
    with cleanup_on_failure(), transaction.atomic():
        row = Photo(
            case=case,
            checkin=checkin,
            view=photo.view,
            body_area=photo.body_area,
            taken_on=taken_on,
            content_type=processed.content_type,
            width=processed.width,
            height=processed.height,
            size=len(processed.data),
            sha256_original=processed.sha256_original,
            sha256_stored=processed.sha256_stored,
            uploaded_by=user,
        )
        save_file(row.image, f"photo{processed.extension}", processed.data)
        save_file(row.thumbnail, "thumbnail.jpg", processed.thumbnail)
        full_clean(row, exclude=["case", "checkin", "uploaded_by", "image", "thumbnail"])
        row.save()
        jobs.enqueue("revisio.diary.measuring.photo_measure_auto", str(row.pk))
    return row


def photos_add(*, case: Case, user: User, photos: list[PhotoInput]) -> list[Photo]:
    """Add several photos at once, all or nothing."""
    if not photos:
        raise InvalidInput(_("Choose at least one photo."), field="photo")
    with cleanup_on_failure(), transaction.atomic():
        return [photo_add(case=case, user=user, photo=photo) for photo in photos]


@transaction.atomic
def photo_delete(*, photo: Photo) -> None:
    files = [(photo.image.storage, photo.image.name), (photo.thumbnail.storage, photo.thumbnail.name)]
    photo.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
