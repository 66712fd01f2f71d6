"""Implants and devices of a case: list, add, delete."""

from __future__ import annotations

from typing import Any

import pytest

from revisio.accounts.models import User
from revisio.cases.models import Device
from tests.api.support import World, assert_not_found, error_of, snapshot
from tests.cast import client_for


def test_device_list(world: World, alice: User) -> None:
    response = client_for(alice).get(f"/api/v1/cases/{world.case.pk}/devices")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": str(world.device.pk),
            "device_type": "buttock-implant",
            "procedure_id": None,
            "manufacturer": "Acme",
            "model": "Curve",
            "lot_number": "",
            "serial_number": "",
            "size": "300 cc",
            "placement": "unknown",
            "fill": "unknown",
            "side": "n/a",
        }
    ]


def test_add_device_linked_to_a_procedure(world: World, alice: User) -> None:
    procedure = world.case.procedures.get()
    body = {
        "device_type": "breast-implant",
        "procedure_id": procedure.pk,
        "manufacturer": " Mentor ",
        "model": "MemoryGel",
        "serial_number": "SN-1",
        "size": "350 cc",
        "placement": "submuscular",
        "fill": "silicone-gel",
        "side": "left",
    }
    url = f"/api/v1/cases/{world.case.pk}/devices"
    response = client_for(alice).post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created == {**body, "manufacturer": "Mentor", "lot_number": "", "id": created["id"]}
    device = Device.objects.get(pk=created["id"])
    assert (device.case, device.procedure, device.side) == (world.case, procedure, "left")
    assert created in client_for(alice).get(url).json()


BAD_DEVICES = [
    pytest.param({}, 422, "invalid", "device_type", id="missing-type"),
    pytest.param({"device_type": "spaceship"}, 400, "invalid", "device_type", id="unknown-type"),
    pytest.param({"device_type": 7}, 422, "invalid", "device_type", id="type-a-number"),
    pytest.param({"device_type": "breast-implant", "side": "up"}, 400, "invalid", "side", id="unknown-side"),
    pytest.param({"device_type": "breast-implant", "fill": "air"}, 400, "invalid", "fill", id="unknown-fill"),
    pytest.param({"device_type": "breast-implant", "placement": "?"}, 400, "invalid", "placement", id="bad-placement"),
    pytest.param({"device_type": "breast-implant", "procedure_id": "x"}, 422, "invalid", "procedure_id", id="id-text"),
    pytest.param(
        {"device_type": "breast-implant", "procedure_id": 999999}, 400, "invalid", "procedure", id="unknown-procedure"
    ),
    pytest.param(
        {"device_type": "breast-implant", "procedure_id": 2**70}, 400, "invalid", "procedure", id="huge-procedure-id"
    ),
    pytest.param({"device_type": "breast-implant", "model": "x" * 201}, 422, "invalid", "model", id="model-too-long"),
    pytest.param({"device_type": "breast-implant", "model": "a\x00"}, 422, "invalid", "model", id="nul-in-model"),
    pytest.param('"breast-implant"', 422, "invalid", None, id="a-string-not-an-object"),
]


@pytest.mark.parametrize(("body", "status", "code", "field"), BAD_DEVICES)
def test_add_device_rejects_bad_input(
    world: World, alice: User, body: Any, status: int, code: str, field: str | None
) -> None:
    before = snapshot()
    response = client_for(alice).post(f"/api/v1/cases/{world.case.pk}/devices", body, content_type="application/json")
    assert error_of(response, status, code)["field"] == field
    assert snapshot() == before


def test_a_procedure_of_another_case_cannot_be_linked(world: World, bob_world: World, alice: User) -> None:
    before = snapshot()
    body = {"device_type": "breast-implant", "procedure_id": bob_world.case.procedures.get().pk}
    response = client_for(alice).post(f"/api/v1/cases/{world.case.pk}/devices", body, content_type="application/json")
    error_of(response, 400, "invalid", "procedure")
    assert snapshot() == before


def test_delete_device(world: World, alice: User) -> None:
    url = f"/api/v1/cases/{world.case.pk}/devices/{world.device.pk}"
    response = client_for(alice).delete(url)
    assert response.status_code == 204 and response.content == b""
    assert not Device.objects.filter(pk=world.device.pk).exists()
    assert client_for(alice).get(f"/api/v1/cases/{world.case.pk}/devices").json() == []
    assert_not_found(client_for(alice).delete(url))
