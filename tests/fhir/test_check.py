"""``check_bundle``: what fhir.resources accepts but a Bundle must not hold, each named where it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from revisio.cases.models import Case
from revisio.fhir import check_bundle
from revisio.fhir import codes as fhir_codes
from revisio.fhir.ucum import is_ucum
from tests.fhir.support import exported

JSON = dict[str, Any]


def _first(bundle: JSON, kind: str, test: Callable[[JSON], bool] = lambda r: True) -> tuple[int, JSON]:
    return next(
        (i, e["resource"])
        for i, e in enumerate(bundle["entry"])
        if e["resource"]["resourceType"] == kind and test(e["resource"])
    )


def _temperature(resource: JSON) -> bool:
    return resource.get("valueQuantity", {}).get("code") == "Cel"


@pytest.mark.parametrize(
    ("kind", "element", "allowed"),
    [
        (
            "Procedure",
            "status",
            "preparation, in-progress, not-done, on-hold, stopped, completed, entered-in-error, unknown",
        ),
        (
            "Observation",
            "status",
            "registered, preliminary, final, amended, corrected, cancelled, entered-in-error, unknown",
        ),
        ("Communication", "status", "preparation, in-progress, not-done, on-hold, stopped, completed"),
        ("DocumentReference", "status", "current, superseded, entered-in-error"),
        ("Media", "status", "preparation, in-progress"),
        ("CarePlan", "intent", "proposal, plan, order, option"),
        ("Task", "status", "draft, requested, received"),
    ],
)
def test_a_status_outside_its_value_set(rich_case: Case, kind: str, element: str, allowed: str) -> None:
    bundle = exported(rich_case)
    index, resource = _first(bundle, kind)
    resource[element] = "not-a-status"
    Bundle.model_validate(bundle)  # the library takes it...
    (problem,) = check_bundle(bundle)  # ...we do not
    assert problem.path == f"entry[{index}].resource.{element}"
    assert problem.message.startswith(
        f"entry[{index}].resource ({kind}).{element}: 'not-a-status' is not one of {allowed}"
    )


def test_care_plan_activity_status_and_bundle_type(rich_case: Case) -> None:
    bundle = exported(rich_case)
    index, care_plan = _first(bundle, "CarePlan")
    care_plan["activity"][1]["detail"]["status"] = "done"
    bundle["type"] = "pile"
    assert [p.path for p in check_bundle(bundle)] == [
        "Bundle.type",
        f"entry[{index}].resource.activity[1].detail.status",
    ]


def test_condition_status_must_be_the_hl7_code(rich_case: Case) -> None:
    bundle = exported(rich_case)
    index, condition = _first(bundle, "Condition")
    condition["clinicalStatus"]["coding"][0]["code"] = "cured"
    condition["verificationStatus"] = {"text": "maybe"}
    assert [p.message for p in check_bundle(bundle)] == [
        f"entry[{index}].resource (Condition).verificationStatus: needs a coding of "
        f"{fhir_codes.CONDITION_VERIFICATION} (unconfirmed, provisional, differential, confirmed, refuted, "
        "entered-in-error)",
        f"entry[{index}].resource (Condition).clinicalStatus.coding[0].code: 'cured' is not a code of "
        f"{fhir_codes.CONDITION_CLINICAL}",
    ]


def test_revisio_codes_must_be_known(rich_case: Case) -> None:
    bundle = exported(rich_case)
    symptom, observation = _first(
        bundle, "Observation", lambda r: r["code"]["coding"][0]["system"] == fhir_codes.SYMPTOM
    )
    observation["code"]["coding"][0]["code"] = "itchy"
    device, resource = _first(bundle, "Device")
    resource["type"]["coding"][0]["code"] = "robot"
    task, resource = _first(bundle, "Task")
    resource["owner"]["identifier"]["value"] = "nobody"
    assert [p.message for p in check_bundle(bundle)] == [
        f"entry[{device}].resource (Device).type.coding[0].code: 'robot' is not a code of {fhir_codes.DEVICE_TYPE}",
        f"entry[{symptom}].resource (Observation).code.coding[0].code: 'itchy' is not a code of {fhir_codes.SYMPTOM}",
        f"entry[{task}].resource (Task).owner.identifier.value: 'nobody' is not a known value of "
        f"{fhir_codes.ID_COMPLAINT_BODY}",
    ]


def test_references_must_name_an_entry_and_full_urls_be_unique(rich_case: Case) -> None:
    bundle = exported(rich_case)
    index, procedure = _first(bundle, "Procedure")
    procedure["subject"]["reference"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    procedure["performer"][0]["actor"]["reference"] = f"Practitioner/{bundle['entry'][1]['resource']['id']}"  # resolves
    bundle["entry"][2]["fullUrl"] = bundle["entry"][1]["fullUrl"]
    messages = [p.message for p in check_bundle(bundle)]
    assert messages[0] == f"entry[2].fullUrl: '{bundle['entry'][1]['fullUrl']}' is used twice"
    assert (
        f"entry[{index}].resource (Procedure).subject.reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' "
        "names no entry of this Bundle"
    ) in messages


def test_numeric_observations_need_a_ucum_unit(rich_case: Case) -> None:
    bundle = exported(rich_case)
    index, temperature = _first(bundle, "Observation", _temperature)
    temperature["valueQuantity"] = {"value": 38.6, "unit": "degrees"}
    measurement, resource = _first(
        bundle, "Observation", lambda r: r["code"]["coding"][0]["system"] == fhir_codes.MEASUREMENT
    )
    resource["component"][0]["valueQuantity"]["code"] = "Celsius"
    assert [p.message for p in check_bundle(bundle)] == [
        f"entry[{index}].resource (Observation).valueQuantity: a numeric value needs a UCUM unit "
        f"(system {fhir_codes.UCUM} and a code)",
        f"entry[{measurement}].resource (Observation).component[0].valueQuantity.code: 'Celsius' is not a UCUM unit "
        "Revisio knows",
    ]


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("Cel", True),
        ("[degF]", True),
        ("mm", True),
        ("kg/m2", True),
        ("mL{total}", True),
        ("{score}", True),
        ("%", True),
        ("1", True),
        ("/min", True),
        ("mm.s-1", True),
        ("(kg.m)/s2", True),
        ("Celsius", False),
        ("degC", False),
        ("cc", False),
        ("", False),
        ("m m", False),
        ("kg/", False),
        ("{unclosed", False),
    ],
)
def test_ucum_syntax(code: str, valid: bool) -> None:
    assert is_ucum(code) is valid
