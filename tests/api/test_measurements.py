"""Measuring photos through the API: points marked by hand, the model, failures and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pytest
from django.test import Client

from revisio.cases.models import Case
from revisio.diary.models import PhotoMeasurement
from revisio.diary.services import PhotoInput, photo_add
from tests.api.support import API, BREAST_POINTS, World, errors_of
from tests.cast import client_for

GRACE_HOPPER = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"


def url(world: World, photo_id: object = None) -> str:
    return f"{API}/cases/{world.case.pk}/photos/{photo_id or world.photo.pk}/measurements"


def post(client: Client, target: str, body: object):  # type: ignore[no-untyped-def]
    return client.post(target, json.dumps(body), content_type="application/json")


def test_breast_points_marked_by_hand_are_measured(world: World, alice) -> None:  # type: ignore[no-untyped-def]
    response = post(client_for(alice), url(world), {"kind": "breast", "landmarks": BREAST_POINTS})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "done" and data["landmarks_source"] == "manual" and data["placed_by_patient"] is True
    assert set(data["metrics"]) >= {"bra", "unr", "lbc", "bce"}
    assert data["metrics"]["unr"] == pytest.approx(5 / 92.5, rel=1e-6)  # drops 90 and 95 px
    assert data["validated"] is True and "BCCT" in data["method"]
    stored = PhotoMeasurement.objects.get(pk=data["id"])
    assert stored.measured_by == alice


def test_a_face_is_measured_by_the_model(alice, case: Case) -> None:  # type: ignore[no-untyped-def]
    photo = photo_add(case=case, user=alice, photo=PhotoInput(GRACE_HOPPER.read_bytes(), "front", "face"))
    target = f"{API}/cases/{case.pk}/photos/{photo.pk}/measurements"
    response = post(client_for(alice), target, {"kind": "face"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "done" and data["landmarks_source"] == "auto"
    assert "mediapipe 0.10.21" in data["method"].lower()
    assert 10 < data["metrics"]["brow_height_left_mm"] < 40
    assert data["landmarks"]["pupil_left"][0] > data["landmarks"]["pupil_right"][0]  # patient's left: image right


def test_a_photo_the_model_cannot_read_is_stored_as_failed(world: World, alice) -> None:  # type: ignore[no-untyped-def]
    response = post(client_for(alice), url(world), {"kind": "face"})
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "failed" and "face" in data["error"].lower()
    assert data["metrics"] == {}


def test_measurements_are_listed_newest_first(world: World, alice, carol) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    post(client, url(world), {"kind": "face"})
    post(client, url(world), {"kind": "breast", "landmarks": BREAST_POINTS})
    listed = client_for(carol).get(url(world)).json()  # a coordinator the case is shared with can read them
    assert [m["kind"] for m in listed] == ["breast", "face", "breast"]
    assert listed[0]["placed_by_patient"] is True and listed[1]["placed_by_patient"] is False


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({"kind": "breast"}, 400, "marked by hand"),
        ({"kind": "elbow"}, 422, "kind"),
        ({"kind": "breast", "landmarks": {"sternal_notch": [100, 60]}}, 400, "nipple_left"),
        ({"kind": "breast", "landmarks": {**BREAST_POINTS, "nipple_left": [130, 20]}}, 400, "below the sternal notch"),
        ({"kind": "breast", "landmarks": {**BREAST_POINTS, "nipple_left": [5000, 155]}}, 400, "outside the 200x300"),
        ({"kind": "breast", "landmarks": "points"}, 422, "landmarks"),
    ],
)
def test_bad_measurement_requests(world: World, alice, body: dict, status: int, text: str) -> None:  # type: ignore[no-untyped-def]
    response = post(client_for(alice), url(world), body)
    assert response.status_code == status, response.content
    errors_of(response, status)
    assert text in json.dumps(response.json())
    assert PhotoMeasurement.objects.count() == 1  # only the one the world was made with


def test_readers_cannot_measure(world: World, carol, bob) -> None:  # type: ignore[no-untyped-def]
    for user in (carol, bob):
        assert post(client_for(user), url(world), {"kind": "breast", "landmarks": BREAST_POINTS}).status_code == 404
    assert PhotoMeasurement.objects.count() == 1
