"""What ``revisio serve`` does at start-up to recover from a crash of the server before it.

With jobs inline (the embedded default), dossiers and data exports are built inside the web server's
processes. A server that was killed (SIGKILL, a power cut, the out-of-memory killer) leaves:

- rows QUEUED or BUILDING that nothing will ever finish. At start-up no worker of this server runs
  yet, so they are marked FAILED (with their files, if a rebuild had any, removed); the person can ask
  again at once instead of waiting for the stale timeout. A deployment with separate job workers
  (Celery) relies on that timeout instead, since its workers may still be building.
- files written whose row never committed: the stored-file sweep removes those older than its margin
  (``backup.files``); younger ones stay for the next start or ``revisio files sweep``, and the start-up
  report says how many, since ``revisio files check`` lists them until then.
- upload spool files (Django writes uploads over 5 MB to a temporary file while the body arrives) and
  other temporary files: ``revisio serve`` gives its server a temporary folder of its own under the
  data folder, emptied here, since no process of the server that used it is alive.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from revisio.backup.files import SWEEP_MARGIN, SweepRefused, files_sweep

logger = logging.getLogger(__name__)

INTERRUPTED = "Interrupted: the server stopped while this was being built. Ask for a new one."
#: Models of background jobs with a status: (app label, model name). Their failed stage text is "Failed".
JOB_MODELS = (("dossier", "Dossier"), ("rights", "DataExport"))
_UNFINISHED = ("queued", "building")


@dataclass
class Recovery:
    temp_dir: Path
    failed_jobs: dict[str, int] = field(default_factory=dict)
    swept_files: int = 0
    kept_files: int = 0  # unreferenced, but younger than the sweep's margin
    temp_files: int = 0
    sweep_refused: str = ""

    def lines(self) -> list[str]:
        lines = [
            f"Recovered {count} interrupted {label} build(s)" for label, count in self.failed_jobs.items() if count
        ]
        if self.swept_files:
            lines.append(f"Removed {self.swept_files} stored file(s) no row names (left by a crash)")
        if self.kept_files:
            minutes = int(SWEEP_MARGIN.total_seconds() // 60)
            lines.append(
                f"Kept {self.kept_files} stored file(s) no row names, changed in the last {minutes} minutes (a write "
                "may still be committing): the next start or 'revisio files sweep' removes them once older"
            )
        if self.temp_files:
            lines.append(f"Removed {self.temp_files} temporary file(s) left by the previous server")
        if self.sweep_refused:
            lines.append(f"Stored files were not swept: {self.sweep_refused}")
        return lines


def temp_dir() -> Path:
    """The server's own temporary folder (``TMPDIR`` of its processes), under the data folder."""
    return Path(settings.DATA_DIR) / "tmp"


def recover_at_start() -> Recovery:
    """Run before the server's workers start. Precondition: no process of a previous server of this data
    folder is alive (it is the one data folder's server, and it is starting)."""
    recovery = Recovery(temp_dir=temp_dir())
    recovery.temp_files = _empty_temp_dir(recovery.temp_dir)
    # Jobs inline: only this server could have been running them. With Celery, workers elsewhere may still be,
    # and a killed worker's job is delivered again (acks_late), so its rows are left alone.
    if settings.REVISIO_JOBS_ENABLED and not settings.CELERY_BROKER_URL:
        recovery.failed_jobs = fail_interrupted_jobs()
    try:
        swept = files_sweep()
        recovery.swept_files, recovery.kept_files = len(swept.deleted), len(swept.kept_young)
    except SweepRefused as refused:
        recovery.sweep_refused = str(refused)
        logger.warning("start-up sweep skipped: %s", refused)
    return recovery


def _empty_temp_dir(folder: Path) -> int:
    removed = 0
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return removed


@transaction.atomic
def fail_interrupted_jobs() -> dict[str, int]:
    """Mark every queued or building job row FAILED, removing any files it still names; returns counts
    by model. Precondition: nothing is running these jobs."""
    counts = {}
    for app_label, model_name in JOB_MODELS:
        if not apps.is_installed(f"revisio.{app_label}"):
            continue
        model = apps.get_model(app_label, model_name)
        counts[model._meta.verbose_name] = _fail_rows(model)
    return counts


def _fail_rows(model: type[models.Model]) -> int:
    file_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    rows = list(model._base_manager.select_for_update().filter(status__in=_UNFINISHED))
    files = []
    for row in rows:
        for name in file_fields:
            stored = getattr(row, name)
            if stored and stored.name:
                files.append((stored.storage, stored.name))
        for name in file_fields:
            setattr(row, name, "")
        for hash_field in ("sha256", "pdf_sha256", "zip_sha256", "draft_sha256"):
            if hasattr(row, hash_field):
                setattr(row, hash_field, "")
        row.status = "failed"  # type: ignore[attr-defined]
        row.stage = "Failed"  # type: ignore[attr-defined]
        row.error = INTERRUPTED  # type: ignore[attr-defined]
        row.finished_at = timezone.now()  # type: ignore[attr-defined]
        row.save()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return len(rows)
