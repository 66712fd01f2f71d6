"""Who may call what, on every endpoint in the table (``support.ENDPOINTS``, checked against OpenAPI).

Anonymous callers and bad tokens get 401; another patient, another agency and staff get 404 for
alice's case, never its data; people it is shared with may read it but not change it, and lose even
that when the share is revoked or expires. A refused request changes no row and no stored file.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from revisio.accounts.models import User
from revisio.accounts.services import api_token_create, api_token_revoke
from revisio.cases.models import CaseShare
from revisio.cases.services import case_share_revoke
from tests.api.support import (
    BY_CLINICIAN,
    CASE_READS,
    CASE_SCOPED,
    CASE_WRITES,
    PROTECTED,
    SHARED_READS,
    Endpoint,
    World,
    assert_not_found,
    content_of,
    error_of,
    snapshot,
    token_client,
)
from tests.cast import client_for


def _client(user: User, how: str) -> Client:
    return client_for(user) if how == "session" else token_client(user)


# --- authentication ------------------------------------------------------------------------------


SIGNED_IN = PROTECTED + BY_CLINICIAN


@pytest.mark.parametrize("endpoint", SIGNED_IN, ids=str)
def test_anonymous_gets_401_and_changes_nothing(endpoint: Endpoint, world: World) -> None:
    before = snapshot()
    error = error_of(endpoint.call(Client(), world), 401, "unauthenticated")
    assert "Bearer rv_" in error["message"]  # says how to sign in
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", PROTECTED, ids=str)
def test_token_of_the_owner_succeeds(endpoint: Endpoint, world: World, alice: User) -> None:
    before = snapshot()
    response = endpoint.call(token_client(alice), world)
    assert response.status_code == endpoint.success, response.content[:500]
    assert (snapshot() != before) == endpoint.write


@pytest.mark.parametrize("endpoint", BY_CLINICIAN, ids=str)
def test_token_of_the_clinician_succeeds(endpoint: Endpoint, world: World, dave: User) -> None:
    before = snapshot()
    response = endpoint.call(token_client(dave), world)
    assert response.status_code == endpoint.success, response.content[:500]
    assert snapshot() != before


@pytest.mark.parametrize("endpoint", SIGNED_IN, ids=str)
def test_revoked_token_gets_401(endpoint: Endpoint, world: World, alice: User) -> None:
    token, secret = api_token_create(user=alice, name="laptop")
    api_token_revoke(token=token)
    before = snapshot()
    error_of(endpoint.call(Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), world), 401, "unauthenticated")
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", SIGNED_IN, ids=str)
def test_garbage_token_gets_401(endpoint: Endpoint, world: World) -> None:
    before = snapshot()
    response = endpoint.call(Client(HTTP_AUTHORIZATION="Bearer rv_" + "x" * 40), world)
    error_of(response, 401, "unauthenticated")
    assert snapshot() == before


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Bearer rv_", id="prefix-only"),
        pytest.param("Bearer not-a-revisio-token", id="wrong-prefix"),
        pytest.param("Bearer ", id="empty"),
        pytest.param("Token rv_abc", id="wrong-scheme"),
        pytest.param("Basic YWxpY2VAZXhhbXBsZS5vcmc6cGFzc3dvcmQ=", id="basic-auth"),
    ],
)
def test_malformed_authorization_gets_401(header: str, world: World) -> None:
    error_of(Client(HTTP_AUTHORIZATION=header).get(f"/api/v1/cases/{world.case.pk}"), 401, "unauthenticated")


def test_token_of_a_deactivated_account_gets_401(world: World, alice: User) -> None:
    client = token_client(alice)
    assert client.get("/api/v1/cases").status_code == 200
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    error_of(client.get("/api/v1/cases"), 401, "unauthenticated")


def test_a_token_records_its_last_use(world: World, alice: User) -> None:
    token, secret = api_token_create(user=alice, name="script")
    assert token.last_used_at is None
    Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/cases")
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- another patient, other agencies, staff --------------------------------------------------------


@pytest.mark.parametrize("how", ["session", "token"])
@pytest.mark.parametrize("endpoint", CASE_SCOPED, ids=str)
def test_another_patient_gets_404_and_changes_nothing(
    endpoint: Endpoint, how: str, world: World, bob_world: World, bob: User
) -> None:
    before = snapshot()
    response = endpoint.call(_client(bob, how), world)
    assert_not_found(response)
    assert b"Hips" not in response.content and b"Example Clinic" not in response.content
    assert snapshot() == before


@pytest.mark.parametrize("outsider", ["dan", "erin"])
@pytest.mark.parametrize("endpoint", CASE_SCOPED, ids=str)
def test_other_agency_and_staff_get_404(
    endpoint: Endpoint, outsider: str, world: World, request: pytest.FixtureRequest
) -> None:
    before = snapshot()
    assert_not_found(endpoint.call(client_for(request.getfixturevalue(outsider)), world))
    assert snapshot() == before


def test_case_list_of_each_person(
    world: World, bob_world: World, bob: User, carol: User, dave: User, dan: User
) -> None:
    def titles(user: User) -> list[str]:
        return [case["title"] for case in client_for(user).get("/api/v1/cases").json()]

    assert titles(bob) == ["Bob's nose"]
    assert titles(carol) == ["Hips"]
    assert titles(dave) == ["Hips"]
    assert titles(dan) == []


# --- people alice shares her case with -------------------------------------------------------------


@pytest.mark.parametrize("reader", ["carol", "dave"])
@pytest.mark.parametrize("endpoint", SHARED_READS, ids=str)
def test_shared_readers_see_what_the_owner_sees(
    endpoint: Endpoint, reader: str, world: World, alice: User, request: pytest.FixtureRequest
) -> None:
    owners = endpoint.call(client_for(alice), world)
    readers = endpoint.call(client_for(request.getfixturevalue(reader)), world)
    assert readers.status_code == owners.status_code == 200, readers.content[:500]
    if not readers["Content-Type"].startswith("application/json"):
        assert content_of(readers) == content_of(owners) != b""
        return
    seen, expected = readers.json(), owners.json()
    if isinstance(seen, dict) and "owner_is_me" in seen:
        assert (seen.pop("owner_is_me"), expected.pop("owner_is_me")) == (False, True)
    assert seen == expected
    assert seen  # not an empty list: the world has one of everything


@pytest.mark.parametrize("how", ["session", "token"])
@pytest.mark.parametrize("reader", ["carol", "dave"])
@pytest.mark.parametrize("endpoint", CASE_WRITES, ids=str)
def test_shared_readers_cannot_write(
    endpoint: Endpoint, reader: str, how: str, world: World, request: pytest.FixtureRequest
) -> None:
    before = snapshot()
    assert_not_found(endpoint.call(_client(request.getfixturevalue(reader), how), world))
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", CASE_READS, ids=str)
def test_revoked_share_gets_404(endpoint: Endpoint, world: World, carol: User, dave: User) -> None:
    for share in CaseShare.objects.filter(case=world.case):
        case_share_revoke(share=share)
    assert_not_found(endpoint.call(client_for(carol), world))
    assert_not_found(endpoint.call(client_for(dave), world))


@pytest.mark.parametrize("endpoint", SHARED_READS, ids=str)
def test_expired_share_gets_404(endpoint: Endpoint, world: World, carol: User) -> None:
    share = CaseShare.objects.get(case=world.case, agency__isnull=False)
    share.expires_at = timezone.now() + dt.timedelta(hours=1)
    share.save(update_fields=["expires_at"])
    assert endpoint.call(client_for(carol), world).status_code == 200
    CaseShare.objects.filter(pk=share.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_not_found(endpoint.call(client_for(carol), world))


# --- IDs that name nothing, or something of another case -----------------------------------------

PATH_IDS = [(e, name) for e in CASE_SCOPED for name in e.placeholders]


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "1", "00000000-0000-0000-0000-00000000000g", str(uuid.uuid4())])
@pytest.mark.parametrize(("endpoint", "name"), PATH_IDS, ids=[f"{e}:{name}" for e, name in PATH_IDS])
def test_malformed_or_unknown_ids_are_404(
    endpoint: Endpoint, name: str, bad_id: str, world: World, alice: User
) -> None:
    before = snapshot()
    assert_not_found(endpoint.call(client_for(alice), world, **{name: bad_id}))
    assert snapshot() == before


# Objects of a case; a plan step ("contact-surgeon") or a kind of file ("pdf") is not a row of one case.
CHILD_IDS = [(e, name) for e, name in PATH_IDS if name not in ("case_id", "step", "kind")]


@pytest.mark.parametrize(("endpoint", "name"), CHILD_IDS, ids=[f"{e}:{name}" for e, name in CHILD_IDS])
def test_an_object_of_another_case_is_404_through_ones_own_case(
    endpoint: Endpoint, name: str, world: World, bob_world: World, alice: User
) -> None:
    """alice's own case ID with the ID of bob's device, document, check-in or photo."""
    before = snapshot()
    assert_not_found(endpoint.call(client_for(alice), world, **{name: bob_world.ids()[name]}))
    assert snapshot() == before
