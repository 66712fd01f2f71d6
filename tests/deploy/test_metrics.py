"""``/metrics``: Prometheus's text format, to the allowed addresses only, labelled by route and never by path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import transaction
from django.test import Client
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from revisio import jobs
from revisio.accounts.models import User
from revisio.cases.models import Case
from tests.cast import client_for

OUTSIDE = "203.0.113.7"  # a documentation address: any client not in REVISIO_METRICS_ALLOWED_IPS


def scrape(client: Client | None = None) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    """name -> labels -> value of every sample /metrics gives."""
    response = (client or Client()).get("/metrics")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=")
    found: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def value(samples: dict[str, dict[tuple[tuple[str, str], ...], float]], name: str, **labels: str) -> float:
    return samples.get(name, {}).get(tuple(sorted(labels.items())), 0.0)


@pytest.mark.django_db
def test_request_latency_is_labelled_by_route_never_by_path(case: Case, alice: User) -> None:
    count = "revisio_http_request_duration_seconds_count"
    detail = {"route": "cases:detail", "method": "GET", "status": "2xx"}
    missing = {"route": "unmatched", "method": "GET", "status": "4xx"}
    before = scrape()
    owner = client_for(alice)
    assert owner.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert owner.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert owner.get("/no-such-page/" + str(case.pk)).status_code == 404
    after = scrape()
    assert value(after, count, **detail) == value(before, count, **detail) + 2
    assert value(after, count, **missing) == value(before, count, **missing) + 1
    routes = {dict(labels)["route"] for labels in after[count]}
    assert not any(str(case.pk) in route or "/" in route for route in routes), routes


def test_job_durations_by_job_and_outcome(settings: Any) -> None:
    settings.CELERY_BROKER_URL = ""
    count = "revisio_job_duration_seconds_count"
    before = scrape()
    jobs.run("revisio.web.health._database")  # a job that fails: no database here
    jobs.run("os.getcwd")
    after = scrape()
    failed = {"job": "revisio.web.health._database", "outcome": "failed"}
    assert value(after, count, **failed) == value(before, count, **failed) + 1
    assert value(after, count, job="os.getcwd", outcome="ok") == value(before, count, job="os.getcwd", outcome="ok") + 1


@pytest.mark.django_db(transaction=True)
def test_queue_depth_counts_the_jobs_waiting_in_redis(broker: str, redis_client: redis.Redis) -> None:
    assert value(scrape(), "revisio_job_queue_depth", queue="revisio") == 0
    with transaction.atomic():
        for dossier_id in ("a", "b", "c"):
            jobs.enqueue("revisio.dossier.jobs.dossier_build", dossier_id)
    assert value(scrape(), "revisio_job_queue_depth", queue="revisio") == 3


def test_no_queue_depth_without_celery(settings: Any) -> None:
    settings.CELERY_BROKER_URL = ""
    assert "revisio_job_queue_depth" not in scrape()


@pytest.mark.parametrize(
    ("peer", "forwarded", "allowed"),
    [
        ("127.0.0.1", None, True),
        ("::1", None, True),
        (OUTSIDE, None, False),
        ("127.0.0.1", OUTSIDE, False),  # through a proxy on this host, for a client outside
        ("127.0.0.1", "127.0.0.1", True),
        ("not-an-address", None, False),
    ],
)
def test_only_allowed_addresses_see_metrics(peer: str, forwarded: str | None, allowed: bool) -> None:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    response = Client(REMOTE_ADDR=peer).get("/metrics", headers=headers)
    assert response.status_code == (200 if allowed else 404)
    assert (b"revisio_http_request_duration_seconds" in response.content) is allowed


def test_allowed_networks_may_be_ranges(settings: Any) -> None:
    import ipaddress

    settings.REVISIO_METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 404


REQUEST = """
import django
django.setup()
from django.test import Client
assert Client().get({path!r}).status_code == 200
"""
SCRAPE = REQUEST.replace(
    "assert Client().get({path!r}).status_code == 200", "print(Client().get('/metrics').content.decode())"
)


def test_several_processes_add_up_in_multiprocess_mode(tmp_path: Path) -> None:
    """As under gunicorn with ``revisio serve``: each worker process counts into the shared folder, and any of
    them answers /metrics with the sum. The folder is emptied at each start."""
    folder = tmp_path / "prometheus" / "web"
    folder.mkdir(parents=True)
    (folder / "histogram_999.db").write_bytes(b"left by a previous server")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REVISIO_", "DATABASE_URL"))}
    env |= {"DJANGO_SETTINGS_MODULE": "revisio.web.settings", "REVISIO_DATA_DIR": str(tmp_path)}
    env["REVISIO_ALLOWED_HOSTS"] = "testserver"  # the test client's host name
    _metrics_folder_in(env, tmp_path)
    assert env["PROMETHEUS_MULTIPROC_DIR"] == str(folder) and not (folder / "histogram_999.db").exists()
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", REQUEST.format(path="/healthz")], env=env, capture_output=True)
        assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-c", SCRAPE], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    counts = {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(done.stdout)
        for sample in family.samples
        if sample.name == "revisio_http_request_duration_seconds_count"
    }
    assert counts[(("method", "GET"), ("route", "healthz"), ("status", "2xx"))] == 2


def _metrics_folder_in(env: dict[str, str], data_dir: Path) -> None:
    """``revisio serve``'s own step, run as it runs: in a process whose environment the server inherits."""
    script = (
        "import os; from revisio.cli.web_commands import _metrics_folder; _metrics_folder('web'); "
        "print(os.environ['PROMETHEUS_MULTIPROC_DIR'])"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    env["PROMETHEUS_MULTIPROC_DIR"] = done.stdout.strip()
