"""Writes to the case record. Each service is one transaction; bad input raises ``InvalidInput``.

Only a case's owner writes to it; callers get the case through ``case_get_for_user(write=True)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from revisio import kb
from revisio.accounts.models import Agency, Role, User
from revisio.audit import services as audit
from revisio.cases.models import Anaesthesia, Case, CaseProcedure, CaseShare, Device, Document, DocumentType, ShareScope
from revisio.uploads import FileKind, UploadRejected, check_document, process_photo
from revisio.web import wording
from revisio.web.errors import Conflict, InvalidInput, NotFound
from revisio.web.files import cleanup_on_failure, save_file

# The fields of a case a patient edits, in the order forms show them.
CASE_FIELDS = (
    "title",
    "clinic_name",
    "clinic_city",
    "clinic_country",
    "clinic_phone",
    "clinic_email",
    "clinic_website",
    "surgeon_name",
    "leaving_on",
    "notes",
)
DEVICE_FIELDS = frozenset(
    {"device_type", "manufacturer", "model", "lot_number", "serial_number", "size", "placement", "fill", "side"}
)


@dataclass(frozen=True)
class ProcedureInput:
    procedure: str
    surgery_date: dt.date
    anaesthesia: str = Anaesthesia.UNKNOWN
    notes: str = ""


def full_clean(instance: Any, *, exclude: list[str] | None = None) -> None:
    """Model validation as ``InvalidInput`` naming the first field at fault."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(f"{field}: {' '.join(messages)}", field=field) from None


def _procedure_id(ref: str) -> str:
    try:
        return kb.load().procedure(ref).id
    except kb.UnknownIdError as error:
        raise InvalidInput(wording.unknown_id(error), code="unknown-procedure", field="procedure") from None


def _checked_procedures(procedures: list[ProcedureInput]) -> list[ProcedureInput]:
    if not procedures:
        raise InvalidInput(_("Add at least one procedure."), code="no-procedure", field="procedures")
    latest_allowed = timezone.localdate() + dt.timedelta(days=366)
    checked = []
    for entry in procedures:
        if entry.anaesthesia not in Anaesthesia.values:
            raise InvalidInput(
                _("Unknown anaesthesia '%(value)s'.") % {"value": entry.anaesthesia}, field="anaesthesia"
            )
        if entry.surgery_date > latest_allowed:
            raise InvalidInput(_("The procedure date is more than a year ahead."), field="surgery_date")
        checked.append(
            ProcedureInput(_procedure_id(entry.procedure), entry.surgery_date, entry.anaesthesia, entry.notes.strip())
        )
    return checked


