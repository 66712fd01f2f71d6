"""Check-ins over the API: each is answered with the assessment stored with it, in English or Korean."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from revisio import kb
from revisio.accounts.models import User
from revisio.diary.models import CheckIn
from tests.api.support import World, error_of, errors_of, snapshot, token_client
from tests.cast import client_for

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _today() -> str:
    return timezone.localdate().isoformat()


def _checkin(world: World, user: User, body: Any, query: str = "", **extra: Any) -> Any:
    url = f"/api/v1/cases/{world.case.pk}/checkins{query}"
    return client_for(user).post(url, body, content_type="application/json", **extra)


def test_chest_pain_is_an_emergency_with_sources_and_the_emergency_number(world: World, alice: User) -> None:
    response = _checkin(world, alice, {"date": _today(), "symptoms": ["chest-pain"], "pain": 6, "notes": " sharp "})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["level"], body["symptoms"], body["pain"], body["notes"]) == ("emergency", ["chest-pain"], 6, "sharp")
    assessment = body["assessment"]
    assert (assessment["level"], assessment["day"], assessment["language"]) == ("emergency", 21, "en")
    red_flags = [f for f in assessment["findings"] if f["kind"] == "red-flag"]
    assert red_flags and all(f["level"] == "emergency" for f in red_flags)
    sources = {source for f in red_flags for source in f["sources"]}
    assert sources and sources <= set(kb.load().sources)
    assert "chest pain" in red_flags[0]["message"].lower()
    # alice is in the UK: the first step names 999, not a number from another country.
    assert "999" in assessment["next_steps"][0]
    assert not any("119" in step or "911" in step for step in assessment["next_steps"])
    stored = CheckIn.objects.get(pk=body["id"])
    assert (stored.case, stored.level, stored.created_by) == (world.case, "emergency", alice)
    assert body["kb_version"] == assessment["kb_version"] == kb.load().version


def test_checkin_in_korean(world: World, alice: User) -> None:
    response = _checkin(world, alice, {"date": _today(), "symptoms": ["chest-pain"]}, "?lang=ko")
    assert response.status_code == 201
    assessment = response.json()["assessment"]
    assert assessment["language"] == "ko"
    assert all(HANGUL.search(f["message"]) for f in assessment["findings"])
    assert HANGUL.search(assessment["next_steps"][0]) and "999" in assessment["next_steps"][0]


def test_without_lang_the_account_language_then_the_browsers_applies(
    world: World, bob_world: World, alice: User, bob: User
) -> None:
    body = {"date": _today(), "symptoms": ["chest-pain"]}
    # alice's account says English: her browser's Korean does not override it, her explicit choice does.
    assert _checkin(world, alice, body, HTTP_ACCEPT_LANGUAGE="ko").json()["assessment"]["language"] == "en"
    client = client_for(alice)
    client.cookies["django_language"] = "ko"
    chosen = client.post(f"/api/v1/cases/{world.case.pk}/checkins", body, content_type="application/json").json()
    assert chosen["assessment"]["language"] == "ko" and HANGUL.search(chosen["assessment"]["findings"][0]["message"])
    # bob's account names no language: his browser's applies.
    assert _checkin(bob_world, bob, body, HTTP_ACCEPT_LANGUAGE="ko").json()["assessment"]["language"] == "ko"


def test_nothing_wrong_is_expected_with_the_recovery_timeline(world: World, alice: User, surgery_date: dt.date) -> None:
    body = _checkin(world, alice, {"date": _today(), "temperature_c": 36.8}).json()
    assert (body["level"], body["temperature_c"]) == ("expected", "36.8")
    assessment = body["assessment"]
    assert assessment["findings"] == []
    # fat transfer to the hips: final result from day 56 to day 180 after the procedure.
    assert assessment["final_result_from"] == (surgery_date + dt.timedelta(days=56)).isoformat()
    assert assessment["final_result_by"] == (surgery_date + dt.timedelta(days=180)).isoformat()


def test_a_fever_raises_the_level(world: World, alice: User) -> None:
    body = _checkin(world, alice, {"date": _today(), "temperature_c": 39.2}).json()
    assert body["level"] in ("see-surgeon", "urgent", "emergency")
    assert body["assessment"]["findings"]


def test_checkin_list_newest_first_and_detail(world: World, alice: User, carol: User) -> None:
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    older = _checkin(world, alice, {"date": yesterday, "symptoms": ["bruising"]}).json()
    url = f"/api/v1/cases/{world.case.pk}/checkins"
    listed = client_for(alice).get(url).json()
    assert [c["id"] for c in listed] == [str(world.checkin.pk), older["id"]]
    assert listed[0]["photo_ids"] == [str(world.photo.pk)]
    assert (listed[0]["symptoms"], listed[0]["concerns"], listed[0]["level"]) == (
        ["swelling"],
        ["asymmetry"],
        "monitor",
    )
    assert client_for(alice).get(f"{url}/{older['id']}").json() == older
    korean = client_for(carol).get(f"{url}/{world.checkin.pk}?lang=ko").json()
    assert korean["assessment"]["language"] == "ko"
    assert all(HANGUL.search(f["message"]) for f in korean["assessment"]["findings"])
    assert client_for(alice).get(f"{url}?lang=ko").json()[0]["assessment"]["language"] == "ko"


@pytest.mark.parametrize("url", ["/checkins?lang=fr", "/checkins/{checkin}?lang=xx"])
def test_reading_in_an_unknown_language_is_400(world: World, alice: User, url: str) -> None:
    path = f"/api/v1/cases/{world.case.pk}" + url.format(checkin=world.checkin.pk)
    error_of(client_for(alice).get(path), 400, "invalid", "lang")


def _future() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def _long_ago() -> str:
    return (timezone.localdate() - dt.timedelta(days=400)).isoformat()


MISSING = object()

# (changes to a good body, status, code, field, words the message must hold)
BAD_CHECKINS: list[Any] = [
    pytest.param({"date": MISSING}, 422, "invalid", "date", [], id="missing-date"),
    pytest.param({"date": "yesterday"}, 422, "invalid", "date", [], id="date-not-a-date"),
    pytest.param({"date": "2026-02-30"}, 422, "invalid", "date", [], id="impossible-date"),
    pytest.param({"date": _future}, 400, "invalid", "date", ["future"], id="future-date"),
    pytest.param({"date": _long_ago}, 400, "invalid", "date", [], id="before-the-surgery"),
    pytest.param({"symptoms": "chest-pain"}, 422, "invalid", "symptoms", [], id="symptoms-a-string"),
    pytest.param({"symptoms": [1]}, 422, "invalid", "symptoms.0", [], id="symptom-a-number"),
    pytest.param({"symptoms": ["x"] * 51}, 422, "invalid", "symptoms", [], id="too-many-symptoms"),
    pytest.param(
        {"symptoms": ["chest-pian"]}, 400, "unknown-symptom", "symptoms", ["chest-pian", "chest-pain"], id="typo"
    ),
    pytest.param(
        {"symptoms": ["headache-xyz"]}, 400, "unknown-symptom", "symptoms", ["headache-xyz"], id="unknown-symptom"
    ),
    pytest.param(
        {"concerns": ["asymetry"]}, 400, "unknown-concern", "concerns", ["asymetry", "asymmetry"], id="concern-typo"
    ),
    pytest.param(
        {"concerns": ["chest-pain"]}, 400, "unknown-concern", "concerns", ["chest-pain"], id="symptom-as-concern"
    ),
    pytest.param(
        {"symptoms": ["asymmetry"]}, 400, "unknown-symptom", "symptoms", ["asymmetry"], id="concern-as-symptom"
    ),
    pytest.param({"pain": 11}, 422, "invalid", "pain", ["10"], id="pain-11"),
    pytest.param({"pain": -1}, 422, "invalid", "pain", [], id="pain-negative"),
    pytest.param({"pain": "severe"}, 422, "invalid", "pain", [], id="pain-a-word"),
    pytest.param({"pain": 5.5}, 422, "invalid", "pain", [], id="pain-a-fraction"),
    pytest.param({"temperature_c": 50}, 422, "invalid", "temperature_c", ["45"], id="temperature-50"),
    pytest.param({"temperature_c": 98.6}, 422, "invalid", "temperature_c", [], id="fahrenheit"),
    pytest.param({"temperature_c": 25}, 422, "invalid", "temperature_c", ["30"], id="temperature-25"),
    pytest.param({"temperature_c": "hot"}, 422, "invalid", "temperature_c", [], id="temperature-a-word"),
    pytest.param({"temperature_c": "NaN"}, 422, "invalid", "temperature_c", [], id="temperature-nan"),
    pytest.param({"notes": None}, 422, "invalid", "notes", [], id="notes-null"),
    pytest.param({"notes": "x" * 5001}, 422, "invalid", "notes", [], id="notes-too-long"),
    pytest.param({"notes": "a\x00b"}, 422, "invalid", "notes", ["NUL"], id="nul-in-notes"),
]


@pytest.mark.parametrize(("changes", "status", "code", "field", "words"), BAD_CHECKINS)
def test_bad_checkin_is_a_clear_4xx_and_saves_nothing(
    world: World, alice: User, changes: dict[str, Any], status: int, code: str, field: str, words: list[str]
) -> None:
    sent = {"date": _today(), **{k: v() if callable(v) else v for k, v in changes.items()}}
    body = {k: v for k, v in sent.items() if v is not MISSING}
    before = snapshot()
    error = error_of(_checkin(world, alice, body), status, code, field)
    for word in words:
        assert word in error["message"], error
    assert snapshot() == before


@pytest.mark.parametrize(("body", "status"), [("[]", 422), ('"2026-01-01"', 422), ("null", 422), ("{", 400)])
def test_a_body_that_is_not_an_object_saves_nothing(world: World, alice: User, body: str, status: int) -> None:
    before = snapshot()
    errors_of(_checkin(world, alice, body), status)
    assert snapshot() == before


def test_an_unknown_language_saves_no_checkin(world: World, alice: User) -> None:
    before = snapshot()
    error_of(_checkin(world, alice, {"date": _today()}, "?lang=fr"), 400, "invalid", "lang")
    assert snapshot() == before


def test_a_token_checkin_is_created_by_the_tokens_owner(world: World, alice: User) -> None:
    url = f"/api/v1/cases/{world.case.pk}/checkins"
    response = token_client(alice).post(url, {"date": _today()}, content_type="application/json")
    assert response.status_code == 201
    assert CheckIn.objects.get(pk=response.json()["id"]).created_by == alice
