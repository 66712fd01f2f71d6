"""What a validated Bundle asks the import to create: the inputs of each service, with the entry each
came from (so a service's error can name it) and what is left out, with the reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from revisio.cases.models import Anaesthesia
from revisio.cases.services import ProcedureInput
from revisio.fhir import codes
from revisio.fhir.check import Problem
from revisio.fhir.elements import codes_of
from revisio.fhir.inputs_escalation import applications, communications, steps
from revisio.fhir.reading import (
    ERROR_STATUSES,
    Bundled,
    Entry,
    ImportRejected,
    Plan,
    Planned,
    a_date,
    a_decimal,
    extension_value,
    first_code,
    notes,
)


def plan_import(bundled: Bundled) -> Plan:
    """Read every entry; raise ``ImportRejected`` listing every problem, or return the plan."""
    plan = Plan()
    procedures = _procedures(bundled, plan)
    clinic, surgeon = _performers(bundled, procedures, plan)
    _case(bundled, plan, clinic, surgeon)
    _devices(bundled, plan, procedures)
    _checkins(bundled, plan)
    communications(bundled, plan)
    applications(bundled, plan)
    for entry in bundled.entries:
        if entry.type in ("Media", "DocumentReference"):
            what = "a photo" if entry.type == "Media" else "a document"
            plan.skip(entry, f"{what}: its bytes are not in the Bundle, so it cannot be stored; upload it again")
        elif entry.type == "Condition":
            plan.derived["conditions"] = plan.derived.get("conditions", 0) + 1
        elif entry.type not in _READ:
            plan.skip(entry, f"Revisio does not import {entry.type} resources")
    if plan.problems:
        raise ImportRejected(sorted(plan.problems, key=_entry_order))
    plan.skipped.sort(key=lambda skipped: skipped.entry)
    return plan


def _entry_order(problem: Problem) -> int:
    """Problems in the order of the entries they are in (``entry[12]`` after ``entry[3]``)."""
    number = problem.path.removeprefix("entry[").partition("]")[0]
    return int(number) if number.isdigit() else -1


_READ = frozenset(
    {
        "Patient",
        "Practitioner",
        "Organization",
        "CarePlan",
        "Procedure",
        "Device",
        "Observation",
        "Communication",
        "Task",
    }
)


def _procedures(bundled: Bundled, plan: Plan) -> list[tuple[Entry, ProcedureInput]]:
    latest = timezone.localdate() + dt.timedelta(days=366)
    for entry in bundled.of_type("Procedure"):
        if entry.get("status") in ERROR_STATUSES:
            plan.skip(entry, f"its status is {entry.get('status')}")
            continue
        procedure = first_code(entry.get("code"), codes.PROCEDURE)
        if procedure is None:
            mapped = [
                codes.SNOMED_PROCEDURE[c]
                for c in codes_of(entry.get("code"), codes.SNOMED)
                if c in codes.SNOMED_PROCEDURE
            ]
            procedure = mapped[0] if mapped else None
        if procedure is None:
            known = ", ".join(codes.SNOMED_PROCEDURE)
            plan.problems.append(
                entry.problem("code", f"needs a code of {codes.PROCEDURE} or a SNOMED CT code Revisio maps ({known})")
            )
            continue
        performed = entry.get("performedDateTime") or (entry.get("performedPeriod") or {}).get("start")
        date = a_date(entry, "performedDateTime", performed, plan.problems)
        anaesthesia = (extension_value(entry.resource, codes.EXT_ANAESTHESIA, "valueCoding") or {}).get("code")
        note = notes(entry.resource)
        if len(note) > 500:
            plan.problems.append(entry.problem("note", "the notes of a procedure are at most 500 characters"))
        if date is not None and date > latest:
            plan.problems.append(entry.problem("performedDateTime", "the procedure date is more than a year ahead"))
        if date is not None:
            plan.procedures.append((entry, ProcedureInput(procedure, date, anaesthesia or Anaesthesia.UNKNOWN, note)))
    if not plan.procedures and not plan.problems:
        plan.problems.append(Problem("Bundle.entry", "Bundle.entry: a case needs at least one Procedure"))
    return plan.procedures


def _performers(
    bundled: Bundled, procedures: list[tuple[Entry, ProcedureInput]], plan: Plan
) -> tuple[Entry | None, Entry | None]:
    """The clinic and the surgeon: those the procedures name, else the only one of each in the Bundle."""
    named = [
        bundled.resolve(performer.get(role))
        for entry, _ in procedures
        for performer in entry.get("performer", [])
        for role in ("actor", "onBehalfOf")
    ]
    chosen = []
    for kind in ("Organization", "Practitioner"):
        found = next((e for e in named if e is not None and e.type == kind), None)
        every = bundled.of_type(kind)
        if found is None and len(every) == 1:
            found = every[0]
        for other in every:
            if other is not found:
                plan.skip(other, "not the clinic or surgeon of the case's procedures")
        chosen.append(found)
    return chosen[0], chosen[1]


def _case(bundled: Bundled, plan: Plan, clinic: Entry | None, surgeon: Entry | None) -> None:
    fields, sources = plan.case_fields, plan.case_sources
    plans = bundled.of_type("CarePlan")
    for extra in plans[1:]:
        plan.skip(extra, "only the first CarePlan is read as the case")
    if plans:
        care = plans[0]
        fields["title"], sources["title"] = care.get("title") or "Imported case", (care, "title")
        fields["notes"], sources["notes"] = care.get("description", ""), (care, "description")
        leaving = extension_value(care.resource, codes.EXT_LEAVING_ON, "valueDate")
        if leaving:
            fields["leaving_on"] = a_date(care, "extension", leaving, plan.problems)
            sources["leaving_on"] = (care, "extension")
        steps(care, plan)
    else:
        fields["title"] = "Imported case"
    if clinic is not None:
        address = (clinic.get("address") or [{}])[0]
        telecom = {t.get("system"): t.get("value", "") for t in reversed(clinic.get("telecom", []))}
        for name, value, path in (
            ("clinic_name", clinic.get("name", ""), "name"),
            ("clinic_city", address.get("city", ""), "address[0].city"),
            ("clinic_country", address.get("country", ""), "address[0].country"),
            ("clinic_phone", telecom.get("phone", ""), "telecom"),
            ("clinic_email", telecom.get("email", ""), "telecom"),
            ("clinic_website", telecom.get("url", ""), "telecom"),
        ):
            fields[name], sources[name] = value, (clinic, path)
    if surgeon is not None:
        name = (surgeon.get("name") or [{}])[0]
        parts = [*name.get("prefix", []), *name.get("given", []), name.get("family", "")]
        fields["surgeon_name"] = name.get("text") or " ".join(p for p in parts if p)
        sources["surgeon_name"] = (surgeon, "name")


def _devices(bundled: Bundled, plan: Plan, procedures: list[tuple[Entry, ProcedureInput]]) -> None:
    procedure_of: dict[str, Entry] = {}
    for entry, _ in procedures:
        for focal in entry.get("focalDevice", []):
            target = bundled.resolve(focal.get("manipulated"))
            if target is not None:
                procedure_of[target.full_url] = entry
    implant = {"465380004": "silicone-gel"} | {"111481": "saline"}
    for entry in bundled.of_type("Device"):
        if entry.get("status") == "entered-in-error":
            plan.skip(entry, "its status is entered-in-error")
            continue
        kind = entry.get("type")
        external = [c for c in codes_of(kind, codes.SNOMED) + codes_of(kind, codes.DICOM) if c in implant]
        fields: dict[str, Any] = {
            "device_type": first_code(kind, codes.DEVICE_TYPE) or ("breast-implant" if external else "other"),
            "manufacturer": entry.get("manufacturer", ""),
            "model": entry.get("modelNumber", ""),
            "lot_number": entry.get("lotNumber", ""),
            "serial_number": entry.get("serialNumber", ""),
        }
        if external:
            fields["fill"] = implant[external[0]]
        sources = {name: (entry, path) for name, path in _DEVICE_PATHS.items()}
        for index, prop in enumerate(entry.get("property", [])):
            name = first_code(prop.get("type"), codes.DEVICE_PROPERTY)
            value = (prop.get("valueCode") or [{}])[0]
            if name == "size":
                fields["size"] = value.get("text") or ""
            elif name in _PROPERTY_SYSTEMS and first_code(value, _PROPERTY_SYSTEMS[name]):
                fields[name] = first_code(value, _PROPERTY_SYSTEMS[name])
            else:
                plan.skip(entry, "a device property Revisio does not read", f"property[{index}]")
                continue
            sources[name] = (entry, f"property[{index}]")
        plan.devices.append((Planned(entry, fields, sources), procedure_of.get(entry.full_url)))


_DEVICE_PATHS = {
    "device_type": "type",
    "manufacturer": "manufacturer",
    "model": "modelNumber",
    "lot_number": "lotNumber",
    "serial_number": "serialNumber",
}
_PROPERTY_SYSTEMS = {"placement": codes.PLACEMENT, "fill": codes.FILL, "side": codes.SIDE}


def _value_kind(code: Any) -> str | None:
    own = codes_of(code, codes.OBSERVATION)
    loinc = codes_of(code, codes.LOINC)
    if codes_of(code, codes.SYMPTOM):
        return "symptoms"
    if codes_of(code, codes.CONCERN):
        return "concerns"
    if "pain-score" in own or codes.LOINC_PAIN[0] in loinc:
        return "pain"
    if "body-temperature" in own or codes.LOINC_BODY_TEMPERATURE[0] in loinc:
        return "temperature_c"
    return None


def _checkins(bundled: Bundled, plan: Plan) -> None:
    """A check-in per assessment Observation with the values it is derived from; values no assessment
    names are grouped by their date."""
    anchors: list[Entry] = []
    values: dict[str, tuple[Entry, str]] = {}
    for entry in bundled.of_type("Observation"):
        code = entry.get("code")
        if codes_of(code, codes.MEASUREMENT):
            plan.skip(entry, "a photo measurement: its photo cannot be imported")
        elif entry.get("status") in ERROR_STATUSES:
            plan.skip(entry, f"its status is {entry.get('status')}")
        elif "recovery-assessment" in codes_of(code, codes.OBSERVATION):
            anchors.append(entry)
        elif (kind := _value_kind(code)) is not None:
            values[entry.full_url] = (entry, kind)
        else:
            plan.skip(entry, "not a check-in value Revisio reads (symptom, concern, pain, body temperature)")
    groups: list[tuple[Entry, dt.date | None, list[tuple[Entry, str]]]] = []
    for anchor in anchors:
        date = a_date(anchor, "effectiveDateTime", anchor.get("effectiveDateTime"), plan.problems)
        members = [bundled.resolve(ref) for ref in anchor.get("derivedFrom", [])]
        groups.append((anchor, date, [values.pop(m.full_url) for m in members if m and m.full_url in values]))
    by_date: dict[dt.date | None, list[tuple[Entry, str]]] = {}
    for entry, kind in values.values():
        by_date.setdefault(
            a_date(entry, "effectiveDateTime", entry.get("effectiveDateTime"), plan.problems), []
        ).append((entry, kind))
    groups += [(members[0][0], date, members) for date, members in by_date.items()]
    for anchor, date, members in groups:
        fields: dict[str, Any] = {"date": date, "symptoms": [], "concerns": [], "notes": notes(anchor.resource)}
        sources = {"date": (anchor, "effectiveDateTime"), "notes": (anchor, "note")}
        for entry, kind in members:
            _add_value(entry, kind, fields, sources, plan)
        plan.checkins.append(Planned(anchor, fields, sources))


def _add_value(entry: Entry, kind: str, fields: dict[str, Any], sources: dict[str, Any], plan: Plan) -> None:
    if kind in ("symptoms", "concerns"):
        if entry.get("valueBoolean") is False:
            plan.skip(entry, "reported as absent")
            return
        fields[kind] += codes_of(entry.get("code"), codes.SYMPTOM if kind == "symptoms" else codes.CONCERN)
        sources[kind] = (entry, "code")
        return
    if kind in sources:
        other = sources[kind][0]
        plan.problems.append(
            entry.problem("code", f"a check-in has one {kind.split('_')[0]}; entry[{other.index}] gives it too")
        )
        return
    quantity = entry.get("valueQuantity") or {}
    value = a_decimal(quantity.get("value", entry.get("valueInteger")))
    sources[kind] = (entry, "valueQuantity.value")
    if kind == "pain":
        if value is None or value != value.to_integral_value() or not 0 <= value <= 10:
            plan.problems.append(
                entry.problem("valueQuantity.value", "pain is a whole number from 0 (none) to 10 (worst)")
            )
            return
        fields["pain"] = int(value)
        return
    unit = quantity.get("code")
    if value is None or unit not in ("Cel", "[degF]"):
        plan.problems.append(entry.problem("valueQuantity", "a body temperature in UCUM 'Cel' or '[degF]'"))
        return
    fields["temperature_c"] = value if unit == "Cel" else ((value - 32) * 5 / 9).quantize(Decimal("0.1"))
