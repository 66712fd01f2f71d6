"""The browser session signs in to the API too; then every change must carry the CSRF token.

A personal access token is not sent by the browser on its own, so token requests need no CSRF token.
"""

from __future__ import annotations

import pytest
from django.test import Client

from revisio.accounts.models import User
from tests.api.support import PROTECTED, Endpoint, World, error_of, snapshot, token_client
from tests.cast import client_for

UNSAFE = [e for e in PROTECTED if e.method != "GET"]
SESSION_READS = [e for e in PROTECTED if e.method == "GET"]


def _csrf_client(user: User) -> tuple[Client, str]:
    """A signed-in browser that enforces CSRF, and the token its CSRF cookie holds (as the docs page sets it)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/docs").status_code == 200
    return client, client.cookies["csrftoken"].value


@pytest.mark.parametrize("endpoint", SESSION_READS, ids=str)
def test_signed_in_session_reads(endpoint: Endpoint, world: World, alice: User) -> None:
    client, _ = _csrf_client(alice)
    response = endpoint.call(client, world)
    assert response.status_code == 200, response.content[:500]


@pytest.mark.parametrize("endpoint", UNSAFE, ids=str)
def test_session_change_without_csrf_token_is_refused(endpoint: Endpoint, world: World, alice: User) -> None:
    client, _ = _csrf_client(alice)
    before = snapshot()
    error = error_of(endpoint.call(client, world), 403, "http-error")
    assert "CSRF" in error["message"]
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", UNSAFE, ids=str)
def test_session_change_with_a_wrong_csrf_token_is_refused(endpoint: Endpoint, world: World, alice: User) -> None:
    client, _ = _csrf_client(alice)
    client.defaults["HTTP_X_CSRFTOKEN"] = "x" * 64
    before = snapshot()
    error_of(endpoint.call(client, world), 403, "http-error")
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", UNSAFE, ids=str)
def test_session_change_with_csrf_token_succeeds(endpoint: Endpoint, world: World, alice: User) -> None:
    client, token = _csrf_client(alice)
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    before = snapshot()
    response = endpoint.call(client, world)
    assert response.status_code == endpoint.success, response.content[:500]
    assert (snapshot() != before) == endpoint.write  # composing a message is a POST that stores nothing


@pytest.mark.parametrize("endpoint", UNSAFE, ids=str)
def test_token_change_needs_no_csrf_token(endpoint: Endpoint, world: World, alice: User) -> None:
    response = endpoint.call(token_client(alice, enforce_csrf_checks=True), world)
    assert response.status_code == endpoint.success, response.content[:500]


def test_signing_out_ends_api_access(world: World, alice: User) -> None:
    client = client_for(alice)
    assert client.get(f"/api/v1/cases/{world.case.pk}").status_code == 200
    client.logout()
    error_of(client.get(f"/api/v1/cases/{world.case.pk}"), 401, "unauthenticated")
