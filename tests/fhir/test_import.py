"""The import: a round trip loses nothing but what a Bundle cannot carry, a bad Bundle is rejected naming
where, and a rejected import leaves no row behind."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from revisio.accounts.models import User
from revisio.cases.models import Case, CaseProcedure, Device
from revisio.diary.models import CheckIn
from revisio.escalation.models import Communication, ComplaintApplication, StepState
from revisio.fhir import ImportRejected, case_from_bundle
from revisio.fhir import codes as fhir_codes
from tests.fhir.support import exported, kinds, normalise, resources

JSON = dict[str, Any]
NOT_IN_A_BUNDLE = ("Media", "DocumentReference")


def _without_what_cannot_be_imported(bundle: JSON) -> tuple[JSON, list[str]]:
    """The Bundle as an import must give it back, and the locations the import must report as skipped:
    photos and documents (their bytes are not in a Bundle), the measurements of those photos, and the
    attachments of exchanges that point at them. Nothing else is removed."""
    expected = copy.deepcopy(bundle)
    dropped, skipped = set(), []
    for index, entry in enumerate(bundle["entry"]):
        resource = entry["resource"]
        measurement = fhir_codes.MEASUREMENT in [c["system"] for c in resource.get("code", {}).get("coding", [])]
        if resource["resourceType"] in NOT_IN_A_BUNDLE or measurement:
            dropped.add(entry["fullUrl"])
            skipped.append(f"entry[{index}] ({resource['resourceType']})")
        for number, payload in enumerate(resource.get("payload", [])):
            if "contentReference" in payload:
                skipped.append(f"entry[{index}] (Communication).payload[{number}]")
    expected["entry"] = [e for e in expected["entry"] if e["fullUrl"] not in dropped]
    for entry in expected["entry"]:
        if "payload" in entry["resource"]:
            entry["resource"]["payload"] = [p for p in entry["resource"]["payload"] if "contentReference" not in p]
    return expected, sorted(skipped)


def test_round_trip_is_identical_apart_from_ids_and_generated_timestamps(rich_case: Case, alice: User) -> None:
    first = exported(rich_case)
    result = case_from_bundle(bundle_json=json.dumps(first), owner=alice)
    assert result.case.pk != rich_case.pk and result.case.owner == alice
    second = exported(result.case)
    expected, skipped = _without_what_cannot_be_imported(first)
    assert normalise(second) == normalise(expected)
    # What was left out is exactly what the summary says was left out.
    assert sorted(s.location for s in result.skipped) == skipped
    assert kinds(first) - kinds(second) == {"Media": 2, "DocumentReference": 1, "Observation": 1}
    assert result.created == {
        "procedures": 2,
        "devices": 3,
        "checkins": 3,
        "communications": 3,
        "step_states": 2,
        "applications": 1,
    }
    assert len(result.notes) == 3


def test_the_round_trip_keeps_what_the_services_store(rich_case: Case, alice: User) -> None:
    """The rows behind the identical exports: check-ins re-assessed to the same level, the plan's dates kept."""
    result = case_from_bundle(bundle_json=exported(rich_case), owner=alice)

    def rows(case: Case) -> list[Any]:
        return [
            list(
                case.checkins.order_by("date").values_list(
                    "date", "symptoms", "concerns", "pain", "temperature_c", "notes", "level"
                )
            ),
            list(case.step_states.values_list("step", "first_suggested_on", "due_on", "done_on", "note")),
            list(
                case.applications.values_list(
                    "body", "status", "filed_on", "reference", "claim_amount", "claim_currency", "note"
                )
            ),
            list(
                case.communications.order_by("occurred_on").values_list(
                    "direction", "channel", "counterpart", "counterpart_name", "summary", "body", "language"
                )
            ),
            list(
                case.devices.order_by("created_at").values_list(
                    "device_type",
                    "manufacturer",
                    "model",
                    "lot_number",
                    "serial_number",
                    "size",
                    "placement",
                    "fill",
                    "side",
                    "procedure__procedure",
                )
            ),
        ]

    assert rows(result.case) == rows(rich_case)
    assert [c.assessment["findings"] for c in result.case.checkins.order_by("date")] == [
        c.assessment["findings"] for c in rich_case.checkins.order_by("date")
    ]


