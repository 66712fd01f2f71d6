"""A case as a FHIR R4B ``collection`` Bundle (the mapping is in ``docs/fhir.md``).

The export reads the case with one prefetch (a fixed number of queries however long the diary is),
writes no row and reads no file. The same rows on the same day give the same bytes: nothing in the
Bundle depends on who asks or on the time of the request, so a reader with a share sees exactly what
the owner sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from fhir.resources.R4B.bundle import Bundle

from revisio import kb
from revisio.cases.models import Case, CaseProcedure, Device, Document, DocumentType
from revisio.diary.models import CheckIn, Photo, PhotoMeasurement
from revisio.dossier import downloads
from revisio.dossier.models import Dossier, DossierStatus
from revisio.escalation.models import Channel, Communication, ComplaintApplication, Counterpart, Direction
from revisio.fhir import codes
from revisio.fhir.elements import JSON, annotations, coding, compact, concept, day, instant, reference
from revisio.fhir.observations import checkin_resources, condition_resources, photo_resources
from revisio.recovery.adapter import assess_case


@dataclass(frozen=True)
class Context:
    """What every resource builder needs: the case, today, and the fullUrls of the shared resources."""

    case: Case
    today: dt.date
    patient: str
    practitioner: str | None
    organization: str | None
    site_url: str

    def url(self, row: Any, *parts: object) -> str:
        """The fullUrl of a row: its own UUID, or one derived from the case for rows without one."""
        own = getattr(row, "pk", None)
        if parts or not hasattr(own, "hex"):
            return codes.urn(codes.derived_uuid(self.case.pk, type(row).__name__, own, *parts))
        return codes.urn(own)

    def link(self, name: str, **kwargs: Any) -> str:
        return self.site_url.rstrip("/") + reverse(f"api:{name}", kwargs={"case_id": self.case.pk, **kwargs})


def export_rows(*, case: Case) -> Case:
    """The case with everything the export reads prefetched, in a fixed number of queries."""
    return (
        Case.objects.filter(pk=case.pk)
        .select_related("owner")
        .prefetch_related(
            Prefetch("procedures", queryset=CaseProcedure.objects.order_by("surgery_date", "id")),
            Prefetch("devices", queryset=Device.objects.order_by("created_at", "id")),
            Prefetch("checkins", queryset=CheckIn.objects.order_by("date", "created_at")),
            Prefetch(
                "photos",
                queryset=Photo.objects.order_by("taken_on", "created_at").prefetch_related(
                    Prefetch("measurements", queryset=PhotoMeasurement.objects.order_by("-created_at"))
                ),
            ),
            Prefetch("documents", queryset=Document.objects.order_by("uploaded_at", "id")),
            Prefetch(
                "communications",
                queryset=Communication.objects.order_by("occurred_on", "created_at").prefetch_related(
                    "photos", "documents"
                ),
            ),
            "step_states",
            Prefetch("applications", queryset=ComplaintApplication.objects.order_by("created_at", "id")),
            Prefetch(
                "dossiers", queryset=Dossier.objects.filter(status=DossierStatus.DONE).order_by("created_at", "id")
            ),
        )
        .get()
    )


def case_bundle(*, case: Case, today: dt.date | None = None) -> Bundle:
    """The case as a validated ``collection`` Bundle; displays are in English."""
    case = export_rows(case=case)
    has_clinic = any(
        getattr(case, name)
        for name in ("clinic_name", "clinic_city", "clinic_country", "clinic_phone", "clinic_email", "clinic_website")
    )
    ctx = Context(
        case=case,
        today=today or timezone.localdate(),
        patient=codes.urn(codes.derived_uuid(case.pk, "patient")),
        practitioner=codes.urn(codes.derived_uuid(case.pk, "practitioner")) if case.surgeon_name else None,
        organization=codes.urn(codes.derived_uuid(case.pk, "organization")) if has_clinic else None,
        site_url=settings.SITE_URL,
    )
    with translation.override("en"):
        resources = _resources(ctx)
    data = {
        "resourceType": "Bundle",
        "identifier": {"system": codes.ID_CASE, "value": str(case.pk)},
        "type": "collection",
        "entry": [
            {"fullUrl": full_url, "resource": {"id": full_url.removeprefix("urn:uuid:"), **resource}}
            for full_url, resource in resources
        ],
    }
    return Bundle.model_validate(data)


def _resources(ctx: Context) -> list[tuple[str, JSON]]:
    case = ctx.case
    checkins = list(case.checkins.all())
    conditions = condition_resources(ctx, checkins)
    resources: list[tuple[str, JSON]] = [(ctx.patient, _patient(ctx))]
    if ctx.practitioner:
        resources.append((ctx.practitioner, {"resourceType": "Practitioner", "name": [{"text": case.surgeon_name}]}))
    if ctx.organization:
        resources.append((ctx.organization, _organization(case)))
    resources.append((ctx.url(case, "care-plan"), _care_plan(ctx, conditions)))
    for procedure in case.procedures.all():
        resources.append((ctx.url(procedure), _procedure(ctx, procedure, conditions)))
    for device in case.devices.all():
        resources.append((ctx.url(device), _device(ctx, device)))
    for checkin in checkins:
        resources.extend(checkin_resources(ctx, checkin))
    resources.extend((url, resource) for url, resource, _ in conditions)
    for photo in case.photos.all():
        resources.extend(photo_resources(ctx, photo))
    for document in case.documents.all():
        resources.append((ctx.url(document), _document(ctx, document)))
    for dossier in case.dossiers.all():
        resources.append((ctx.url(dossier), _dossier(ctx, dossier)))
    for communication in case.communications.all():
        resources.append((ctx.url(communication), _communication(ctx, communication)))
    for application in case.applications.all():
        resources.append((ctx.url(application), _application(ctx, application)))
    return resources


def _patient(ctx: Context) -> JSON:
    """Name, languages and country of residence. No e-mail: it is the account's sign-in, not a contact
    the patient chose to give the people this Bundle goes to."""
    owner = ctx.case.owner
    languages = [
        {"language": concept(coding(codes.BCP47, language)), **({"preferred": True} if index == 0 else {})}
        for index, language in enumerate(owner.languages)
    ]
    return compact(
        {
            "resourceType": "Patient",
            "name": [{"text": owner.display_name}] if owner.display_name else [],
            "address": [{"country": owner.country_of_residence}] if owner.country_of_residence else [],
            "communication": languages,
        }
    )


def _organization(case: Case) -> JSON:
    telecom = [
        {"system": name, "value": value}
        for name, value in (("phone", case.clinic_phone), ("email", case.clinic_email), ("url", case.clinic_website))
        if value
    ]
    address = compact({"city": case.clinic_city, "country": case.clinic_country})
    return compact({"resourceType": "Organization", "name": case.clinic_name, "telecom": telecom, "address": [address]})


def _procedure(ctx: Context, row: CaseProcedure, conditions: list[tuple[str, JSON, set[str]]]) -> JSON:
    record = kb.load().procedures.get(row.procedure)
    codings = [coding(codes.PROCEDURE, row.procedure, record.names.en if record else None)]
    if row.procedure in codes.PROCEDURE_SNOMED:
        codings.append(coding(codes.SNOMED, *codes.PROCEDURE_SNOMED[row.procedure]))
    performer: JSON = {}
    if ctx.practitioner:
        performer = {"actor": reference(ctx.practitioner)}
        if ctx.organization:
            performer["onBehalfOf"] = reference(ctx.organization)
    elif ctx.organization:
        performer = {"actor": reference(ctx.organization)}
    anaesthesia = coding(codes.ANAESTHESIA, row.anaesthesia, str(row.get_anaesthesia_display()))
    return compact(
        {
            "resourceType": "Procedure",
            "extension": [{"url": codes.EXT_ANAESTHESIA, "valueCoding": anaesthesia}],
            "status": "completed" if row.surgery_date <= ctx.today else "preparation",
            "code": concept(*codings, text=record.names.en if record else row.procedure),
            "subject": reference(ctx.patient),
            "performedDateTime": day(row.surgery_date),
            "performer": [performer] if performer else [],
            "complicationDetail": [reference(url) for url, _, procedures in conditions if row.procedure in procedures],
            "focalDevice": [
                {"manipulated": reference(ctx.url(d))} for d in ctx.case.devices.all() if d.procedure_id == row.pk
            ],
            "note": annotations(row.notes),
        }
    )


def _device(ctx: Context, row: Device) -> JSON:
    codings = [coding(codes.DEVICE_TYPE, row.device_type, str(row.get_device_type_display()))]
    if row.device_type == "breast-implant" and row.fill in codes.IMPLANT_FILL_CODES:
        codings.append(coding(*codes.IMPLANT_FILL_CODES[row.fill]))  # type: ignore[index]
    placement = [coding(codes.PLACEMENT, row.placement, str(row.get_placement_display()))]
    if row.device_type == "breast-implant" and row.placement in codes.PLACEMENT_DICOM:
        placement.append(coding(codes.DICOM, *codes.PLACEMENT_DICOM[row.placement]))  # type: ignore[index]

    def prop(name: str, value: JSON) -> JSON:
        return {
            "type": concept(coding(codes.DEVICE_PROPERTY, name, codes.DEVICE_PROPERTIES[name])),
            "valueCode": [value],
        }

    properties = [prop("size", concept(text=row.size))] if row.size else []
    properties += [
        prop("placement", concept(*placement)),
        prop("fill", concept(coding(codes.FILL, row.fill, str(row.get_fill_display())))),
        prop("side", concept(coding(codes.SIDE, row.side, str(row.get_side_display())))),
    ]
    return compact(
        {
            "resourceType": "Device",
            "manufacturer": row.manufacturer,
            "lotNumber": row.lot_number,
            "serialNumber": row.serial_number,
            "modelNumber": row.model,
            "type": concept(*codings, text=str(row.get_device_type_display())),
            "property": properties,
            "patient": reference(ctx.patient),
        }
    )


def _document(ctx: Context, row: Document) -> JSON:
    label = str(DocumentType(row.document_type).label)
    attachment = compact(
        {
            "extension": [{"url": codes.EXT_SHA256, "valueString": row.sha256}],
            "contentType": row.content_type,
            "url": ctx.link("document_file", document_id=row.pk),
            "size": row.size,
            "title": row.title,
            "creation": day(row.document_date) if row.document_date else None,
        }
    )
    return compact(
        {
            "resourceType": "DocumentReference",
            "identifier": [{"system": codes.ID_SHA256_ORIGINAL, "value": row.sha256_original}],
            "status": "current",
            "type": concept(coding(codes.DOCUMENT_TYPE, row.document_type, label), text=label),
            "subject": reference(ctx.patient),
            "date": instant(row.uploaded_at),
            "description": row.title,
            "content": [{"attachment": attachment}],
        }
    )


def _dossier(ctx: Context, row: Dossier) -> JSON:
    """A finished evidence dossier: one content entry per file (the PDF, the ZIP of originals with its
    manifest, the K-medi draft), each linked to its download and carrying its SHA-256."""
    content = [
        {
            "attachment": {
                "extension": [{"url": codes.EXT_SHA256, "valueString": getattr(row, download.hash_field)}],
                "contentType": download.content_type,
                "url": ctx.link("dossier_file", dossier_id=row.pk, kind=kind),
                "title": DOSSIER_TITLES[kind],
            }
        }
        for kind, download in downloads.available(row)
    ]
    return compact(
        {
            "resourceType": "DocumentReference",
            "status": "current",
            "type": concept(
                coding(codes.DOCUMENT_TYPE, codes.EVIDENCE_DOSSIER, "Evidence dossier"), text="Evidence dossier"
            ),
            "subject": reference(ctx.patient),
            "date": instant(row.finished_at or row.created_at),
            "description": f"Evidence dossier of the case (knowledge base {row.kb_version})",
            "content": content,
        }
    )


DOSSIER_TITLES = {
    "pdf": "Evidence dossier (PDF)",
    "zip": "Original files and manifest.json (ZIP)",
    "draft": "Draft account of the medical accident for K-medi (PDF)",
}


def _activity_status(start: dt.date, end: dt.date | None, today: dt.date) -> str:
    """A milestone's status on ``today``: it is a window in time, not something anybody ticks off."""
    if start > today:
        return "scheduled"
    return "completed" if end is not None and end < today else "in-progress"


