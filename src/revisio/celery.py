"""The Celery app: background jobs in worker processes when ``REVISIO_CELERY_BROKER_URL`` is set.

Configured from Django's settings (the ``CELERY_`` ones, set in ``revisio.web.settings`` from the
environment). One task, ``revisio.run_job``, runs any job of ``revisio.jobs`` by its dotted path, so a job
is the same function whether it runs inline or here. Start workers with ``revisio worker`` (or
``celery -A revisio.celery worker``).
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revisio.web.settings")

app = Celery("revisio")
# Celery's Django fix-up (active because DJANGO_SETTINGS_MODULE is set) sets Django up in the worker and
# closes stale database connections around each task.
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="revisio.run_job")
def run_job(job: str, *args: Any) -> None:
    """Run one job. Idempotent by contract (``revisio.jobs``): with late acknowledgement a job whose worker
    was killed is delivered again and runs again."""
    from revisio import jobs

    jobs.run(job, *args)
