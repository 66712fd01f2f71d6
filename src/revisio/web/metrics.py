"""Prometheus metrics (docs/deploy.md): request latency by route, job durations, queue depth.

Labels are bounded by the code, never by the data: a request is labelled with its URL pattern's name (never
the path, which holds case IDs), its method and its status class; a job with its dotted path and outcome.

With several gunicorn workers each process counts for itself; ``PROMETHEUS_MULTIPROC_DIR`` (which
``revisio serve`` sets) makes prometheus-client keep the counts in files there, and ``/metrics`` adds up
every process's. The queue depth is read from Redis at each scrape, so any process can report it.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUEST_SECONDS = Histogram(
    "revisio_http_request_duration_seconds",
    "Time to answer a request, by URL pattern name, method and status class (2xx, 3xx, 4xx, 5xx).",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
JOB_SECONDS = Histogram(
    "revisio_job_duration_seconds",
    "Time a background job took, by job (its dotted path) and outcome (ok or failed).",
    ["job", "outcome"],
    buckets=(0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0),
)
JOBS_NOT_SENT = Counter(
    "revisio_jobs_not_sent_total", "Jobs that could not be handed to the broker (Redis unreachable).", ["job"]
)


def job_finished(job: str, outcome: str, seconds: float) -> None:
    JOB_SECONDS.labels(job=job, outcome=outcome).observe(seconds)


def job_not_sent(job: str) -> None:
    JOBS_NOT_SENT.labels(job=job).inc()


def route_of(request: HttpRequest) -> str:
    """The URL pattern's name (``cases:detail``), or ``static`` / ``unmatched``: never the raw path."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return str(match.view_name or match.route or "unnamed")
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"  # answered by WhiteNoise before any URL pattern is tried
    return "unmatched"


class MetricsMiddleware:
    """Times every request. First in MIDDLEWARE, so the time includes every other middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        REQUEST_SECONDS.labels(
            route=route_of(request), method=method, status=f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response


class QueueDepthCollector:
    """The number of jobs waiting in the Celery queue (Redis ``LLEN``), read at each scrape."""

    def describe(self) -> list[Metric]:
        return []  # nothing to read when the collector is registered

    def collect(self) -> Iterator[Metric]:
        url = getattr(settings, "CELERY_BROKER_URL", "")
        if not url:
            return
        import redis

        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        try:
            depth = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).llen(queue)
        except redis.RedisError:
            logger.warning("queue depth: the broker is unreachable", exc_info=True)
            return  # a missing series is what an alert rule on absent() looks for; /readyz says why
        gauge = GaugeMetricFamily("revisio_job_queue_depth", "Jobs waiting for a Celery worker.", labels=["queue"])
        gauge.add_metric([queue], float(depth))
        yield gauge


_queue_registry = CollectorRegistry(auto_describe=False)
_queue_registry.register(QueueDepthCollector())  # type: ignore[arg-type]


def exposition() -> bytes:
    """Every metric in Prometheus's text format: this process's, or with ``PROMETHEUS_MULTIPROC_DIR`` every
    process's added up."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(_queue_registry)


def client_allowed(request: HttpRequest) -> bool:
    """The peer, and every address a proxy says it forwarded for, are in ``REVISIO_METRICS_ALLOWED_IPS``.

    Behind a proxy on the same host every request's peer is 127.0.0.1; the proxy's ``X-Forwarded-For`` is
    what tells an outside client from the Prometheus server next door."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    claimed = [request.META.get("REMOTE_ADDR", ""), *(part.strip() for part in forwarded.split(",") if part.strip())]
    networks = settings.REVISIO_METRICS_ALLOWED_NETWORKS
    for address in claimed:
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            return False
        if not any(parsed in network for network in networks):
            return False
    return True


@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    """``/metrics``: a 404 to anyone else, as if there were nothing here."""
    if not client_allowed(request):
        raise Http404
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