def _index(bundle: JSON, kind: str, code_system: str | None = None) -> int:
    for index, entry in enumerate(bundle["entry"]):
        resource = entry["resource"]
        systems = [c["system"] for c in resource.get("code", {}).get("coding", [])]
        if resource["resourceType"] == kind and (code_system is None or code_system in systems):
            return index
    raise AssertionError(kind)


def _rejected(bundle: JSON | str, owner: User) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        case_from_bundle(bundle_json=bundle if isinstance(bundle, str) else json.dumps(bundle), owner=owner)
    return caught.value


def test_a_bad_code_is_rejected_naming_the_entry_and_element(rich_case: Case, bob: User) -> None:
    bundle = exported(rich_case)
    index = _index(bundle, "Procedure")
    bundle["entry"][index]["resource"]["status"] = "not-a-status"
    rejected = _rejected(bundle, bob)
    assert rejected.status == 422
    assert rejected.message == (
        f"entry[{index}].resource (Procedure).status: 'not-a-status' is not one of preparation, in-progress, "
        "not-done, on-hold, stopped, completed, entered-in-error, unknown"
    )
    assert rejected.field == f"entry[{index}].resource.status"


def test_an_unknown_escalation_step_is_rejected(rich_case: Case, bob: User) -> None:
    bundle = exported(rich_case)
    index = _index(bundle, "CarePlan")
    activities = bundle["entry"][index]["resource"]["activity"]
    position, activity = next(
        (n, a)
        for n, a in enumerate(activities)
        if a["detail"]["code"]["coding"][0]["system"] == fhir_codes.ESCALATION_STEP
    )
    activity["detail"]["code"]["coding"][0]["code"] = "sue-everyone"
    rejected = _rejected(bundle, bob)
    assert rejected.status == 422
    assert f"entry[{index}].resource (CarePlan).activity[{position}]" in rejected.message
    assert "sue-everyone" in rejected.message


def test_a_missing_required_element_is_rejected_naming_it(rich_case: Case, bob: User) -> None:
    bundle = exported(rich_case)
    observation, procedure = _index(bundle, "Observation"), _index(bundle, "Procedure")
    del bundle["entry"][observation]["resource"]["code"]
    del bundle["entry"][procedure]["resource"]["subject"]
    rejected = _rejected(bundle, bob)
    assert [p.message for p in rejected.problems] == [
        f"entry[{procedure}]: missing required element Procedure.subject",
        f"entry[{observation}]: missing required element Observation.code",
    ]
    assert rejected.message == f"entry[{procedure}]: missing required element Procedure.subject (and 1 more)"


def test_malformed_input_is_rejected(bob: User) -> None:
    assert _rejected("{nope", bob).status == 400
    assert _rejected(json.dumps([1]), bob).message == "resourceType: expected a Bundle, got 'list'"
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": "urn:x", "resource": {"resourceType": "Nope"}}],
    }
    assert _rejected(bundle, bob).message == "entry[0].resource.resourceType: 'Nope' is not a FHIR R4B resource type"
    bundle["entry"][0]["resource"] = {"resourceType": "Patient", "colour": "blue"}
    assert _rejected(bundle, bob).message == (
        "entry[0].resource (Patient).colour: is not an element of this resource in FHIR R4B"
    )
    bundle["entry"][0]["resource"] = {"resourceType": "Patient"}
    assert _rejected(bundle, bob).message == "Bundle.entry: a case needs at least one Procedure"


def _counts() -> dict[str, int]:
    models = (Case, CaseProcedure, Device, CheckIn, Communication, StepState, ComplaintApplication)
    return {model.__name__: model.objects.count() for model in models}


def test_a_rejected_import_leaves_nothing(rich_case: Case, bob: User) -> None:
    """The last check-in fails in ``checkin_add`` after the case, its devices and the earlier check-ins were
    written: all of it is rolled back, and the error names the temperature Observation."""
    bundle = exported(rich_case)
    last = max(i for i, e in enumerate(bundle["entry"]) if e["resource"].get("valueQuantity", {}).get("code") == "Cel")
    bundle["entry"][last]["resource"]["valueQuantity"]["value"] = 50
    before = _counts()
    rejected = _rejected(bundle, bob)
    assert rejected.message == (
        f"entry[{last}].resource (Observation).valueQuantity.value: A temperature of 50.0 °C is outside 30-45 °C: "
        "give it in degrees Celsius."
    )
    assert _counts() == before
    assert not Case.objects.filter(owner=bob).exists()