def _milestones(ctx: Context) -> list[JSON]:
    procedures = list(ctx.case.procedures.all())
    if not procedures:
        return []
    on = max([ctx.today, *(p.surgery_date for p in procedures)])
    course = assess_case(procedures=procedures, on=on, symptoms=[], concerns=[], temperature_c=None, country=None)
    activities = []
    for timing in course.procedures:
        windows = [(m.id, m.label.en, m.date_from, m.date_to) for m in timing.milestones]
        if timing.final_result_from and timing.final_result_by:
            windows.append(
                ("final-result", "The result can be judged", timing.final_result_from, timing.final_result_by)
            )
        for milestone, label, start, end in windows:
            detail = {
                "code": concept(coding(codes.MILESTONE, f"{timing.procedure}/{milestone}")),
                "status": _activity_status(start, end, ctx.today),
                "scheduledPeriod": {"start": day(start), "end": day(end)},
                "description": label,
            }
            activities.append({"detail": detail})
    return activities


def _care_plan(ctx: Context, conditions: list[tuple[str, JSON, set[str]]]) -> JSON:
    """The case itself: its title and notes, the recovery milestones and the escalation steps."""
    case = ctx.case
    steps = []
    for state in sorted(case.step_states.all(), key=lambda s: (s.first_suggested_on, s.step)):
        detail = compact(
            {
                "code": concept(coding(codes.ESCALATION_STEP, state.step)),
                "status": "completed" if state.done_on else "scheduled",
                "scheduledPeriod": compact(
                    {"start": day(state.first_suggested_on), "end": day(state.due_on) if state.due_on else None}
                ),
                "description": state.note,
            }
        )
        progress = [{"time": day(state.done_on), "text": "Done"}] if state.done_on else []
        steps.append(compact({"detail": detail, "progress": progress}))
    surgery_dates = [p.surgery_date for p in case.procedures.all()]
    leaving = [{"url": codes.EXT_LEAVING_ON, "valueDate": day(case.leaving_on)}] if case.leaving_on else []
    return compact(
        {
            "resourceType": "CarePlan",
            "extension": leaving,
            "status": "active",
            "intent": "plan",
            "title": case.title,
            "description": case.notes,
            "subject": reference(ctx.patient),
            "period": {"start": day(min(surgery_dates))} if surgery_dates else None,
            "created": instant(case.created_at),
            "addresses": [reference(url) for url, _, _ in conditions],
            "activity": _milestones(ctx) + steps,
        }
    )


