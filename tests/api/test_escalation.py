"""Escalation through the API: the plan, ticking steps, composing a message, the log, applications,
and the complaint bodies with K-medi's fee."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from revisio import kb
from revisio.accounts.models import User
from revisio.escalation.models import Communication, ComplaintApplication, StepState
from tests.api.support import World, assert_not_found, error_of, snapshot
from tests.cast import client_for

API = "/api/v1"


def plan_of(world: World, user: User, **query: str) -> dict[str, Any]:
    response = client_for(user).get(f"{API}/cases/{world.case.pk}/plan", query)
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def test_plan_lists_the_steps_with_sources_in_either_language(world: World, alice: User) -> None:
    # Three weeks after hip fat transfer in Korea, home in the UK, a concern, the clinic not yet told.
    english = plan_of(world, alice, lang="en")
    korean = plan_of(world, alice, lang="ko")

    ids = [step["id"] for step in english["steps"]]
    assert ids == ["request-records-from-abroad", "contact-surgeon", "wait-and-remeasure", "home-country-care"]
    assert [step["id"] for step in korean["steps"]] == ids
    base = kb.load()
    assert english["kb_version"] == base.version
    for step in english["steps"]:
        assert step["sources"] and set(step["sources"]) <= set(base.sources)
    contact = english["steps"][1]
    assert contact["title"] == base.steps["contact-surgeon"].title.en
    assert korean["steps"][1]["title"] == base.steps["contact-surgeon"].title.ko
    assert contact["due"] == timezone.localdate().isoformat()
    remeasure = english["steps"][2]
    assert remeasure["due"] > timezone.localdate().isoformat()  # the date the result can be judged
    assert error_of(client_for(alice).get(f"{API}/cases/{world.case.pk}/plan?lang=fr"), 400, "invalid", "lang")


def test_reading_the_plan_records_nothing(world: World, alice: User) -> None:
    before = snapshot()
    plan = plan_of(world, alice)
    assert snapshot() == before
    assert all(step["first_suggested_on"] is None and step["done_on"] is None for step in plan["steps"])


def test_a_step_is_ticked_off_and_opened_again(world: World, alice: User) -> None:
    client = client_for(alice)
    url = f"{API}/cases/{world.case.pk}/plan/contact-surgeon"
    today = timezone.localdate().isoformat()

    done = client.put(url, {"done": True}, content_type="application/json")

    assert done.status_code == 200, done.content
    assert done.json() == {"step": "contact-surgeon", "first_suggested_on": today, "due_on": today, "done_on": today}
    assert StepState.objects.get(case=world.case, step="contact-surgeon").done_by == alice
    step = next(s for s in plan_of(world, alice)["steps"] if s["id"] == "contact-surgeon")
    assert (step["first_suggested_on"], step["done_on"]) == (today, today)

    reopened = client.put(url, {"done": False}, content_type="application/json")
    assert reopened.json()["done_on"] is None
    assert error_of(client.put(url, {"done": "maybe"}, content_type="application/json"), 422, "invalid", "done")


def test_a_step_outside_the_plan_is_404(world: World, alice: User) -> None:
    before = snapshot()
    url = f"{API}/cases/{world.case.pk}/plan/apply-k-medi"  # a real step, but the clinic was not even asked yet
    assert_not_found(client_for(alice).put(url, {"done": True}, content_type="application/json"))
    assert snapshot() == before


def test_a_message_in_japanese_and_korean_with_a_measured_photo(world: World, alice: User, carol: User) -> None:
    body = {
        "question": "correction",
        "language": "ja",
        "photo_ids": [str(world.photo.pk)],
        "free_text": "右側が硬いです。",
        "contact": "alice@example.org",
    }
    url = f"{API}/cases/{world.case.pk}/messages"

    response = client_for(alice).post(url, body, content_type="application/json")

    assert response.status_code == 200, response.content
    pair = response.json()
    assert (pair["own"]["language"], pair["korean"]["language"]) == ("ja", "ko")
    for message in (pair["own"], pair["korean"]):
        assert world.photo.taken_on.isoformat() in message["body"]
        assert "BRA" in message["body"]  # the photo's measurement, by its index
        assert "右側が硬いです。" in message["body"]  # her words, as written
        assert "alice@example.org" in message["body"]
    assert "골반 지방이식" in pair["korean"]["body"]
    assert not Communication.objects.filter(summary__contains="correct").exists()  # composing stores nothing
    # The coordinator the case is shared with may compose it too.
    assert client_for(carol).post(url, body, content_type="application/json").json() == pair


def test_bad_message_requests(world: World, bob_world: World, alice: User) -> None:
    client = client_for(alice)
    url = f"{API}/cases/{world.case.pk}/messages"
    unknown_question = client.post(url, {"question": "sue"}, content_type="application/json")
    error_of(unknown_question, 422, "invalid", "question")
    french = client.post(url, {"question": "see-me", "language": "fr"}, content_type="application/json")
    error_of(french, 422, "invalid", "language")
    foreign_photo = {"question": "see-me", "photo_ids": [str(bob_world.photo.pk)]}
    error_of(client.post(url, foreign_photo, content_type="application/json"), 400, "invalid", "photo_ids")


def test_communications_are_logged_and_listed(world: World, alice: User) -> None:
    client = client_for(alice)
    url = f"{API}/cases/{world.case.pk}/communications"
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    body = {
        "occurred_on": yesterday,
        "direction": "sent",
        "counterpart": "clinic",
        "counterpart_name": " Example Clinic ",
        "channel": "email",
        "summary": "Asked whether the asymmetry is normal",
        "body": "Dear Dr Kim, ...",
        "language": "en",
        "photo_ids": [str(world.photo.pk)],
    }

    created = client.post(url, body, content_type="application/json")

    assert created.status_code == 201, created.content
    entry = created.json()
    assert entry == {
        **body,
        "counterpart_name": "Example Clinic",
        "id": entry["id"],
        "document_ids": [],
    }
    listed = client.get(url).json()
    assert [e["id"] for e in listed][1] == entry["id"]  # newest first: the world's entry is from today
    assert listed[0]["document_ids"] == [str(world.document.pk)]
    # Writing to the clinic moves the plan on: the surgeon has been told.
    assert "contact-surgeon" not in [s["id"] for s in plan_of(world, alice)["steps"]]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        pytest.param({"occurred_on": "2999-01-01"}, 400, "occurred_on", id="future"),
        pytest.param({"occurred_on": "yesterday"}, 422, "occurred_on", id="not-a-date"),
        pytest.param({"channel": "pigeon"}, 400, "channel", id="unknown-channel"),
        pytest.param({"direction": "sideways"}, 422, "direction", id="unknown-direction"),
        pytest.param({"summary": ""}, 422, "summary", id="no-summary"),
        pytest.param({"photo_ids": ["not-a-uuid"]}, 422, "photo_ids.0", id="malformed-photo"),
    ],
)
def test_bad_communications_are_refused_and_write_nothing(
    world: World, alice: User, change: dict[str, Any], status: int, field: str
) -> None:
    body = {
        "occurred_on": timezone.localdate().isoformat(),
        "direction": "sent",
        "counterpart": "clinic",
        "channel": "email",
        "summary": "x",
        **change,
    }
    before = snapshot()
    response = client_for(alice).post(
        f"{API}/cases/{world.case.pk}/communications", body, content_type="application/json"
    )
    error_of(response, status, "invalid", field)
    assert snapshot() == before


def test_a_photo_of_another_case_cannot_be_attached(world: World, bob_world: World, alice: User) -> None:
    body = {
        "occurred_on": timezone.localdate().isoformat(),
        "direction": "sent",
        "counterpart": "clinic",
        "channel": "email",
        "summary": "x",
        "photo_ids": [str(bob_world.photo.pk)],
    }
    before = snapshot()
    response = client_for(alice).post(
        f"{API}/cases/{world.case.pk}/communications", body, content_type="application/json"
    )
    error_of(response, 400, "invalid", "attachments")
    assert snapshot() == before


def test_applications_are_recorded_and_listed(world: World, alice: User) -> None:
    client = client_for(alice)
    url = f"{API}/cases/{world.case.pk}/applications"
    filed = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    body = {
        "body": "k-medi",
        "status": "filed",
        "filed_on": filed,
        "reference": "2026-0042",
        "claim_amount": 30_000_000,
        "claim_currency": "krw",
        "note": "",
    }

    created = client.post(url, body, content_type="application/json")

    assert created.status_code == 201, created.content
    row = created.json()
    assert row == {**body, "claim_currency": "KRW", "id": row["id"]}
    assert {a["body"] for a in client.get(url).json()} == {"k-medi", "korea-consumer-agency"}
    assert ComplaintApplication.objects.get(pk=row["id"]).case == world.case


@pytest.mark.parametrize(
    ("change", "status", "field", "message"),
    [
        pytest.param({"body": "nowhere"}, 400, "body", "Unknown complaint body", id="unknown-body"),
        pytest.param({"status": "filed"}, 400, "filed_on", "Give the date", id="filed-without-date"),
        pytest.param({"status": "won"}, 422, "status", "", id="unknown-status"),
        pytest.param({"filed_on": "2999-01-01"}, 400, "filed_on", "in the future", id="future"),
        pytest.param({"claim_amount": -5}, 422, "claim_amount", "", id="negative-claim"),
    ],
)
def test_bad_applications_are_refused_and_write_nothing(
    world: World, alice: User, change: dict[str, Any], status: int, field: str, message: str
) -> None:
    before = snapshot()
    response = client_for(alice).post(
        f"{API}/cases/{world.case.pk}/applications", {"body": "k-medi", **change}, content_type="application/json"
    )
    assert message in error_of(response, status, "invalid", field)["message"]
    assert snapshot() == before


def test_complaint_bodies_with_their_sources(db: None) -> None:
    response = client_for(None).get(f"{API}/complaint-bodies")

    assert response.status_code == 200
    bodies = {body["id"]: body for body in response.json()}
    assert set(bodies) == set(kb.load().complaint_bodies)
    kmedi = bodies["k-medi"]
    assert kmedi["names"]["ko"] == "한국의료분쟁조정중재원"
    assert kmedi["consent"]["response_days"] == 14
    assert kmedi["limitation"]["years_from_knowledge"] == 3 and kmedi["limitation"]["years_from_act"] == 10
    assert all(cite["source"] in kb.load().sources for cite in kmedi["summary"]["cite"])
    assert any(route["value"] == "1372" for route in bodies["korea-consumer-agency"]["how_to_apply"])


def test_complaint_bodies_by_country(db: None) -> None:
    client = client_for(None)
    korean = {body["id"] for body in client.get(f"{API}/complaint-bodies", {"country": "KR"}).json()}
    assert korean == {"k-medi", "korea-consumer-agency", "khidi-medical-korea-support-center"}
    # A member state finds the EU's record; an unknown code is a clear error.
    german = client.get(f"{API}/complaint-bodies", {"country": "de"}).json()
    assert [body["id"] for body in german] == ["eu-national-contact-points"]
    error = error_of(client.get(f"{API}/complaint-bodies", {"country": "zz"}), 400, "invalid", "country")
    assert "unknown country 'zz'" in error["message"]


def test_k_medi_fee_for_a_claim(db: None) -> None:
    client = client_for(None)
    fee = client.get(f"{API}/complaint-bodies/k-medi/fee", {"claim": 30_000_000}).json()
    assert fee == {
        "body": "k-medi",
        "claim": 30_000_000,
        "fee": 72_000,
        "currency": "KRW",
        "sources": ["kmedi-fee-information", "kmedi-fee-information-zh"],
    }
    # K-medi's own examples (its Chinese fee page prints them).
    for claim, expected in ((1_000_000, 22_000), (10_000_000, 32_000), (100_000_000, 162_000), (300_000_000, 362_000)):
        assert client.get(f"{API}/complaint-bodies/k-medi/fee", {"claim": claim}).json()["fee"] == expected


def test_bad_fee_requests(db: None) -> None:
    client = client_for(None)
    error_of(client.get(f"{API}/complaint-bodies/k-medi/fee"), 422, "invalid", "claim")
    error_of(client.get(f"{API}/complaint-bodies/k-medi/fee", {"claim": "lots"}), 422, "invalid", "claim")
    error_of(client.get(f"{API}/complaint-bodies/k-medi/fee", {"claim": -1}), 422, "invalid", "claim")
    unknown = error_of(client.get(f"{API}/complaint-bodies/k-medy/fee", {"claim": 1}), 400, "invalid", "body_id")
    assert "did you mean k-medi" in unknown["message"]
    flat = error_of(client.get(f"{API}/complaint-bodies/korea-consumer-agency/fee", {"claim": 1}), 400, "invalid")
    assert "no fee that depends on the claim" in flat["message"]
