"""``GET /api/v1/cases/{case_id}/audit``: the case's access log for its owner, newest first, a page at a time.

Who may call it is checked over the endpoint table (``test_access``); the endpoint is owner-only, so people
the case is shared with get 404 (``test_shared_readers_get_404_for_the_owners_own_reads`` below).
"""

from __future__ import annotations

import pytest
from django.test import Client

from revisio.accounts.models import User
from revisio.audit import services
from tests.api.support import ENDPOINTS, Endpoint, World, assert_not_found, error_of
from tests.cast import client_for

OWNER_ONLY = [e for e in ENDPOINTS if e.owner_only]


def test_the_log_lists_who_did_what_newest_first(world: World, alice: User, carol: User) -> None:
    client_for(carol).get(f"/api/v1/cases/{world.case.pk}/photos/{world.photo.pk}/image", REMOTE_ADDR="203.0.113.4")
    body = client_for(alice).get(f"/api/v1/cases/{world.case.pk}/audit").json()
    newest = body["entries"][0]
    assert newest["actor"] == {"kind": "user", "role": "coordinator", "user_id": carol.pk, "you": False}
    assert newest["who"] == "Carol, coordinator at Seoul Care Agency"
    assert (newest["action"], newest["object_type"], newest["object_id"]) == ("download", "photo", str(world.photo.pk))
    assert newest["description"].startswith("downloaded a photo of ") and newest["description"].endswith(
        "(through the API)"
    )
    assert (newest["ip"], newest["route"], newest["method"], newest["redacted"]) == (
        "203.0.113.4",
        "api:photo_image",
        "GET",
        False,
    )
    oldest = body["entries"][-1]
    assert (oldest["seq"], oldest["who"], oldest["description"]) == (1, "You", "created the case")
    assert [e["seq"] for e in body["entries"]] == sorted((e["seq"] for e in body["entries"]), reverse=True)
    assert body["next_before"] is None


def test_pages_and_the_person_filter(world: World, alice: User, dave: User) -> None:
    for _ in range(5):
        services.case_access_record(user=dave, case_id=world.case.pk)
    client = client_for(alice)
    url = f"/api/v1/cases/{world.case.pk}/audit"
    first = client.get(url, {"limit": 3}).json()
    assert len(first["entries"]) == 3 and first["next_before"] == first["entries"][-1]["seq"]
    second = client.get(url, {"limit": 3, "before": first["next_before"]}).json()
    assert second["entries"][0]["seq"] == first["next_before"] - 1
    only_dave = client.get(url, {"person": dave.pk}).json()["entries"]
    assert len(only_dave) == 5 and {e["who"] for e in only_dave} == {"Dave, clinician"}
    korean = client.get(url, {"person": dave.pk, "lang": "ko"}).json()["entries"]
    assert len(korean) == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [({"person": "carol@example.org"}, "person"), ({"limit": 0}, "limit"), ({"before": -1}, "before")],
)
def test_bad_log_requests(query: dict[str, object], field: str, world: World, alice: User) -> None:
    response = client_for(alice).get(f"/api/v1/cases/{world.case.pk}/audit", query)
    assert response.status_code in (400, 422)
    error_of(response, response.status_code, "invalid", field)


@pytest.mark.parametrize("reader", ["carol", "dave"])
@pytest.mark.parametrize("endpoint", OWNER_ONLY, ids=str)
def test_shared_readers_get_404_for_the_owners_own_reads(
    endpoint: Endpoint, reader: str, world: World, request: pytest.FixtureRequest
) -> None:
    assert_not_found(endpoint.call(client_for(request.getfixturevalue(reader)), world))


def test_anonymous_gets_401(world: World) -> None:
    error_of(Client().get(f"/api/v1/cases/{world.case.pk}/audit"), 401, "unauthenticated")
