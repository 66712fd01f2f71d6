"""The sharing API: shares with their scope, invitation links for clinicians, accepting one, second opinions.

Who may call each operation is also checked over the endpoint table (``test_access``); here are the
answers themselves, the owner-only rules said out loud, and the bad input each operation refuses.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from revisio.accounts.models import Agency, Role, User
from revisio.cases.models import Case, CaseShare, SecondOpinion, ShareInvite
from revisio.cases.sharing import invite_create, invite_secret_hash, opinion_add
from tests.api.support import (
    API,
    BY_CLINICIAN,
    Endpoint,
    World,
    assert_not_found,
    error_of,
    snapshot,
    token_client,
)
from tests.cast import client_for, make_user


def _url(case: Case, tail: str) -> str:
    return f"{API}/cases/{case.pk}/{tail}"


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


# --- shares --------------------------------------------------------------------------------------


def test_shares_are_listed_with_their_party_scope_and_state(world: World, alice: User, dave: User) -> None:
    client = client_for(alice)
    listed = client.get(_url(world.case, "shares")).json()
    assert [(s["party_kind"], s["party"], s["scope"], s["active"]) for s in listed] == [
        ("clinician", "dave@example.org", "full", True),  # newest first
        ("agency", "Seoul Care Agency", "full", True),
    ]
    assert listed[1]["agency_id"] == world.share.agency_id and listed[0]["agency_id"] is None
    assert {s["case_id"] for s in listed} == {str(world.case.pk)}

    assert client.delete(_url(world.case, f"shares/{listed[0]['id']}")).status_code == 204

    stopped = client.get(_url(world.case, "shares")).json()[0]
    assert (stopped["party"], stopped["active"]) == ("dave@example.org", False)
    assert dt.datetime.fromisoformat(stopped["revoked_at"]) <= timezone.now()


def test_the_owner_shares_with_an_agency_and_with_a_clinician(
    case: Case, alice: User, agency: Agency, carol: User, dave: User
) -> None:
    client = client_for(alice)
    seoul = dt.timezone(dt.timedelta(hours=9))
    ends = (timezone.now() + dt.timedelta(days=14)).replace(microsecond=0).astimezone(seoul)

    with_agency = _post(
        client,
        _url(case, "shares"),
        {"agency_id": agency.pk, "scope": "photos", "expires_at": ends.isoformat()},
    )
    with_dave = _post(client, _url(case, "shares"), {"clinician_email": " Dave@Example.org ", "scope": "deidentified"})

    assert with_agency.status_code == 201, with_agency.content
    body = with_agency.json()
    assert (body["party_kind"], body["party"], body["scope"], body["active"]) == (
        "agency",
        "Seoul Care Agency",
        "photos",
        True,
    )
    assert dt.datetime.fromisoformat(body["expires_at"]) == ends
    assert with_dave.status_code == 201, with_dave.content
    assert (with_dave.json()["party"], with_dave.json()["scope"]) == ("dave@example.org", "deidentified")
    # Each sees what the scope allows, and nothing else.
    assert client_for(carol).get(_url(case, "photos")).status_code == 200
    assert_not_found(client_for(carol).get(f"{API}/cases/{case.pk}"))
    seen = client_for(dave).get(f"{API}/cases/{case.pk}").json()
    assert seen["title"].startswith("Shared case ") and seen["title"] != "Hips"


@pytest.mark.parametrize(
    ("body", "status", "field", "says"),
    [
        pytest.param({"agency_id": 999_999}, 400, "agency_id", "no agency with the ID 999999", id="unknown-agency"),
        pytest.param({"clinician_email": "nobody@example.org"}, 400, "clinician_email", "invitation", id="unknown"),
        pytest.param({"clinician_email": "bob@example.org"}, 400, "clinician_email", "invitation", id="a-patient"),
        pytest.param({}, 400, "party", "either an agency or a clinician", id="nobody"),
        pytest.param({"scope": "everything", "agency_id": 0}, 422, None, "", id="bad-scope-and-id"),
        pytest.param({"clinician_email": "dave@example.org", "scope": "all"}, 422, "scope", "", id="bad-scope"),
        pytest.param(
            {"clinician_email": "dave@example.org", "expires_at": "2020-01-01T00:00:00Z"},
            400,
            "expires_at",
            "already passed",
            id="expired",
        ),
        pytest.param(
            {"clinician_email": "dave@example.org", "expires_at": "2030-01-01T00:00:00"},
            400,
            "expires_at",
            "time zone",
            id="no-time-zone",
        ),
        pytest.param(
            {"clinician_email": "dave@example.org", "expires_at": "9999-12-31T23:59:59-14:00"},
            400,
            "expires_at",
            "9999",
            id="beyond-9999",
        ),
        pytest.param({"clinician_email": "dave@example.org\x00"}, 422, "clinician_email", "NUL", id="nul"),
        pytest.param(["agency_id", 1], 422, None, "JSON object", id="not-an-object"),
    ],
)
def test_bad_share_requests_are_refused_and_change_nothing(
    body: Any, status: int, field: str | None, says: str, world: World, alice: User, bob: User
) -> None:
    before = snapshot()
    response = _post(client_for(alice), _url(world.case, "shares"), body)
    error = error_of(response, status, "invalid", field)
    assert says in error["message"], error
    assert snapshot() == before


def test_a_stopped_share_ends_access_on_the_api_at_once(world: World, alice: User, dave: User) -> None:
    daves = token_client(dave)  # a script of dave's, signed in before the share is stopped
    assert daves.get(f"{API}/cases/{world.case.pk}").status_code == 200
    share = CaseShare.objects.get(case=world.case, clinician=dave)

    assert client_for(alice).delete(_url(world.case, f"shares/{share.pk}")).status_code == 204

    assert_not_found(daves.get(f"{API}/cases/{world.case.pk}"))
    assert_not_found(daves.get(_url(world.case, "photos")))
    assert_not_found(_post(daves, _url(world.case, "opinions"), {"text": "One more thing."}))
    # Stopping it again changes nothing and says so with the same 204.
    revoked_at = CaseShare.objects.get(pk=share.pk).revoked_at
    assert client_for(alice).delete(_url(world.case, f"shares/{share.pk}")).status_code == 204
    assert CaseShare.objects.get(pk=share.pk).revoked_at == revoked_at


@pytest.mark.parametrize("who", ["carol", "dave", "bob"])
def test_only_the_owner_manages_sharing(who: str, world: World, request: pytest.FixtureRequest) -> None:
    """A coordinator or a clinician the case is shared with, and another patient, all get the same 404."""
    client = client_for(request.getfixturevalue(who))
    before = snapshot()
    for response in (
        client.get(_url(world.case, "shares")),
        _post(client, _url(world.case, "shares"), {"agency_id": world.share.agency_id}),
        client.delete(_url(world.case, f"shares/{world.share.pk}")),
        client.get(_url(world.case, "invites")),
        _post(client, _url(world.case, "invites"), {"link_days": 3}),
        client.delete(_url(world.case, f"invites/{world.invite.pk}")),
    ):
        assert_not_found(response)
    assert snapshot() == before


# --- invitation links ----------------------------------------------------------------------------


def test_an_invitation_link_is_shown_once_and_a_clinician_accepts_it(case: Case, alice: User, dave: User) -> None:
    owner = client_for(alice)
    until = timezone.localdate() + dt.timedelta(days=30)

    made = _post(
        owner,
        _url(case, "invites"),
        {"scope": "deidentified", "link_days": 3, "share_until": until.isoformat(), "note": "Dr Lee"},
    )

    assert made.status_code == 201, made.content
    created = made.json()
    match = re.fullmatch(r"http://testserver/invites/([A-Za-z0-9_-]{40,})/", created["link"])
    assert match, created["link"]
    secret = match.group(1)
    invite = ShareInvite.objects.get()
    assert invite.secret_sha256 == invite_secret_hash(secret) and secret not in invite.secret_sha256
    assert (created["scope"], created["note"], created["open"], created["accepted_by"]) == (
        "deidentified",
        "Dr Lee",
        True,
        None,
    )
    assert dt.datetime.fromisoformat(created["share_expires_at"]).date() == until
    listed = owner.get(_url(case, "invites"))
    assert secret.encode() not in listed.content and "link" not in listed.json()[0]  # shown once only
    assert listed.json()[0]["id"] == created["id"]

    accepted = _post(client_for(dave), f"{API}/invites/accept", {"secret": secret})

    assert accepted.status_code == 201, accepted.content
    share = accepted.json()
    assert (share["case_id"], share["party"], share["scope"], share["active"]) == (
        str(case.pk),
        "dave@example.org",
        "deidentified",
        True,
    )
    assert dt.datetime.fromisoformat(share["expires_at"]).date() == until
    assert client_for(dave).get(f"{API}/cases/{case.pk}").status_code == 200
    after = owner.get(_url(case, "invites")).json()[0]
    assert (after["open"], after["accepted_by"], after["share_id"]) == (False, "dave@example.org", share["id"])
    used = _post(client_for(dave), f"{API}/invites/accept", {"secret": secret})
    assert "not valid" in error_of(used, 404, "not-found")["message"]
    assert CaseShare.objects.filter(case=case, clinician=dave).count() == 1


def test_accepting_refuses_bad_links_and_accounts_that_are_not_a_clinicians(
    case: Case, alice: User, bob: User, carol: User, dave: User
) -> None:
    stopped, stopped_secret = invite_create(case=case)
    assert client_for(alice).delete(_url(case, f"invites/{stopped.pk}")).status_code == 204
    expired, expired_secret = invite_create(case=case)
    ShareInvite.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _open, secret = invite_create(case=case)
    accept = f"{API}/invites/accept"

    for bad in (stopped_secret, expired_secret, "not-a-real-secret", secret[:-1]):
        error = error_of(_post(client_for(dave), accept, {"secret": bad}), 404, "not-found")
        assert "used, stopped or has expired" in error["message"]
    for user in (alice, bob, carol):  # the patient herself, another patient, a coordinator
        error = error_of(_post(client_for(user), accept, {"secret": secret}), 400, "invalid")
        assert "Only a clinician" in error["message"]
    error_of(_post(client_for(dave), accept, {"secret": ""}), 422, "invalid", "secret")
    error_of(_post(client_for(dave), accept, {"secret": secret + "\x00"}), 422, "invalid", "secret")
    error_of(_post(client_for(dave), accept, {}), 422, "invalid", "secret")
    assert not CaseShare.objects.exists()
    assert ShareInvite.objects.get(secret_sha256=invite_secret_hash(secret)).is_open  # still there for dave


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        pytest.param({"link_days": 0}, 422, "link_days", id="no-days"),
        pytest.param({"link_days": 31}, 422, "link_days", id="too-many-days"),
        pytest.param({"scope": "all"}, 422, "scope", id="bad-scope"),
        pytest.param({"share_until": "2020-01-01"}, 400, "share_until", id="share-ends-in-the-past"),
        pytest.param({"share_until": "tomorrow"}, 422, "share_until", id="not-a-date"),
        pytest.param({"note": "x" * 201}, 422, "note", id="long-note"),
        pytest.param({"note": "Dr\x00Lee"}, 422, "note", id="nul"),
    ],
)
def test_bad_invite_requests_are_refused_and_make_no_link(
    body: dict[str, Any], status: int, field: str, case: Case, alice: User
) -> None:
    error_of(_post(client_for(alice), _url(case, "invites"), body), status, "invalid", field)
    assert not ShareInvite.objects.exists()


# --- second opinions -----------------------------------------------------------------------------


def test_a_clinician_gives_a_second_opinion_and_the_patient_reads_it(
    world: World, alice: User, carol: User, dave: User
) -> None:
    opinion_add(case=world.case, author=dave, text="Within what is expected.")
    sent = _post(client_for(dave), _url(world.case, "opinions"), {"text": "  Wait until six months.  "})

    assert sent.status_code == 201, sent.content
    assert (sent.json()["author_name"], sent.json()["text"], sent.json()["by_me"]) == (
        "Dave",
        "Wait until six months.",
        True,
    )
    patients = client_for(alice).get(_url(world.case, "opinions")).json()
    assert [(o["text"], o["by_me"]) for o in patients] == [
        ("Wait until six months.", False),  # newest first
        ("Within what is expected.", False),
    ]
    assert [o["text"] for o in client_for(dave).get(_url(world.case, "opinions")).json()] == [
        "Wait until six months.",
        "Within what is expected.",
    ]
    assert client_for(carol).get(_url(world.case, "opinions")).json() == []  # a coordinator reads none
    other = make_user("eve@example.org", Role.CLINICIAN)
    CaseShare.objects.create(case=world.case, clinician=other)
    assert client_for(other).get(_url(world.case, "opinions")).json() == []  # nor another clinician's


@pytest.mark.parametrize(
    ("text", "status", "says"),
    [
        pytest.param("   ", 400, "Write your opinion first", id="blank"),
        pytest.param("", 422, "", id="empty"),
        pytest.param("x" * 20_001, 422, "", id="too-long"),
        pytest.param("fine\x00", 422, "NUL", id="nul"),
    ],
)
def test_bad_opinions_are_refused(text: str, status: int, says: str, world: World, dave: User) -> None:
    before = SecondOpinion.objects.count()
    error = error_of(_post(client_for(dave), _url(world.case, "opinions"), {"text": text}), status, "invalid", "text")
    assert says in error["message"]
    assert SecondOpinion.objects.count() == before


def test_only_a_clinician_with_an_active_share_gives_an_opinion(
    world: World, alice: User, bob: User, carol: User, dave: User
) -> None:
    stranger = make_user("eve@example.org", Role.CLINICIAN)
    before = snapshot()
    for user in (alice, bob, carol, stranger):  # the patient, another patient, a coordinator, another clinician
        assert_not_found(_post(client_for(user), _url(world.case, "opinions"), {"text": "x"}))
    assert snapshot() == before
    # A photos-only share is enough to give one, though not to read the course of recovery.
    CaseShare.objects.filter(case=world.case, clinician=dave).update(scope="photos")
    assert _post(client_for(dave), _url(world.case, "opinions"), {"text": "From the photos: fine."}).status_code == 201
    assert_not_found(client_for(dave).get(_url(world.case, "opinions")))


@pytest.mark.parametrize("endpoint", BY_CLINICIAN, ids=str)
def test_a_clinicians_session_needs_the_csrf_token(endpoint: Endpoint, world: World, dave: User) -> None:
    client = client_for(dave)
    client.handler.enforce_csrf_checks = True  # type: ignore[attr-defined]
    before = snapshot()
    assert "CSRF" in error_of(endpoint.call(client, world), 403, "http-error")["message"]
    assert snapshot() == before
    assert client.get("/api/v1/docs").status_code == 200  # sets the CSRF cookie, as the docs page does
    client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    assert endpoint.call(client, world).status_code == endpoint.success
