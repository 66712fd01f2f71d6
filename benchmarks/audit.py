"""Benchmark: what the audit trail costs the case page, in requests per second on SQLite.

    .venv/bin/python benchmarks/audit.py [--requests 100] [--rounds 5] [--checkins 10] [--seed 7]

Sets up a temporary data folder and SQLite database (before Django starts) with one patient and a case
with ``--checkins`` check-ins of two small seeded synthetic photos each, then requests the case page
``--requests`` times through Django's test client (the whole middleware stack and view, no network),
alternating rounds with the audit trail on (``AuditMiddleware`` and one entry per request: a head row
locked, an entry inserted, the head moved on) and off (middleware removed, recording replaced by a no-op).
Prints the median requests per second of each and their ratio, and checks the log it wrote verifies.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PIL import Image

AUDIT_MIDDLEWARE = "revisio.audit.middleware.AuditMiddleware"


def synthetic_jpeg(pick: random.Random) -> bytes:
    buffer = io.BytesIO()
    colour = (pick.randrange(150, 220), pick.randrange(120, 180), pick.randrange(100, 160))
    Image.new("RGB", (160, 120), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def seed_case(checkins: int, seed: int) -> tuple[Any, Any]:
    from django.utils import timezone

    from revisio import jobs
    from revisio.accounts.services import user_create
    from revisio.cases.services import ProcedureInput, case_create
    from revisio.diary.services import PhotoInput, checkin_add

    pick = random.Random(seed)
    today = timezone.localdate()
    user = user_create(email="bench@example.org", password="bench password 1234", display_name="Bench Patient")
    case = case_create(
        owner=user,
        title="Benchmark case",
        clinic_name="Example Clinic",
        clinic_country="KR",
        procedures=[ProcedureInput("hourglass-hip", today - dt.timedelta(days=60))],
    )
    with jobs.paused():
        for index in range(checkins):
            checkin_add(
                case=case,
                user=user,
                date=today - dt.timedelta(days=checkins - index),
                symptoms=["swelling"],
                concerns=["asymmetry"] if index % 2 else [],
                pain=pick.randrange(0, 6),
                photos=[PhotoInput(synthetic_jpeg(pick), view, "hips") for view in ("front", "back")],
            )
    return case, user


def requests_per_second(url: str, user: Any, requests: int, *, audited: bool) -> float:
    from django.conf import settings
    from django.test import Client

    from revisio.audit import services

    recorder = services.case_access_record
    middleware = list(settings.MIDDLEWARE)
    if not audited:
        settings.MIDDLEWARE = [name for name in middleware if name != AUDIT_MIDDLEWARE]
        services.case_access_record = lambda **kwargs: None  # type: ignore[assignment]
    try:
        client = Client()  # loads the middleware as configured now
        client.force_login(user)
        assert client.get(url).status_code == 200  # warm: templates, the plan's first visit
        start = time.perf_counter()
        for _ in range(requests):
            client.get(url)
        return requests / (time.perf_counter() - start)
    finally:
        settings.MIDDLEWARE = middleware
        services.case_access_record = recorder  # type: ignore[assignment]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--checkins", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="revisio-bench-audit-")
    try:
        return run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: str) -> int:
    os.environ["REVISIO_DATA_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "revisio.web.settings"
    os.environ.setdefault("REVISIO_LOG_LEVEL", "WARNING")  # no per-request log lines in the timing
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import reverse

    from revisio.audit.models import AuditEntry
    from revisio.audit.verify import verify

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.REVISIO_JOBS_ENABLED = False
    # Static files from the source tree, as in the tests (no collectstatic manifest here).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    case, user = seed_case(args.checkins, args.seed)
    url = reverse("cases:detail", args=[case.pk])
    on: list[float] = []
    off: list[float] = []
    for _ in range(args.rounds):  # alternating, so drift in the machine's speed hits both alike
        off.append(requests_per_second(url, user, args.requests, audited=False))
        on.append(requests_per_second(url, user, args.requests, audited=True))
    with_audit, without = statistics.median(on), statistics.median(off)
    entries = AuditEntry.objects.filter(chain=f"case:{case.pk}").count()
    report = verify()
    print(
        f"case page, {case.checkins.count()} check-ins, {case.photos.count()} photos, SQLite, "
        f"{args.requests} requests x {args.rounds} rounds (median)"
    )
    print(f"  without the audit trail: {without:7.1f} requests/s")
    print(f"  with the audit trail:    {with_audit:7.1f} requests/s")
    print(f"  ratio with/without:      {with_audit / without:7.3f}  ({(1 - with_audit / without) * 100:+.1f}% slower)")
    print(f"  cost per request:        {(1 / with_audit - 1 / without) * 1000:7.2f} ms")
    print(f"  {entries} entries in the case's chain; verify: {'OK' if report.ok else report.problem}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
