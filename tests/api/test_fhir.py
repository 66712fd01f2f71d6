"""The FHIR endpoints: export for anyone who may read the case, import always into the caller's own account."""

from __future__ import annotations

import json

import pytest

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.fhir import check_bundle
from tests.api.support import API, World, assert_not_found, errors_of, snapshot
from tests.cast import client_for


def _export(user: User, world: World) -> dict:
    response = client_for(user).get(f"{API}/cases/{world.case.pk}/fhir")
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def _import(user: User, bundle: dict | str) -> object:
    body = bundle if isinstance(bundle, str) else json.dumps(bundle)
    return client_for(user).post(f"{API}/fhir/import", data=body, content_type="application/fhir+json")


def test_export_is_the_case_as_a_fhir_bundle(world: World, alice: User) -> None:
    response = client_for(alice).get(f"{API}/cases/{world.case.pk}/fhir")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Cache-Control"] == "private, no-store"
    bundle = json.loads(response.content)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert check_bundle(bundle) == []
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    for kind in ("Patient", "Organization", "CarePlan", "Procedure", "Device", "Observation", "Media"):
        assert kind in kinds, kind
    assert kinds.count("DocumentReference") == 2  # the consent form and the finished dossier
    procedure = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure")
    assert procedure["code"]["coding"][0]["code"] == "fat-transfer-hips"


@pytest.mark.parametrize("reader", ["carol", "dave"])
def test_people_the_case_is_shared_with_can_export_it(
    world: World, alice: User, reader: str, request: pytest.FixtureRequest
) -> None:
    assert _export(request.getfixturevalue(reader), world) == _export(alice, world)


def test_another_patient_cannot_export(world: World, bob_world: World, bob: User) -> None:
    assert_not_found(client_for(bob).get(f"{API}/cases/{world.case.pk}/fhir"))


def test_import_creates_a_case_owned_by_the_caller(world: World, alice: User, bob: User) -> None:
    bundle = _export(alice, world)
    response = _import(bob, bundle)
    assert response.status_code == 201, response.content[:800]
    body = response.json()
    case = Case.objects.get(pk=body["case_id"])
    assert case.owner == bob and case.title == world.case.title
    assert body["created"] == {
        "procedures": 1,
        "devices": 1,
        "checkins": 1,
        "communications": 1,
        "step_states": 0,
        "applications": 1,
    }
    skipped = {item["location"].split(" ")[1]: item["reason"] for item in body["skipped"]}
    assert set(skipped) >= {"(Media)", "(DocumentReference)", "(Observation)"}
    assert "cannot be stored" in skipped["(Media)"]
    assert any("assessed again" in note for note in body["notes"])
    assert list(Case.objects.filter(owner=alice)) == [world.case]


def test_a_coordinator_imports_into_their_own_account_only(world: World, alice: User, carol: User) -> None:
    """carol may read alice's case, so she may export it; importing it makes a case of carol's, not alice's."""
    before = list(Case.objects.filter(owner=alice).values_list("pk", flat=True))
    response = _import(carol, _export(carol, world))
    assert response.status_code == 201, response.content[:800]
    assert Case.objects.get(pk=response.json()["case_id"]).owner == carol
    assert list(Case.objects.filter(owner=alice).values_list("pk", flat=True)) == before


def test_a_rejected_bundle_names_where_and_changes_nothing(world: World, alice: User) -> None:
    bundle = _export(alice, world)
    index = next(i for i, e in enumerate(bundle["entry"]) if e["resource"]["resourceType"] == "Procedure")
    bundle["entry"][index]["resource"]["status"] = "not-a-status"
    before = snapshot()
    errors = errors_of(_import(alice, bundle), 422)
    assert errors == [
        {
            "code": "fhir-invalid",
            "message": f"entry[{index}].resource (Procedure).status: 'not-a-status' is not one of preparation, "
            "in-progress, not-done, on-hold, stopped, completed, entered-in-error, unknown",
            "field": f"entry[{index}].resource.status",
        }
    ]
    observation = next(i for i, e in enumerate(bundle["entry"]) if e["resource"]["resourceType"] == "Observation")
    del bundle["entry"][observation]["resource"]["code"]
    bundle["entry"][index]["resource"]["status"] = "completed"
    errors = errors_of(_import(alice, bundle), 422)
    assert errors[0]["message"] == f"entry[{observation}]: missing required element Observation.code"
    assert snapshot() == before


def test_a_body_that_is_not_json_is_a_400(world: World, alice: User) -> None:
    before = snapshot()
    error = errors_of(_import(alice, "{not json"), 400)[0]
    assert error["code"] == "not-json" and error["message"].startswith("the body is not JSON")
    error = errors_of(_import(alice, {"resourceType": "Patient"}), 422)[0]
    assert error["message"] == "resourceType: expected a Bundle, got 'Patient'"
    assert snapshot() == before
