"""The diary as FHIR: check-ins as Observations, the complications their assessments name as
Conditions, photos as Media with their measurements as Observations.

A check-in is one assessment Observation (the level, each finding as a component) derived from one
Observation per reported value: a symptom or concern (``valueBoolean`` true), the pain score and the
body temperature.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from revisio import kb
from revisio.diary.models import BodyArea, CheckIn, Level, MeasurementKind, MeasurementStatus, Photo, View
from revisio.fhir import codes
from revisio.fhir.elements import JSON, annotations, coding, compact, concept, day, instant, reference
from revisio.fhir.ucum import measure_unit

if TYPE_CHECKING:
    from revisio.fhir.export import Context

SURVEY = concept(coding(codes.OBSERVATION_CATEGORY, "survey", "Survey"))
VITAL_SIGNS = concept(coding(codes.OBSERVATION_CATEGORY, "vital-signs", "Vital Signs"))
IMAGING = concept(coding(codes.OBSERVATION_CATEGORY, "imaging", "Imaging"))
# The kinds of finding that name a complication (``revisio.engine.FindingKind``).
COMPLICATION_KINDS = ("red-flag", "complication-sign")


def _english(message: Any) -> str:
    return str(message.get("en", "")) if isinstance(message, dict) else str(message or "")


def level_coding(level: str) -> JSON:
    return coding(codes.LEVEL, level, str(Level(level).label) if level in Level.values else None)


def complication_of(finding_id: str) -> str | None:
    """The complication a sign finding names: ``[<procedure>/]sign/<complication>/<rule>``."""
    parts = finding_id.split("/")
    if "sign" in parts[:-2]:
        return parts[parts.index("sign") + 1]
    return None


def _value(ctx: Context, checkin: CheckIn, code: JSON, category: JSON, name: str, **value: Any) -> tuple[str, JSON]:
    url = ctx.url(checkin, name)
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "category": [category],
        "code": code,
        "subject": reference(ctx.patient),
        "effectiveDateTime": day(checkin.date),
        "issued": instant(checkin.created_at),
        "performer": [reference(ctx.patient)],
        **value,
    }
    return url, resource


def checkin_resources(ctx: Context, checkin: CheckIn) -> list[tuple[str, JSON]]:
    base = kb.load()
    values: list[tuple[str, JSON]] = []
    for kind, system, known, ids in (
        ("symptom", codes.SYMPTOM, base.symptoms, checkin.symptoms),
        ("concern", codes.CONCERN, base.concerns, checkin.concerns),
    ):
        for item in ids:
            record = known.get(item)
            label = record.label.en if record else None
            code = concept(coding(system, item, label), text=label)
            values.append(_value(ctx, checkin, code, SURVEY, f"{kind}/{item}", valueBoolean=True))
    if checkin.pain is not None:
        code = concept(
            coding(codes.LOINC, *codes.LOINC_PAIN),
            coding(codes.OBSERVATION, "pain-score", codes.OBSERVATION_CODES["pain-score"]),
            text="Pain (0-10)",
        )
        quantity = {"value": checkin.pain, "unit": "score", "system": codes.UCUM, "code": "{score}"}
        values.append(_value(ctx, checkin, code, SURVEY, "pain", valueQuantity=quantity))
    if checkin.temperature_c is not None:
        code = concept(
            coding(codes.LOINC, *codes.LOINC_BODY_TEMPERATURE),
            coding(codes.OBSERVATION, "body-temperature", codes.OBSERVATION_CODES["body-temperature"]),
            text="Body temperature",
        )
        quantity = {"value": checkin.temperature_c, "unit": "°C", "system": codes.UCUM, "code": "Cel"}
        values.append(_value(ctx, checkin, code, VITAL_SIGNS, "temperature", valueQuantity=quantity))
    assessment = compact(
        {
            "resourceType": "Observation",
            "extension": [{"url": codes.EXT_KB_VERSION, "valueString": checkin.kb_version}],
            "status": "final",
            "code": concept(
                coding(codes.OBSERVATION, "recovery-assessment", codes.OBSERVATION_CODES["recovery-assessment"])
            ),
            "subject": reference(ctx.patient),
            "effectiveDateTime": day(checkin.date),
            "issued": instant(checkin.created_at),
            "valueCodeableConcept": concept(level_coding(checkin.level)),
            "note": annotations(checkin.notes),
            "derivedFrom": [reference(url) for url, _ in values],
            "component": [_finding(f) for f in checkin.assessment.get("findings", [])],
        }
    )
    return [(ctx.url(checkin), assessment), *values]


def _finding(finding: dict[str, Any]) -> JSON:
    base = kb.load()
    sources = [
        {
            "url": codes.EXT_FINDING_SOURCE,
            "valueCoding": coding(codes.SOURCE, s, getattr(base.sources.get(s), "title", None)),
        }
        for s in finding.get("sources", [])
    ]
    return {
        "extension": [{"url": codes.EXT_FINDING_KIND, "valueCode": finding["kind"]}, *sources],
        "code": concept(coding(codes.FINDING, finding["id"]), text=_english(finding.get("message"))),
        "valueCodeableConcept": concept(level_coding(finding["level"])),
    }


def condition_resources(ctx: Context, checkins: Sequence[CheckIn]) -> list[tuple[str, JSON, set[str]]]:
    """One Condition per complication the check-ins' findings name, with the procedures they were about.

    Possible, not diagnosed: ``unconfirmed``, and ``active`` only while the latest check-in still names it.
    """
    named: dict[str, dict[str, Any]] = {}
    for checkin in checkins:  # oldest first
        for finding in checkin.assessment.get("findings", []):
            complication = complication_of(finding["id"])
            if finding["kind"] not in COMPLICATION_KINDS or complication is None:
                continue
            entry = named.setdefault(
                complication, {"onset": checkin.date, "kinds": set(), "evidence": [], "procedures": set()}
            )
            entry["kinds"].add(finding["kind"])
            if ctx.url(checkin) not in entry["evidence"]:
                entry["evidence"].append(ctx.url(checkin))
            if finding.get("procedure"):
                entry["procedures"].add(finding["procedure"])
    latest = ctx.url(checkins[-1]) if checkins else None
    base = kb.load()
    result = []
    for complication, entry in sorted(named.items(), key=lambda item: (item[1]["onset"], item[0])):
        record = base.complications.get(complication)
        name = record.names.en if record else complication
        kind = "red-flag" if "red-flag" in entry["kinds"] else "complication-sign"
        status = "active" if latest in entry["evidence"] else "inactive"
        resource = {
            "resourceType": "Condition",
            "clinicalStatus": concept(coding(codes.CONDITION_CLINICAL, status)),
            "verificationStatus": concept(coding(codes.CONDITION_VERIFICATION, "unconfirmed")),
            "category": [concept(coding(codes.FINDING_KIND, kind))],
            "code": concept(coding(codes.COMPLICATION, complication, name), text=name),
            "subject": reference(ctx.patient),
            "onsetDateTime": day(entry["onset"]),
            "evidence": [{"detail": [reference(url) for url in entry["evidence"]]}],
            "note": annotations(
                "A possible sign named by Revisio's recovery check from what the patient reported; not a diagnosis."
            ),
        }
        result.append((ctx.url(ctx.case, "condition", complication), resource, entry["procedures"]))
    return result


def photo_resources(ctx: Context, photo: Photo) -> list[tuple[str, JSON]]:
    """The photo as Media (the image by URL, its SHA-256 in an extension) and its current measurements."""
    area = str(BodyArea(photo.body_area).label)
    body_site = concept(coding(codes.BODY_AREA, photo.body_area, area), text=area)
    content = {
        "extension": [{"url": codes.EXT_SHA256, "valueString": photo.sha256_stored}],
        "contentType": photo.content_type,
        "url": ctx.link("photo_image", photo_id=photo.pk),
        "size": photo.size,
    }
    media = compact(
        {
            "resourceType": "Media",
            "identifier": [{"system": codes.ID_SHA256_ORIGINAL, "value": photo.sha256_original}],
            "partOf": [reference(codes.urn(photo.checkin_id))] if photo.checkin_id else [],
            "status": "completed",
            "type": concept(coding(codes.MEDIA_TYPE, "image", "Image")),
            "view": concept(coding(codes.PHOTO_VIEW, photo.view, str(View(photo.view).label))),
            "subject": reference(ctx.patient),
            "createdDateTime": day(photo.taken_on),
            "issued": instant(photo.created_at),
            "bodySite": body_site,
            "height": photo.height,
            "width": photo.width,
            "content": content,
        }
    )
    resources = [(ctx.url(photo), media)]
    current: dict[str, Any] = {}
    for measurement in photo.measurements.all():  # newest first: a correction adds a row, the newest counts
        current.setdefault(measurement.kind, measurement)
    for kind in sorted(current):
        resources.append((ctx.url(current[kind]), _measurement(ctx, photo, current[kind], body_site)))
    return resources


def _measurement(ctx: Context, photo: Photo, row: Any, body_site: JSON) -> JSON:
    done = row.status == MeasurementStatus.DONE
    components = []
    for name in sorted(row.metrics):
        value = row.metrics[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        code, unit = measure_unit(str(row.units.get(name, "")))
        components.append(
            {
                "code": concept(coding(codes.METRIC, name)),
                "valueQuantity": {"value": round(float(value), 4), "unit": unit, "system": codes.UCUM, "code": code},
            }
        )
    extensions = []
    if row.landmarks_source:
        extensions.append({"url": codes.EXT_LANDMARKS_SOURCE, "valueCode": row.landmarks_source})
    if done:
        extensions.append({"url": codes.EXT_VALIDATED, "valueBoolean": row.validated})
    label = str(MeasurementKind(row.kind).label)
    return compact(
        {
            "resourceType": "Observation",
            "extension": extensions,
            "status": "final" if done else "cancelled",
            "category": [IMAGING],
            "code": concept(coding(codes.MEASUREMENT, row.kind, label), text=label),
            "subject": reference(ctx.patient),
            "effectiveDateTime": day(photo.taken_on),
            "issued": instant(row.created_at),
            "dataAbsentReason": None if done else concept(coding(codes.DATA_ABSENT_REASON, "error", "Error")),
            "bodySite": body_site,
            "method": {"text": row.method} if row.method else None,
            "derivedFrom": [reference(ctx.url(photo))],
            "note": annotations(row.validation, *row.warnings, row.error),
            "component": components,
        }
    )
