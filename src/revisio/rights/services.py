"""Writes of data rights: ask for an export and build it (the background job), prune old exports, and
delete an account with everything in it.

A build writes the ZIP to an anonymous temporary file (gone with the process if it dies), then saves
it to storage and marks the export DONE in one transaction; if saving or committing fails, the saved
file is deleted again, so no half-written or unreferenced export stays behind.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from typing import IO

from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from revisio import jobs
from revisio.accounts.models import User
from revisio.rights import archive, erasure
from revisio.rights.models import KEEP_FOR, STALE_AFTER, DataExport, ExportStatus
from revisio.web.errors import Conflict

logger = logging.getLogger(__name__)

JOB = "revisio.rights.jobs.export_build"
KEEP_DAYS = KEEP_FOR.days


@transaction.atomic
def export_request(*, user: User) -> DataExport:
    """A new QUEUED export of everything ``user`` stored, built once this transaction commits."""
    export = export_create(user=user)
    jobs.enqueue(JOB, str(export.pk))
    return export


@transaction.atomic
def export_create(*, user: User) -> DataExport:
    """A new QUEUED export of ``user`` (built by ``export_build``).

    Expired exports (anyone's) are deleted first: asking for an export is what prunes them, so
    they go without a scheduler. Refused while another export of the same person is running.
    """
    exports_prune()
    running = DataExport.objects.filter(
        user=user,
        status__in=[ExportStatus.QUEUED, ExportStatus.BUILDING],
        created_at__gt=timezone.now() - STALE_AFTER,
    )
    if running.exists():
        raise Conflict(_("Your data is already being prepared."), code="export-running")
    return DataExport.objects.create(user=user, stage=archive.STAGE_QUEUED)


def export_build(*, export_id: uuid.UUID | str) -> DataExport | None:
    """Build (or rebuild) the export; returns it DONE or FAILED, or None if it no longer exists.

    Runs outside any transaction, so each progress update is committed and visible at once.
    """
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None:
        return None
    _report(export.pk, 0, archive.STAGE_READING, status=ExportStatus.BUILDING)
    try:
        with tempfile.TemporaryFile() as out:
            archive.build(
                user=export.user,
                out=out,
                made_at=timezone.now(),
                report=lambda progress, stage: _report(export.pk, progress, stage),
            )
            _report(export.pk, 96, archive.STAGE_SAVING)
            _store(export.pk, out)
    except Exception as error:  # the export records any failure; the job itself must not raise
        logger.exception("building data export %s failed", export.pk)
        _fail(export.pk, error)
    return DataExport.objects.filter(pk=export.pk).first()


def _report(export_id: uuid.UUID, progress: int, stage: str, *, status: str | None = None) -> None:
    fields: dict[str, object] = {"progress": max(0, min(progress, 100)), "stage": stage}
    if status is not None:
        fields |= {"status": status, "error": "", "finished_at": None}
    DataExport.objects.filter(pk=export_id).update(**fields)


def _sha256_and_size(out: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    out.seek(0)
    for chunk in iter(lambda: out.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    out.seek(0)
    return digest.hexdigest(), size


def _store(export_id: uuid.UUID, out: IO[bytes]) -> None:
    """Save the ZIP and mark the export DONE; the saved file is removed if this does not commit."""
    sha256, size = _sha256_and_size(out)
    saved: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic():
            export = DataExport.objects.select_for_update().get(pk=export_id)
            old = _files([export])
            export.file.save("export.zip", File(out), save=False)
            saved.append((export.file.storage, export.file.name))
            export.sha256, export.size = sha256, size
            export.status, export.progress, export.stage = ExportStatus.DONE, 100, archive.STAGE_DONE
            export.error, export.finished_at = "", timezone.now()
            export.save()
            _delete_after_commit(old)
    except BaseException:
        for storage, name in saved:
            storage.delete(name)
        raise


@transaction.atomic
def _fail(export_id: uuid.UUID, error: Exception) -> None:
    export = DataExport.objects.select_for_update().filter(pk=export_id).first()
    if export is None:
        return
    _delete_after_commit(_files([export]))
    export.file = ""  # type: ignore[assignment]
    export.sha256, export.size = "", 0
    export.status, export.stage = ExportStatus.FAILED, archive.STAGE_FAILED
    export.error = f"{type(error).__name__}: {error}"[:500]
    export.finished_at = timezone.now()
    export.save()


def _files(exports: list[DataExport]) -> list[tuple[Storage, str]]:
    return [(e.file.storage, e.file.name) for e in exports if e.file.name]


def _delete_after_commit(files: list[tuple[Storage, str]]) -> None:
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def export_delete(*, export: DataExport) -> None:
    """Delete an export and its file now. Precondition: ``export`` came from ``export_get_for_user``."""
    files = _files([export])
    export.delete()
    _delete_after_commit(files)


@transaction.atomic
def exports_prune() -> int:
    """Delete every export whose retention time has passed, with its file; returns how many."""
    expired = list(DataExport.objects.select_for_update().filter(expires_at__lte=timezone.now()))
    files = _files(expired)
    DataExport.objects.filter(pk__in=[e.pk for e in expired]).delete()
    _delete_after_commit(files)
    return len(expired)


@transaction.atomic
def account_delete(*, user: User) -> erasure.Erased:
    """Delete the account and everything of it (see ``erasure``). Files go once the deletion commits.

    Precondition: the person confirmed it (their password and the confirmation word); the caller signs
    the request's session out after this returns.
    """
    return erasure.erase(user=user)
