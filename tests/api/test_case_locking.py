"""PATCH /cases/{id} with If-Match: the ETag of a GET; a stale one is refused with 412 and writes nothing."""

from __future__ import annotations

from django.test import Client

from revisio.accounts.models import User
from revisio.cases.models import Case
from tests.api.support import API, World, error_of
from tests.cast import client_for


def _patch(client: Client, case: Case, body: dict[str, object], **headers: str):  # type: ignore[no-untyped-def]
    return client.patch(f"{API}/cases/{case.pk}", body, content_type="application/json", headers=headers)


def test_get_and_patch_give_the_version_as_an_etag(world: World, alice: User) -> None:
    client = client_for(alice)
    assert client.get(f"{API}/cases/{world.case.pk}")["ETag"] == '"1"'
    response = _patch(client, world.case, {"title": "Renamed"}, **{"If-Match": '"1"'})
    assert response.status_code == 200 and response["ETag"] == '"2"'
    assert client.get(f"{API}/cases/{world.case.pk}")["ETag"] == '"2"'


def test_a_stale_if_match_is_refused_and_writes_nothing(world: World, alice: User) -> None:
    phone, laptop = client_for(alice), client_for(alice)
    etag = phone.get(f"{API}/cases/{world.case.pk}")["ETag"]
    assert laptop.get(f"{API}/cases/{world.case.pk}")["ETag"] == etag
    assert _patch(phone, world.case, {"notes": "From the phone"}, **{"If-Match": etag}).status_code == 200
    stale = _patch(laptop, world.case, {"title": "From the laptop"}, **{"If-Match": etag})
    assert '"2"' in error_of(stale, 412, "case-changed")["message"]
    saved = Case.objects.get(pk=world.case.pk)
    assert (saved.title, saved.notes, saved.version) == ("Hips", "From the phone", 2)


def test_without_if_match_a_patch_writes_as_before(world: World, alice: User) -> None:
    client = client_for(alice)
    Case.objects.filter(pk=world.case.pk).update(version=7)
    response = _patch(client, world.case, {"title": "Renamed"})
    assert response.status_code == 200 and response["ETag"] == '"8"'
    assert _patch(client, world.case, {"title": "Again"}, **{"If-Match": "*"}).status_code == 200


def test_if_match_is_compared_strongly_and_checked_for_shape(world: World, alice: User) -> None:
    client = client_for(alice)
    assert _patch(client, world.case, {"title": "X"}, **{"If-Match": 'W/"1"'}).status_code == 412
    assert _patch(client, world.case, {"title": "X"}, **{"If-Match": '"5", "1"'}).status_code == 200
    malformed = _patch(client, world.case, {"title": "X"}, **{"If-Match": "1"})
    error_of(malformed, 400, "invalid", field="If-Match")
    assert Case.objects.get(pk=world.case.pk).title == "X"


def test_another_patients_if_match_learns_nothing(world: World, bob: User) -> None:
    response = _patch(client_for(bob), world.case, {"title": "Mine"}, **{"If-Match": '"1"'})
    assert response.status_code == 404
