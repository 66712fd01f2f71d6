"""Liveness and readiness for a load balancer or an orchestrator (docs/deploy.md). No sign-in, no data.

``/healthz``: the process answers (no database: a database outage must not get every web worker restarted).
``/readyz``: this process can serve: the database answers and, where configured, the broker and the media
storage. A failing check gives 503 and names the check; the reason goes to the log, not to the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker() -> None:
    import redis

    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )
    if not client.ping():
        raise ConnectionError("the broker did not answer PING")


def _storage() -> None:
    """A HEAD of the bucket: it fails if the bucket is missing or the credentials cannot reach it (a HEAD of
    an object would only say "not there")."""
    default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)  # type: ignore[attr-defined]


def checks() -> dict[str, Callable[[], None]]:
    """The checks that apply to this configuration."""
    found: dict[str, Callable[[], None]] = {"database": _database}
    if getattr(settings, "CELERY_BROKER_URL", ""):
        found["broker"] = _broker
    if hasattr(default_storage, "bucket_name"):  # S3 storage; the embedded default keeps files on local disk
        found["storage"] = _storage
    return found


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in checks().items():
        try:
            check()
        except Exception:  # any failure of a dependency makes this process not ready; the log has the detail
            logger.warning("readiness check %s failed", name, exc_info=True)
            results[name] = "failed"
        else:
            results[name] = "ok"
    failed = [name for name, result in results.items() if result != "ok"]
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", "checks": results, "failed": failed},
        status=503 if failed else 200,
    )
