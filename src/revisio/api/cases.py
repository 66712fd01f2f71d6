"""Case endpoints: the case record, its devices and documents. Another user's case is a 404."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Form, Header, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from revisio.api.schemas import ERROR_RESPONSES, Errors, Input, OptionalFormDate, form_text
from revisio.audit import services as audit
from revisio.audit.models import Action
from revisio.cases import selectors, services
from revisio.cases.access import Part
from revisio.cases.models import Anaesthesia, Case, Device, Document, DocumentType
from revisio.cases.services import ProcedureInput
from revisio.web.errors import DomainError, InvalidInput
from revisio.web.files import read_upload

router = Router(tags=["cases"])


class ProcedureIn(Input):
    procedure: str = Field(description="knowledge-base procedure ID or alias, e.g. 'hourglass-hip'")
    surgery_date: dt.date
    anaesthesia: Anaesthesia = Anaesthesia.UNKNOWN
    notes: str = Field("", max_length=500)


class CaseProcedureOut(Schema):
    id: int
    procedure: str
    surgery_date: dt.date
    anaesthesia: str
    notes: str


class CaseFields(Schema):
    clinic_name: str = Field("", max_length=200)
    clinic_city: str = Field("", max_length=120)
    clinic_country: str = Field("", max_length=2, description="ISO 3166 alpha-2 code, e.g. KR")
    clinic_phone: str = Field("", max_length=40)
    clinic_email: str = Field("", max_length=254)
    clinic_website: str = Field("", max_length=200)
    surgeon_name: str = Field("", max_length=200)
    notes: str = Field("", max_length=10000)


class CaseIn(Input, CaseFields):
    title: str = Field(min_length=1, max_length=200)
    procedures: list[ProcedureIn] = Field(min_length=1, max_length=10)


class CasePatch(Input):
    title: str | None = Field(None, min_length=1, max_length=200)
    clinic_name: str | None = Field(None, max_length=200)
    clinic_city: str | None = Field(None, max_length=120)
    clinic_country: str | None = Field(None, max_length=2)
    clinic_phone: str | None = Field(None, max_length=40)
    clinic_email: str | None = Field(None, max_length=254)
    clinic_website: str | None = Field(None, max_length=200)
    surgeon_name: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=10000)
    procedures: list[ProcedureIn] | None = Field(None, min_length=1, max_length=10)


class CaseOut(CaseFields):
    id: uuid.UUID
    title: str
    owner_is_me: bool
    procedures: list[CaseProcedureOut]
    latest_level: str | None = None
    latest_checkin_date: dt.date | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


def case_out(case: Case, request: HttpRequest) -> CaseOut:
    return CaseOut(
        id=case.pk,
        title=case.title,
        owner_is_me=case.owner_id == request.user.pk,
        procedures=[CaseProcedureOut.from_orm(p) for p in case.procedures.all()],
        latest_level=getattr(case, "latest_level", None),
        latest_checkin_date=getattr(case, "latest_checkin_date", None),
        created_at=case.created_at,
        updated_at=case.updated_at,
        **{name: getattr(case, name) for name in CaseFields.model_fields},
    )


def _procedure_inputs(items: list[ProcedureIn]) -> list[ProcedureInput]:
    return [ProcedureInput(p.procedure, p.surgery_date, p.anaesthesia.value, p.notes) for p in items]


@router.get("", response={200: list[CaseOut], **ERROR_RESPONSES})
def case_list(request: HttpRequest) -> list[CaseOut]:
    return [case_out(case, request) for case in selectors.case_list_for_user(user=request.user)]


@router.post("", response={201: CaseOut, **ERROR_RESPONSES})
def case_create(request: HttpRequest, payload: CaseIn) -> Status[CaseOut]:
    fields = payload.model_dump(exclude={"procedures"})
    case = services.case_create(owner=request.user, procedures=_procedure_inputs(payload.procedures), **fields)
    return Status(201, case_out(case, request))


def _with_latest(case: Case, request: HttpRequest) -> Case:
    """The case annotated with its latest check-in's level and date, as the list gives them."""
    return selectors.case_listed_for_user(user=request.user, case=case)


class CaseChangedError(DomainError):
    """``If-Match`` names a version of the case that is no longer current."""

    status = 412
    code = "case-changed"


def _etag(case: Case) -> str:
    return f'"{case.version}"'


def _expected_version(if_match: str | None, case: Case) -> int | None:
    """The version a PATCH may write over: None without ``If-Match`` (or with ``*``), else the loaded
    version if ``If-Match`` lists it; 412 if it does not. ETags are compared strongly (RFC 9110), so
    a weak ``W/"3"`` never matches."""
    if if_match is None or if_match.strip() == "*":
        return None
    versions = set()
    for tag in (part.strip() for part in if_match.split(",")):
        if tag.startswith('W/"'):
            continue
        if len(tag) < 3 or not (tag[0] == tag[-1] == '"') or not tag[1:-1].isdigit() or len(tag) > 20:
            raise InvalidInput('If-Match: give the ETag a GET returned, e.g. If-Match: "3"', field="If-Match")
        versions.add(int(tag[1:-1]))
    if case.version not in versions:
        raise CaseChangedError(
            f"the case is now at version {case.version} (ETag {_etag(case)}), not the one in If-Match: "
            "GET it again, check, and send your change with the new ETag"
        )
    return case.version