def _party(ctx: Context, row: Communication) -> JSON | None:
    """The other side of an exchange: the clinic or surgeon of the Bundle when it is them, else the name
    given (the kind of party travels in the counterpart extension either way)."""
    if row.counterpart == Counterpart.CLINIC and ctx.organization:
        return reference(ctx.organization, row.counterpart_name or None)
    if row.counterpart == Counterpart.SURGEON and ctx.practitioner:
        return reference(ctx.practitioner, row.counterpart_name or None)
    return {"display": row.counterpart_name} if row.counterpart_name else None


def _communication(ctx: Context, row: Communication) -> JSON:
    sent = row.direction == Direction.SENT
    me, them = reference(ctx.patient), _party(ctx, row)
    payload: list[JSON] = [{"contentString": row.body}] if row.body else []
    payload += [{"contentReference": reference(ctx.url(photo))} for photo in row.photos.all()]
    payload += [{"contentReference": reference(ctx.url(document))} for document in row.documents.all()]
    counterpart = coding(codes.COUNTERPART, row.counterpart, str(Counterpart(row.counterpart).label))
    return compact(
        {
            "resourceType": "Communication",
            "language": row.language,
            "extension": [{"url": codes.EXT_COUNTERPART, "valueCoding": counterpart}],
            "status": "completed",
            "medium": [concept(coding(codes.CHANNEL, row.channel, str(Channel(row.channel).label)))],
            "subject": reference(ctx.patient),
            "topic": {"text": row.summary},
            "sent": day(row.occurred_on) if sent else None,
            "received": None if sent else day(row.occurred_on),
            "recipient": [party for party in [them if sent else me] if party],
            "sender": me if sent else them,
            "payload": payload,
        }
    )


