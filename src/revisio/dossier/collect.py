"""Gather a dossier's facts from a case fetched with ``selectors.dossier_case`` (photos: ``collect_photos``).

No queries of its own beyond that prefetch, and no file reads (``attachments`` reads the files).
Every label is resolved here in both languages, so the templates only lay things out.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from typing import Any

from revisio import kb
from revisio.cases.models import Anaesthesia, Case, Device, Document
from revisio.diary.models import CheckIn, Level
from revisio.dossier.collect_photos import day_of, document_zip_path, photo_fact, photo_zip_path, trends
from revisio.dossier.facts import (
    ApplicationFact,
    CheckInFact,
    CommunicationFact,
    DeviceFact,
    DocumentFact,
    Facts,
    FindingFact,
    PartyFacts,
    ProcedureFact,
    SourceFact,
    StepFact,
)
from revisio.dossier.labels import Bi, both, same
from revisio.escalation.models import Communication, ComplaintApplication, StepState
from revisio.web.countries import country_name
from revisio.web.templatetags.revisio import FINDING_KINDS, QUALITY_LABELS


def collect(*, case: Case, dossier_id: str, language: str, made_at: dt.datetime) -> Facts:
    """The facts of ``case`` (prefetched by ``selectors.dossier_case``) as of ``made_at`` (aware)."""
    base = kb.load()
    owner = case.owner
    procedures = list(case.procedures.all())
    surgery_dates = [p.surgery_date for p in procedures]
    photos = list(case.photos.all())
    numbers: dict[str, int] = {}  # source ID -> its number in the Sources section, in order of citation
    checkins = tuple(_checkin(c, surgery_dates, language, numbers, base) for c in case.checkins.all())
    charts = trends(photos, surgery_dates, language)
    try:
        zone = zoneinfo.ZoneInfo(owner.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return Facts(
        dossier_id=dossier_id,
        case_id=str(case.pk),
        case_title=case.title,
        language=language,
        made_at=made_at.astimezone(dt.UTC),
        made_at_local=made_at.astimezone(zone),
        time_zone=str(zone),
        kb_version=base.version,
        party=_party(case, language),
        leaving_on=case.leaving_on,
        procedures=tuple(
            _procedure(p.procedure, p.surgery_date, p.anaesthesia, p.notes, language, base) for p in procedures
        ),
        checkins=checkins,
        photos=tuple(photo_fact(p, surgery_dates, language) for p in photos),
        documents=tuple(_document(d, language) for d in sorted(case.documents.all(), key=_document_order)),
        devices=tuple(_device(d, language, base) for d in case.devices.all()),
        communications=tuple(_communication(c, language) for c in case.communications.all()),
        steps=tuple(_step(s, language, base) for s in case.step_states.all()),
        applications=tuple(
            _application(a, language, base) for a in sorted(case.applications.all(), key=lambda a: a.created_at)
        ),
        sources=tuple(_source(source_id, number, language, base) for source_id, number in numbers.items()),
        kb_versions=tuple(sorted(Counter(c.kb_version for c in checkins).items())),
        trends=charts,
    )


def _party(case: Case, language: str) -> PartyFacts:
    owner = case.owner
    return PartyFacts(
        patient_name=owner.display_name,
        patient_email=owner.email,
        residence=_country(owner.country_of_residence, language),
        clinic_name=case.clinic_name,
        clinic_city=case.clinic_city,
        clinic_country=_country(case.clinic_country, language),
        clinic_phone=case.clinic_phone,
        clinic_email=case.clinic_email,
        clinic_website=case.clinic_website,
        surgeon_name=case.surgeon_name,
    )


def _country(code: str, language: str) -> Bi | None:
    if not code:
        return None
    return Bi(country_name(code, language), country_name(code, "ko"), language)


def _kb_text(text: Any, language: str) -> Bi:
    """A knowledge-base ``Text`` or a stored ``{"en": ..., "ko": ...}`` message."""
    if isinstance(text, dict):
        return Bi(text.get(language) or text.get("en", ""), text.get("ko") or text.get("en", ""), language)
    return Bi(text.get(language), text.get("ko"), language)


def _procedure(
    procedure_id: str, surgery_date: dt.date, anaesthesia: str, notes: str, language: str, base: kb.KnowledgeBase
) -> ProcedureFact:
    record = base.procedures.get(procedure_id)
    name = _kb_text(record.names, language) if record else same(procedure_id, language)
    return ProcedureFact(name, surgery_date, both(language, lambda: Anaesthesia(anaesthesia).label), notes)


def _vocabulary(ids: list[str], language: str, base: kb.KnowledgeBase) -> tuple[Bi, ...]:
    labelled = []
    for item in ids:
        record = base.symptoms.get(item) or base.concerns.get(item)
        labelled.append(_kb_text(record.label, language) if record else same(item, language))
    return tuple(labelled)


def _level(level: str, language: str) -> Bi:
    if level not in Level.values:
        return same(level, language)
    return both(language, lambda: Level(level).label)


def _checkin(
    checkin: CheckIn, surgery_dates: list[dt.date], language: str, numbers: dict[str, int], base: kb.KnowledgeBase
) -> CheckInFact:
    stored = checkin.assessment or {}
    findings = []
    for finding in stored.get("findings", []):
        for source_id in finding.get("sources", []):
            numbers.setdefault(source_id, len(numbers) + 1)
        kind = finding.get("kind", "")
        findings.append(
            FindingFact(
                level=finding.get("level", ""),
                level_label=_level(finding.get("level", ""), language),
                kind=both(language, lambda kind=kind: FINDING_KINDS.get(kind, kind)),
                message=_kb_text(finding.get("message", {}), language),
                sources=tuple(numbers[s] for s in finding.get("sources", [])),
            )
        )
    return CheckInFact(
        id=str(checkin.pk),
        date=checkin.date,
        day=day_of(checkin.date, surgery_dates),
        level=checkin.level,
        level_label=_level(checkin.level, language),
        symptoms=_vocabulary(checkin.symptoms, language, base),
        concerns=_vocabulary(checkin.concerns, language, base),
        pain=checkin.pain,
        temperature_c=checkin.temperature_c,
        notes=checkin.notes,
        kb_version=checkin.kb_version,
        findings=tuple(findings),
        next_steps=tuple(_kb_text(step, language) for step in stored.get("next_steps", [])),
    )


def _document_order(document: Document) -> tuple[dt.date, dt.datetime]:
    return (document.document_date or document.uploaded_at.date(), document.uploaded_at)


def _document(document: Document, language: str) -> DocumentFact:
    return DocumentFact(
        id=str(document.pk),
        title=document.title,
        type_label=both(language, document.get_document_type_display),
        document_date=document.document_date,
        uploaded_on=document.uploaded_at.date(),
        size=document.size,
        sha256=document.sha256,
        sha256_original=document.sha256_original,
        original_name=document.original_name,
        storage_name=document.file.name,
        zip_path=document_zip_path(document),
    )


def _device(device: Device, language: str, base: kb.KnowledgeBase) -> DeviceFact:
    procedure = None
    if device.procedure is not None:
        record = base.procedures.get(device.procedure.procedure)
        procedure = _kb_text(record.names, language) if record else same(device.procedure.procedure, language)
    return DeviceFact(
        type_label=both(language, device.get_device_type_display),
        manufacturer=device.manufacturer,
        model=device.model,
        lot_number=device.lot_number,
        serial_number=device.serial_number,
        size=device.size,
        placement=both(language, device.get_placement_display),
        fill=both(language, device.get_fill_display),
        side=both(language, device.get_side_display),
        procedure=procedure,
    )


def _communication(message: Communication, language: str) -> CommunicationFact:
    attachments = [photo_zip_path(p) for p in message.photos.all()]
    attachments += [document_zip_path(d) for d in message.documents.all()]
    return CommunicationFact(
        id=str(message.pk),
        occurred_on=message.occurred_on,
        sent=message.direction == "sent",
        direction=both(language, message.get_direction_display),
        channel=both(language, message.get_channel_display),
        counterpart=message.counterpart,
        counterpart_label=both(language, message.get_counterpart_display),
        counterpart_name=message.counterpart_name,
        summary=message.summary,
        body=message.body,
        language=message.language,
        attachments=tuple(attachments),
    )


def _step(state: StepState, language: str, base: kb.KnowledgeBase) -> StepFact:
    record = base.steps.get(state.step)
    return StepFact(
        title=_kb_text(record.title, language) if record else same(state.step, language),
        first_suggested_on=state.first_suggested_on,
        due_on=state.due_on,
        done_on=state.done_on,
        note=state.note,
    )


def _application(application: ComplaintApplication, language: str, base: kb.KnowledgeBase) -> ApplicationFact:
    record = base.complaint_bodies.get(application.body)
    claim = ""
    if application.claim_amount is not None:
        claim = f"{application.claim_amount:,} {application.claim_currency}".strip()
    return ApplicationFact(
        body=_kb_text(record.names, language) if record else same(application.body, language),
        status=both(language, application.get_status_display),
        filed_on=application.filed_on,
        created_on=application.created_at.date(),
        reference=application.reference,
        claim=claim,
        note=application.note,
    )


def _source(source_id: str, number: int, language: str, base: kb.KnowledgeBase) -> SourceFact:
    source = base.sources.get(source_id)
    if source is None:  # cited by an older knowledge base: say so rather than drop it
        return SourceFact(number, source_id, False, "", "", "", None, None)
    address = str(source.url) if source.url else (f"https://doi.org/{source.doi}" if source.doi else "")
    quality = source.quality.value
    return SourceFact(
        number=number,
        id=source.id,
        known=True,
        title=source.title,
        publisher=source.publisher,
        address=address or (source.document or ""),
        quality=both(language, lambda: QUALITY_LABELS.get(quality, quality)),
        accessed=source.accessed,
    )
