"""``/healthz`` says the process answers; ``/readyz`` checks what it depends on and names what failed. Neither
needs a sign-in, and neither says anything about anyone's data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.deploy.conftest import S3


def test_liveness_needs_no_database(client: Client) -> None:
    """No ``db`` fixture: pytest-django refuses any query, so this fails if /healthz makes one."""
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_with_the_embedded_default(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}, "failed": []}


@pytest.mark.django_db
def test_not_ready_without_a_database(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "failed"}, "failed": ["database"]}
    assert b"refused" not in response.content, "the reason is logged, never shown"


@pytest.mark.django_db
def test_the_broker_is_checked_when_configured(client: Client, settings: Any, broker: str) -> None:
    assert client.get("/readyz").json()["checks"] == {"database": "ok", "broker": "ok"}
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]


@pytest.mark.django_db
def test_the_bucket_is_checked_when_configured(client: Client, s3: S3) -> None:
    assert client.get("/readyz").json()["checks"] == {"database": "ok", "storage": "ok"}
    s3.client.delete_bucket(Bucket=s3.bucket)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["failed"] == ["storage"] and s3.bucket not in response.content.decode()


@pytest.mark.django_db
def test_probes_over_plain_http_are_not_redirected_in_production(client: Client, settings: Any) -> None:
    """A load balancer probes the backend over HTTP; the HTTPS redirect would read as a failure."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