def test_a_later_failure_in_the_escalation_rows_also_leaves_nothing(rich_case: Case, bob: User) -> None:
    bundle = exported(rich_case)
    index = _index(bundle, "Task")
    bundle["entry"][index]["resource"]["executionPeriod"]["start"] = (
        timezone.localdate() + dt.timedelta(days=3)
    ).isoformat()
    before = _counts()
    rejected = _rejected(bundle, bob)
    assert rejected.message == (
        f"entry[{index}].resource (Task).executionPeriod.start: An application cannot be filed in the future."
    )
    assert _counts() == before


def test_a_bundle_from_another_system(bob: User) -> None:
    """SNOMED CT only, values without an assessment, a temperature in °F, resources Revisio does not read."""
    surgery = timezone.localdate() - dt.timedelta(days=12)
    day = (surgery + dt.timedelta(days=5)).isoformat()

    def observation(code: JSON, **value: Any) -> JSON:
        return {"resourceType": "Observation", "status": "final", "code": code, "effectiveDateTime": day, **value}

    entries = [
        {"resourceType": "Patient", "name": [{"family": "Park"}]},
        {"resourceType": "Practitioner", "name": [{"prefix": ["Dr"], "given": ["Min"], "family": "Lee"}]},
        {
            "resourceType": "Procedure",
            "status": "completed",
            "code": {"coding": [{"system": fhir_codes.SNOMED, "code": "302343007"}]},
            "subject": {"reference": "urn:uuid:00000000-0000-4000-8000-000000000000"},
            "performedDateTime": f"{surgery.isoformat()}T09:30:00+09:00",
            "performer": [{"actor": {"reference": "urn:uuid:00000000-0000-4000-8000-000000000001"}}],
        },
        observation(
            {"coding": [{"system": fhir_codes.LOINC, "code": "8310-5"}]},
            valueQuantity={"value": 100.4, "unit": "°F", "system": fhir_codes.UCUM, "code": "[degF]"},
        ),
        observation({"coding": [{"system": fhir_codes.LOINC, "code": "72514-3"}]}, valueInteger=4),
        observation({"coding": [{"system": fhir_codes.SYMPTOM, "code": "swelling"}]}, valueBoolean=True),
        observation({"coding": [{"system": fhir_codes.SYMPTOM, "code": "bruising"}]}, valueBoolean=False),
        observation(
            {"coding": [{"system": fhir_codes.LOINC, "code": "8867-4"}]},
            valueQuantity={"value": 80, "system": fhir_codes.UCUM, "code": "/min"},
        ),
        {"resourceType": "Encounter", "status": "finished", "class": {"code": "AMB"}},
    ]
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:00000000-0000-4000-8000-00000000000{i}", "resource": r}
            for i, r in enumerate(entries)
        ],
    }
    result = case_from_bundle(bundle_json=bundle, owner=bob)
    case = result.case
    assert (case.owner, case.title, case.surgeon_name) == (bob, "Imported case", "Dr Min Lee")
    assert [(p.procedure, p.surgery_date, p.anaesthesia) for p in case.procedures.all()] == [
        ("breast-augmentation", surgery, "unknown")
    ]
    (checkin,) = case.checkins.all()
    assert (checkin.date.isoformat(), checkin.symptoms, checkin.pain) == (day, ["swelling"], 4)
    assert str(checkin.temperature_c) == "38.0"
    assert [s.location for s in result.skipped] == [
        "entry[6] (Observation)",
        "entry[7] (Observation)",
        "entry[8] (Encounter)",
    ]
    assert "reported as absent" in result.skipped[0].reason


def test_the_import_belongs_to_the_caller_not_the_bundles_patient(rich_case: Case, alice: User, bob: User) -> None:
    result = case_from_bundle(bundle_json=exported(rich_case), owner=bob)
    assert result.case.owner == bob
    (patient,) = resources(exported(result.case), "Patient")
    assert patient["name"] == [{"text": "Bob"}]
    alice.refresh_from_db()
    assert alice.languages == ["en", "ko"] and bob.languages == []
