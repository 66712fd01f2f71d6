"""Background work. Embedded default: run inline, right after the transaction that asked for it commits.

Jobs are thin: they take IDs, call one service, and are safe to run twice.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)
_paused = threading.local()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Queue nothing in this block (e.g. seeding synthetic photos that no model can read)."""
    _paused.active = True
    try:
        yield
    finally:
        _paused.active = False


def enqueue(job: str, *args: Any) -> None:
    """Run ``job`` (a dotted path to a function taking plain IDs) once the current transaction commits."""
    if not settings.REVISIO_JOBS_ENABLED or getattr(_paused, "active", False):
        return
    transaction.on_commit(lambda: run(job, *args))


def run(job: str, *args: Any) -> None:
    module, _, name = job.rpartition(".")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    try:
        function(*args)
    except Exception:  # a failed job is logged, never allowed to break the request that queued it
        logger.exception("job %s%r failed", job, args)