def _application(ctx: Context, row: ComplaintApplication) -> JSON:
    body = kb.load().complaint_bodies.get(row.body)
    status = coding(codes.APPLICATION_STATUS, row.status, str(row.get_status_display()))
    amount = (
        [
            {
                "type": concept(coding(codes.TASK_INPUT, "claim-amount", "Amount claimed")),
                "valueMoney": compact({"value": row.claim_amount, "currency": row.claim_currency}),
            }
        ]
        if row.claim_amount is not None
        else []
    )
    return compact(
        {
            "resourceType": "Task",
            "identifier": [{"system": codes.ID_COMPLAINT_REFERENCE, "value": row.reference}] if row.reference else [],
            "basedOn": [reference(ctx.url(ctx.case, "care-plan"))],
            "status": codes.APPLICATION_TASK_STATUS[row.status],  # type: ignore[index]
            "businessStatus": concept(status),
            "intent": "plan",
            "code": concept(coding(codes.TASK, "complaint-application", "Complaint or mediation application")),
            "for": reference(ctx.patient),
            "executionPeriod": {"start": day(row.filed_on)} if row.filed_on else None,
            "authoredOn": instant(row.created_at),
            "owner": {
                "identifier": {"system": codes.ID_COMPLAINT_BODY, "value": row.body},
                **({"display": body.names.en} if body else {}),
            },
            "input": amount,
            "note": annotations(row.note),
        }
    )