def _clean(
    fields: dict[str, Any], allowed: tuple[str, ...] | frozenset[str], model: type[models.Model]
) -> dict[str, Any]:
    """Known fields only, text stripped; an empty text field is stored as "" and any other empty field as None."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise InvalidInput(_("Unknown field(s): %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    cleaned = {}
    for key, value in fields.items():
        is_text = isinstance(model._meta.get_field(key), models.CharField | models.TextField)
        if isinstance(value, str):
            value = value.strip()
        if value in ("", None):
            value = "" if is_text else None
        cleaned[key] = value
    return cleaned


@transaction.atomic
def case_create(*, owner: User, procedures: list[ProcedureInput], **fields: Any) -> Case:
    values = _clean(fields, CASE_FIELDS, Case)
    values["clinic_country"] = values.get("clinic_country", "").upper()
    case = Case(owner=owner, **values)
    full_clean(case, exclude=["owner"])
    case.save()
    _replace_procedures(case, _checked_procedures(procedures))
    audit.case_created(owner=owner, case_id=case.pk)
    return case


def case_urgency_refresh(*, case: Case) -> None:
    """Recompute the case's copies of its latest check-in and next due step (``Case.last_checkin_level``…).

    Called in the same transaction as every write of a check-in or a plan step, so the copies never
    disagree with the rows they copy. Does not touch ``version`` or ``updated_at``: it is not an edit.
    """
    latest = case.checkins.order_by("-date", "-created_at").values("level", "date").first()  # type: ignore[attr-defined]
    due = case.step_states.filter(done_on__isnull=True).aggregate(first=models.Min("due_on"))["first"]  # type: ignore[attr-defined]
    values = {
        "last_checkin_level": latest["level"] if latest else "",
        "last_checkin_on": latest["date"] if latest else None,
        "next_step_due_on": due,
    }
    Case.objects.filter(pk=case.pk).update(**values)
    for name, value in values.items():
        setattr(case, name, value)


class CaseChanged(Conflict):
    """The case was saved since the edit began (``Case.version`` moved on); ``current`` is the case as it is now."""

    code = "case-changed"

    def __init__(self, current: Case) -> None:
        super().__init__(
            _(
                "This case was changed meanwhile (by you in another tab, on another device or through the API) "
                "at %(time)s; here is what it holds now — check and save again."
            )
            % {"time": timezone.localtime(current.updated_at).strftime("%H:%M")}
        )
        self.current = current


@transaction.atomic
def case_update(
    *,
    case: Case,
    expected_version: int | None = None,
    procedures: list[ProcedureInput] | None = None,
    **fields: Any,
) -> Case:
    """Change the given fields (and, if given, the procedures), and move ``Case.version`` on by one.

    ``expected_version`` is the version the edit started from: the row is written with
    ``UPDATE ... WHERE version = expected_version``, so of two edits that started from the same version
    only the first is saved and the second raises ``CaseChanged`` (nothing written). ``None`` writes
    over whatever is there (last write wins), e.g. an API PATCH without ``If-Match``. Only the fields
    given are written.
    """
    values = _clean(fields, CASE_FIELDS, Case)
    if "clinic_country" in values:
        values["clinic_country"] = values["clinic_country"].upper()
    for key, value in values.items():
        setattr(case, key, value)
    full_clean(case, exclude=["owner"])
    checked = _checked_procedures(procedures) if procedures is not None else None
    rows = Case.objects.filter(pk=case.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(**values, version=models.F("version") + 1, updated_at=timezone.now()):
        current = Case.objects.filter(pk=case.pk).first()
        if current is None:
            raise NotFound(_("This case has been deleted."), code="case-deleted")
        raise CaseChanged(current)
    case.refresh_from_db(fields=["version", "updated_at"])
    if checked is not None:
        _replace_procedures(case, checked)
    return case


def _replace_procedures(case: Case, procedures: list[ProcedureInput]) -> None:
    """Keep rows whose procedure and date are unchanged (devices point at them), replace the rest."""
    existing = {(p.procedure, p.surgery_date): p for p in case.procedures.all()}
    keep = set()
    for entry in procedures:
        row = existing.get((entry.procedure, entry.surgery_date))
        if row is None:
            row = CaseProcedure(case=case, procedure=entry.procedure, surgery_date=entry.surgery_date)
        row.anaesthesia, row.notes = entry.anaesthesia, entry.notes
        full_clean(row, exclude=["case"])
        row.save()
        keep.add(row.pk)
    case.procedures.exclude(pk__in=keep).delete()


@transaction.atomic
def case_delete(*, case: Case) -> None:
    """Delete the case, its rows and every stored file of it.

    The files are found through every model that points at the case (documents, photos, dossiers and
    whatever is added later), so a new app's files cannot be left behind on disk.
    """
    files = []
    for relation in Case._meta.related_objects:
        file_fields = [f.name for f in relation.related_model._meta.fields if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        for row in relation.related_model._default_manager.filter(**{relation.field.name: case}):
            files += [getattr(row, name) for name in file_fields]
    case.delete()
    names = [(f.storage, f.name) for f in files if f.name]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


@transaction.atomic
def device_add(*, case: Case, procedure_id: int | None = None, **fields: Any) -> Device:
    values = _clean(fields, DEVICE_FIELDS, Device)
    procedure = None
    if procedure_id is not None:
        procedure = case.procedures.filter(pk=procedure_id).first()
        if procedure is None:
            raise InvalidInput(_("That procedure is not part of this case."), field="procedure")
    device = Device(case=case, procedure=procedure, **values)
    full_clean(device, exclude=["case", "procedure"])
    device.save()
    return device


@transaction.atomic
def device_delete(*, device: Device) -> None:
    device.delete()


def document_add(
    *,
    case: Case,
    user: User,
    data: bytes,
    original_name: str,
    document_type: str,
    title: str,
    document_date: dt.date | None = None,
) -> Document:
    """Check the file by its content, store it under a random name, then the row.

    A PDF is stored as uploaded (it is only ever offered as a download). A photo of a paper is
    stripped of its metadata like any photo, since a phone writes GPS into it just the same.
    """
    if document_type not in DocumentType.values:
        raise InvalidInput(_("Unknown document type '%(value)s'.") % {"value": document_type}, field="document_type")
    try:
        checked = check_document(data, max_bytes=settings.MAX_UPLOAD_BYTES)
        if checked.kind is not FileKind.PDF:
            photo = process_photo(data, max_bytes=settings.MAX_UPLOAD_BYTES, max_pixels=settings.MAX_PHOTO_PIXELS)
            stored, content_type, extension = photo.data, photo.content_type, photo.extension
        else:
            stored, content_type, extension = data, checked.content_type, checked.extension
    except UploadRejected as rejected:
        raise InvalidInput(
            wording.upload_rejection(rejected, document=True), code=f"upload-{rejected.code}", field="file"
        ) from None
    with cleanup_on_failure(), transaction.atomic():
        document = Document(
            case=case,
            document_type=document_type,
            title=title.strip() or original_name[:200] or str(DocumentType(document_type).label),
            document_date=document_date,
            original_name=original_name[:255],
            content_type=content_type,
            size=len(stored),
            sha256=hashlib.sha256(stored).hexdigest(),
            sha256_original=checked.sha256,
            uploaded_by=user,
        )
        save_file(document.file, f"document{extension}", stored)
        full_clean(document, exclude=["case", "uploaded_by", "file"])
        document.save()
    return document


@transaction.atomic
def document_delete(*, document: Document) -> None:
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def case_share_create(
    *,
    case: Case,
    agency: Agency | None = None,
    clinician: User | None = None,
    expires_at: dt.datetime | None = None,
    scope: str = ShareScope.FULL,
) -> CaseShare:
    if scope not in ShareScope.values:
        raise InvalidInput(_("Unknown sharing scope '%(value)s'.") % {"value": scope}, field="scope")
    if (agency is None) == (clinician is None):
        raise InvalidInput(_("Share with either an agency or a clinician."), field="party")
    if clinician is not None and clinician.role != Role.CLINICIAN:
        raise InvalidInput(_("That account is not a clinician's."), field="clinician")
    if clinician is not None and clinician.pk == case.owner_id:
        raise InvalidInput(_("You cannot share a case with yourself."), field="clinician")
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(_("The expiry date has already passed."), field="expires_at")
    return CaseShare.objects.create(case=case, agency=agency, clinician=clinician, expires_at=expires_at, scope=scope)


@transaction.atomic
def case_share_revoke(*, share: CaseShare) -> None:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
