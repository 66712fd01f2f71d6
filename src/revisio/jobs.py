"""Background work, run once the transaction that asked for it commits.

Embedded default: inline, in the process that queued it. With ``REVISIO_CELERY_BROKER_URL`` set, the job is
sent to Celery (``revisio.celery``) and a ``revisio worker`` runs it. Either way the job is the same
function called with the same arguments, so both paths store the same results.

Jobs are thin: they take IDs, call one service, and are safe to run twice (a Celery worker killed mid-job
has its job delivered again).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction

from revisio.web import metrics

logger = logging.getLogger(__name__)
_paused = threading.local()
#: What a job's arguments may be: they travel as JSON to a worker, so a model instance (or a UUID object)
#: would work inline and break only once Celery is switched on.
PLAIN = (str, int, float, bool, type(None))


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Queue nothing in this block (e.g. seeding synthetic photos that no model can read)."""
    _paused.active = True
    try:
        yield
    finally:
        _paused.active = False


def celery_enabled() -> bool:
    return bool(getattr(settings, "CELERY_BROKER_URL", ""))


def enqueue(job: str, *args: Any) -> None:
    """Run ``job`` (a dotted path to a function taking plain IDs) once the current transaction commits."""
    wrong = [arg for arg in args if not isinstance(arg, PLAIN)]
    if wrong:
        raise TypeError(f"job {job}: arguments must be plain IDs (str, int), not {type(wrong[0]).__name__}")
    if not settings.REVISIO_JOBS_ENABLED or getattr(_paused, "active", False):
        return
    if celery_enabled():
        transaction.on_commit(lambda: _send(job, args))
    else:
        transaction.on_commit(lambda: run(job, *args))


def _send(job: str, args: tuple[Any, ...]) -> None:
    # Imported here: the embedded default never loads Celery.
    from revisio.celery import run_job

    try:
        run_job.apply_async(args=(job, *args))
    except Exception:  # the broker is down: the request that queued it has committed and must still answer
        metrics.job_not_sent(job)
        logger.exception("job %s%r could not be sent to the broker", job, args)


def run(job: str, *args: Any) -> None:
    """Run ``job`` here and now (inline, or in a Celery worker). A job that fails is logged and counted, never
    raised; a job path that names no function raises (a programming error, not a failure of the job)."""
    module, _, name = job.rpartition(".")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    started = time.perf_counter()
    outcome = "ok"
    try:
        function(*args)
    except Exception:  # a failed job is logged, never allowed to break the request that queued it
        outcome = "failed"
        logger.exception("job %s%r failed", job, args)
    finally:
        metrics.job_finished(job, outcome, time.perf_counter() - started)
