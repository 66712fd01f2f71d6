"""The case record over the API: list, create, read, change and delete a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from revisio.accounts.models import User
from revisio.cases.models import Case
from tests.api.support import World, assert_not_found, error_of, errors_of, media_files, snapshot, token_client
from tests.cast import client_for

TODAY = timezone.localdate


def _days_ago(days: int) -> str:
    return (TODAY() - dt.timedelta(days=days)).isoformat()


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


def _patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, body, content_type="application/json")


# --- list and read ------------------------------------------------------------------------------


def test_case_list_shows_the_case_with_its_latest_level(world: World, alice: User) -> None:
    response = client_for(alice).get("/api/v1/cases")
    assert response.status_code == 200
    [case] = response.json()
    assert case["id"] == str(world.case.pk)
    assert (case["title"], case["clinic_name"], case["clinic_country"]) == ("Hips", "Example Clinic", "KR")
    assert case["owner_is_me"] is True
    assert [(p["procedure"], p["surgery_date"]) for p in case["procedures"]] == [("fat-transfer-hips", _days_ago(21))]
    assert (case["latest_level"], case["latest_checkin_date"]) == (world.checkin.level, TODAY().isoformat())


def test_case_list_newest_first(alice: User) -> None:
    client = client_for(alice)
    for title in ("First", "Second"):
        body = {"title": title, "procedures": [{"procedure": "rhinoplasty", "surgery_date": _days_ago(3)}]}
        assert _post(client, "/api/v1/cases", body).status_code == 201
    assert [c["title"] for c in client.get("/api/v1/cases").json()] == ["Second", "First"]


def test_case_detail(world: World, alice: User, carol: User) -> None:
    body = client_for(alice).get(f"/api/v1/cases/{world.case.pk}").json()
    assert body["id"] == str(world.case.pk)
    assert body["title"] == "Hips" and body["owner_is_me"] is True
    assert body["procedures"][0]["procedure"] == "fat-transfer-hips"
    # The detail gives the latest check-in as the list does, not null.
    assert (body["latest_level"], body["latest_checkin_date"]) == ("monitor", TODAY().isoformat())
    assert client_for(carol).get(f"/api/v1/cases/{world.case.pk}").json()["owner_is_me"] is False


def test_case_without_checkins_has_no_latest_level(alice: User, case: Case) -> None:
    body = client_for(alice).get(f"/api/v1/cases/{case.pk}").json()
    assert (body["latest_level"], body["latest_checkin_date"]) == (None, None)


# --- create -------------------------------------------------------------------------------------


def test_create_case(alice: User) -> None:
    body = {
        "title": "  Nose  ",
        "clinic_name": "Seoul Clinic",
        "clinic_country": "kr",
        "clinic_website": "https://clinic.example",
        "surgeon_name": "Dr Kim",
        "procedures": [
            {"procedure": "nose-job", "surgery_date": _days_ago(10), "anaesthesia": "general", "notes": "tip"},
        ],
    }
    response = _post(token_client(alice), "/api/v1/cases", body)
    assert response.status_code == 201, response.content
    created = response.json()
    case = Case.objects.get(pk=created["id"])
    assert case.owner == alice
    assert (created["title"], created["clinic_country"], created["owner_is_me"]) == ("Nose", "KR", True)
    [procedure] = created["procedures"]
    assert (procedure["procedure"], procedure["anaesthesia"], procedure["notes"]) == ("rhinoplasty", "general", "tip")
    assert (created["latest_level"], created["latest_checkin_date"]) == (None, None)
    assert client_for(alice).get(f"/api/v1/cases/{case.pk}").json() == created


def _case_body(**changes: Any) -> dict[str, Any]:
    return {"title": "Nose", "procedures": [{"procedure": "rhinoplasty", "surgery_date": _days_ago(5)}], **changes}


def _procedure(**changes: Any) -> list[dict[str, Any]]:
    return [{"procedure": "rhinoplasty", "surgery_date": _days_ago(5), **changes}]


BAD_CASES = [
    pytest.param({"procedures": _procedure()}, 422, "invalid", "title", id="missing-title"),
    pytest.param(_case_body(title=""), 422, "invalid", "title", id="empty-title"),
    pytest.param(_case_body(title="   "), 400, "invalid", "title", id="blank-title"),
    pytest.param(_case_body(title=42), 422, "invalid", "title", id="title-a-number"),
    pytest.param(_case_body(title="x" * 201), 422, "invalid", "title", id="title-too-long"),
    pytest.param({"title": "Nose"}, 422, "invalid", "procedures", id="missing-procedures"),
    pytest.param(_case_body(procedures=[]), 422, "invalid", "procedures", id="no-procedures"),
    pytest.param(_case_body(procedures="rhinoplasty"), 422, "invalid", "procedures", id="procedures-a-string"),
    pytest.param(_case_body(procedures=["rhinoplasty"]), 422, "invalid", "procedures.0", id="procedure-a-string"),
    pytest.param(_case_body(procedures=_procedure() * 11), 422, "invalid", "procedures", id="eleven-procedures"),
    pytest.param(
        _case_body(procedures=[{"procedure": "rhinoplasty"}]), 422, "invalid", "procedures.0.surgery_date", id="no-date"
    ),
    pytest.param(
        _case_body(procedures=_procedure(surgery_date="2026-02-30")),
        422,
        "invalid",
        "procedures.0.surgery_date",
        id="impossible-date",
    ),
    pytest.param(
        _case_body(procedures=_procedure(surgery_date=(TODAY() + dt.timedelta(days=400)).isoformat())),
        400,
        "invalid",
        "surgery_date",
        id="date-over-a-year-ahead",
    ),
    pytest.param(
        _case_body(procedures=_procedure(anaesthesia="magic")),
        422,
        "invalid",
        "procedures.0.anaesthesia",
        id="unknown-anaesthesia",
    ),
    pytest.param(
        _case_body(procedures=_procedure(procedure="rhinoplsty")),
        400,
        "unknown-procedure",
        "procedure",
        id="unknown-procedure",
    ),
    pytest.param(_case_body(clinic_country="ZZ"), 400, "invalid", "clinic_country", id="unknown-country"),
    pytest.param(_case_body(clinic_country="KOR"), 422, "invalid", "clinic_country", id="three-letter-country"),
    pytest.param(_case_body(clinic_email="not-an-address"), 400, "invalid", "clinic_email", id="bad-email"),
    pytest.param(_case_body(clinic_website="not a url"), 400, "invalid", "clinic_website", id="bad-website"),
    pytest.param(_case_body(notes=None), 422, "invalid", "notes", id="notes-null"),
    pytest.param(_case_body(title="Nose\x00"), 422, "invalid", "title", id="nul-in-title"),
    pytest.param(
        _case_body(procedures=_procedure(notes="a\x00b")), 422, "invalid", "procedures.0.notes", id="nul-in-notes"
    ),
    pytest.param([_case_body()], 422, "invalid", None, id="a-list-not-an-object"),
    pytest.param('"Nose"', 422, "invalid", None, id="a-string-not-an-object"),
]


@pytest.mark.parametrize(("body", "status", "code", "field"), BAD_CASES)
def test_create_case_rejects_bad_input(alice: User, body: Any, status: int, code: str, field: str | None) -> None:
    before = snapshot()
    error = error_of(_post(client_for(alice), "/api/v1/cases", body), status, code)
    assert error["field"] == field, error
    assert snapshot() == before


def test_unknown_procedure_suggests_the_nearest_id(alice: User) -> None:
    response = _post(client_for(alice), "/api/v1/cases", _case_body(procedures=_procedure(procedure="rhinoplsty")))
    assert "rhinoplasty" in error_of(response, 400, "unknown-procedure")["message"]


@pytest.mark.parametrize(("body", "status"), [("{", 400), ("not json", 400), ("", 422)])
def test_create_case_with_an_unreadable_body_is_refused(alice: User, body: str, status: int) -> None:
    response = client_for(alice).post("/api/v1/cases", body, content_type="application/json")
    errors_of(response, status)
    assert Case.objects.count() == 0


# --- change -------------------------------------------------------------------------------------


def test_patch_changes_only_what_is_sent(world: World, alice: User) -> None:
    url = f"/api/v1/cases/{world.case.pk}"
    response = _patch(
        client_for(alice), url, {"title": "Hips, revised", "surgeon_name": "Dr Lee", "clinic_country": "jp"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["surgeon_name"], body["clinic_country"]) == ("Hips, revised", "Dr Lee", "JP")
    assert body["clinic_name"] == "Example Clinic"  # not sent, not changed
    assert body["latest_level"] == "monitor"
    world.case.refresh_from_db()
    assert (world.case.title, world.case.surgeon_name, world.case.clinic_name) == (
        "Hips, revised",
        "Dr Lee",
        "Example Clinic",
    )


def test_patch_replaces_procedures_and_keeps_unchanged_rows(world: World, alice: User) -> None:
    url = f"/api/v1/cases/{world.case.pk}"
    kept = client_for(alice).get(url).json()["procedures"][0]
    procedures = [
        {"procedure": "fat-transfer-hips", "surgery_date": kept["surgery_date"], "anaesthesia": "sedation"},
        {"procedure": "liposuction", "surgery_date": _days_ago(21)},
    ]
    body = _patch(client_for(alice), url, {"procedures": procedures}).json()
    assert [(p["procedure"], p["anaesthesia"]) for p in body["procedures"]] == [
        ("fat-transfer-hips", "sedation"),
        ("liposuction", "unknown"),
    ]
    assert body["procedures"][0]["id"] == kept["id"]  # the same row, so devices linked to it stay linked


def test_patch_ignores_fields_that_are_not_the_clients_to_set(world: World, alice: User, bob: User) -> None:
    url = f"/api/v1/cases/{world.case.pk}"
    response = _patch(client_for(alice), url, {"owner": bob.pk, "owner_id": bob.pk, "id": "0" * 32, "title": "Mine"})
    assert response.status_code == 200
    world.case.refresh_from_db()
    assert (world.case.owner, world.case.title) == (alice, "Mine")
    assert client_for(bob).get(url).status_code == 404


BAD_PATCHES = [
    pytest.param({"title": ""}, 422, "title", id="empty-title"),
    pytest.param({"title": None}, 400, "title", id="null-title"),
    pytest.param({"title": ["Hips"]}, 422, "title", id="title-a-list"),
    pytest.param({"clinic_country": "ZZ"}, 400, "clinic_country", id="unknown-country"),
    pytest.param({"clinic_email": "nope"}, 400, "clinic_email", id="bad-email"),
    pytest.param({"procedures": []}, 422, "procedures", id="no-procedures"),
    pytest.param({"procedures": _procedure(procedure="hourglas-hip")}, 400, "procedure", id="unknown-procedure"),
    pytest.param({"notes": "a\x00b"}, 422, "notes", id="nul-in-notes"),
    pytest.param('"hello world"', 422, None, id="a-string-not-an-object"),
    pytest.param([], 422, None, id="a-list-not-an-object"),
    pytest.param(5, 422, None, id="a-number-not-an-object"),
]


@pytest.mark.parametrize(("body", "status", "field"), BAD_PATCHES)
def test_patch_rejects_bad_input_and_changes_nothing(
    world: World, alice: User, body: Any, status: int, field: str | None
) -> None:
    before = snapshot()
    response = _patch(client_for(alice), f"/api/v1/cases/{world.case.pk}", body)
    error = errors_of(response, status)[0]
    assert error["field"] == field, error
    assert snapshot() == before


def test_patch_with_an_unparseable_body_is_400(world: World, alice: User) -> None:
    before = snapshot()
    response = client_for(alice).patch(f"/api/v1/cases/{world.case.pk}", "{title", content_type="application/json")
    error_of(response, 400, "http-error")
    assert snapshot() == before


# --- delete -------------------------------------------------------------------------------------


def test_delete_case_removes_it_and_every_stored_file(
    world: World, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    assert any(name.startswith(f"cases/{world.case.pk}/") for name in media_files())
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).delete(f"/api/v1/cases/{world.case.pk}")
    assert response.status_code == 204 and response.content == b""
    assert not Case.objects.filter(pk=world.case.pk).exists()
    assert media_files() == {}
    assert_not_found(client_for(alice).get(f"/api/v1/cases/{world.case.pk}"))
    assert client_for(alice).get("/api/v1/cases").json() == []


def test_delete_leaves_other_cases_alone(world: World, bob_world: World, alice: User) -> None:
    bobs = {k: v for k, v in media_files().items() if k.startswith(f"cases/{bob_world.case.pk}/")}
    assert bobs
    client_for(alice).delete(f"/api/v1/cases/{world.case.pk}")
    assert Case.objects.filter(pk=bob_world.case.pk).exists()
    assert {k: v for k, v in media_files().items() if k.startswith(f"cases/{bob_world.case.pk}/")} == bobs