@router.get("/{case_id}", response={200: CaseOut, **ERROR_RESPONSES})
def case_detail(request: HttpRequest, case_id: str, response: HttpResponse) -> CaseOut:
    """The case; its ``ETag`` header is its version, for ``If-Match`` on a later PATCH."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, part=Part.CLINICAL)
    response["ETag"] = _etag(case)
    return case_out(_with_latest(case, request), request)


@router.patch("/{case_id}", response={200: CaseOut, **ERROR_RESPONSES, 412: Errors})
def case_patch(
    request: HttpRequest,
    case_id: str,
    payload: CasePatch,
    response: HttpResponse,
    if_match: str | None = Header(
        None,
        alias="If-Match",
        description='the ETag of a GET, e.g. "3": the change is refused with 412 if the case was changed since. '
        "Without it, the change is written over whatever the case holds (last write wins).",
    ),
) -> CaseOut:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    expected = _expected_version(if_match, case)
    changes = payload.model_dump(exclude_unset=True, exclude={"procedures"})
    procedures = _procedure_inputs(payload.procedures) if payload.procedures is not None else None
    try:
        case = services.case_update(case=case, expected_version=expected, procedures=procedures, **changes)
    except services.CaseChanged as changed:
        raise CaseChangedError(
            f"the case was changed meanwhile: it is now at version {changed.current.version} "
            f"(ETag {_etag(changed.current)}); GET it again, check, and send your change with the new ETag"
        ) from None
    response["ETag"] = _etag(case)
    return case_out(_with_latest(case, request), request)


@router.delete("/{case_id}", response={204: None, **ERROR_RESPONSES})
def case_delete(request: HttpRequest, case_id: str) -> Status[None]:
    services.case_delete(case=selectors.case_get_for_user(user=request.user, case_id=case_id, write=True))
    return Status(204, None)


class DeviceFields(Schema):
    device_type: str
    procedure_id: int | None = None
    manufacturer: str = Field("", max_length=200)
    model: str = Field("", max_length=200)
    lot_number: str = Field("", max_length=100)
    serial_number: str = Field("", max_length=100)
    size: str = Field("", max_length=100)
    placement: str = "unknown"
    fill: str = "unknown"
    side: str = "n/a"


class DeviceIn(Input, DeviceFields):
    pass


class DeviceOut(DeviceFields):
    id: uuid.UUID


def device_out(device: Device) -> DeviceOut:
    return DeviceOut(
        id=device.pk,
        procedure_id=device.procedure_id,
        **{name: getattr(device, name) for name in DeviceFields.model_fields if name != "procedure_id"},
    )


@router.get("/{case_id}/devices", response={200: list[DeviceOut], **ERROR_RESPONSES})
def device_list(request: HttpRequest, case_id: str) -> list[DeviceOut]:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, part=Part.CLINICAL)
    devices = list(case.devices.all())
    if case.access.deidentified:  # type: ignore[attr-defined]  # lot and serial numbers trace back to the patient
        for device in devices:
            device.lot_number = device.serial_number = ""
    return [device_out(d) for d in devices]


@router.post("/{case_id}/devices", response={201: DeviceOut, **ERROR_RESPONSES})
def device_create(request: HttpRequest, case_id: str, payload: DeviceIn) -> Status[DeviceOut]:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    data = payload.model_dump()
    device = services.device_add(case=case, procedure_id=data.pop("procedure_id"), **data)
    return Status(201, device_out(device))


@router.delete("/{case_id}/devices/{device_id}", response={204: None, **ERROR_RESPONSES})
def device_delete(request: HttpRequest, case_id: str, device_id: str) -> Status[None]:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    services.device_delete(device=selectors.device_get(case=case, device_id=device_id))
    return Status(204, None)


class DocumentOut(Schema):
    id: uuid.UUID
    document_type: str
    title: str
    document_date: dt.date | None
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


def document_out(document: Document) -> DocumentOut:
    return DocumentOut.from_orm(document)


@router.get("/{case_id}/documents", response={200: list[DocumentOut], **ERROR_RESPONSES})
def document_list(request: HttpRequest, case_id: str) -> list[DocumentOut]:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    return [document_out(d) for d in case.documents.all()]


@router.post("/{case_id}/documents", response={201: DocumentOut, **ERROR_RESPONSES})
def document_create(
    request: HttpRequest,
    case_id: str,
    file: File[UploadedFile],
    document_type: Form[DocumentType],
    title: Form[str] = "",
    document_date: OptionalFormDate = Form(None),
) -> Status[DocumentOut]:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    document = services.document_add(
        case=case,
        user=request.user,
        data=read_upload(file),
        original_name=file.name or "",
        document_type=document_type.value,
        title=form_text(title, field="title")[:200],
        document_date=document_date,
    )
    return Status(201, document_out(document))


@router.get("/{case_id}/documents/{document_id}/file", response={200: None, **ERROR_RESPONSES})
def document_file(request: HttpRequest, case_id: str, document_id: str) -> FileResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    document = selectors.document_get(case=case, document_id=document_id)
    audit.access_detail(
        action=Action.DOWNLOAD, object_type="document", object_id=document.pk, date=document.document_date
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        content_type=document.content_type,
        filename=f"document-{document.pk.hex[:8]}{document.file.name[document.file.name.rfind('.') :]}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete("/{case_id}/documents/{document_id}", response={204: None, **ERROR_RESPONSES})
def document_delete(request: HttpRequest, case_id: str, document_id: str) -> Status[None]:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    services.document_delete(document=selectors.document_get(case=case, document_id=document_id))
    return Status(204, None)
