"""Writes of dossiers: ask for one (the web page, the CLI), and build it (the background job).

A build stores its three files and marks the dossier DONE in one step, inside
``cleanup_on_failure``: if anything fails, before or while saving, no new file stays behind, the
dossier is FAILED with the reason, and the files of an earlier build of it are removed too (a
FAILED dossier never offers a download). Re-running a build replaces its files.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from revisio import jobs
from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.dossier import builder
from revisio.dossier.labels import KOREAN, dossier_language
from revisio.dossier.models import STALE_AFTER, Dossier, DossierStatus
from revisio.dossier.selectors import dossier_case, dossier_running
from revisio.web.errors import Conflict
from revisio.web.files import cleanup_on_failure, save_file

logger = logging.getLogger(__name__)

JOB = "revisio.dossier.jobs.dossier_build"


@transaction.atomic
def dossier_create(*, case: Case, user: User | None) -> Dossier:
    """A new QUEUED dossier of ``case`` in the owner's language and Korean.

    Precondition: ``case`` came from ``case_get_for_user(write=True)`` (only the owner builds).
    """
    if dossier_running(case=case).filter(created_at__gt=timezone.now() - STALE_AFTER).exists():
        raise Conflict(_("A dossier of this case is already being built."), code="dossier-running")
    return Dossier.objects.create(
        case=case,
        created_by=user,
        language=dossier_language(list(case.owner.languages)),
        second_language=KOREAN,
        stage=builder.STAGE_QUEUED,
    )


@transaction.atomic
def dossier_request(*, case: Case, user: User) -> Dossier:
    """Create a dossier and build it in the background once this transaction commits."""
    dossier = dossier_create(case=case, user=user)
    jobs.enqueue(JOB, str(dossier.pk))
    return dossier


def dossier_build(*, dossier_id: uuid.UUID | str) -> Dossier | None:
    """Build (or rebuild) the dossier; returns it DONE or FAILED, or None if it no longer exists.

    Runs outside any transaction, so each progress update is committed and visible at once.
    """
    dossier = Dossier.objects.select_related("case__owner").filter(pk=dossier_id).first()
    if dossier is None:
        return None
    _report(dossier.pk, 0, builder.STAGE_READING, status=DossierStatus.BUILDING)
    try:
        built = builder.build(
            case=dossier_case(case=dossier.case),
            dossier_id=str(dossier.pk),
            language=dossier.language,
            made_at=timezone.now(),
            report=lambda progress, stage: _report(dossier.pk, progress, stage),
        )
        _report(dossier.pk, 96, builder.STAGE_SAVING)
        with cleanup_on_failure():
            _store(dossier.pk, built)
    except Exception as error:  # the dossier records any failure; the job itself must not raise
        logger.exception("building dossier %s failed", dossier.pk)
        _fail(dossier.pk, error)
    return Dossier.objects.filter(pk=dossier.pk).first()  # None if deleted while it was being built


def _report(dossier_id: uuid.UUID, progress: int, stage: str, *, status: str | None = None) -> None:
    """Record progress; committed at once (no transaction is open), so the page sees it while building."""
    fields: dict[str, object] = {"progress": max(0, min(progress, 100)), "stage": stage}
    if status is not None:
        fields |= {"status": status, "error": "", "finished_at": None}
    Dossier.objects.filter(pk=dossier_id).update(**fields)


def _files(dossier: Dossier) -> list[tuple[Storage, str]]:
    """The stored files of a dossier as (storage, name), taken before anything is saved over them:
    saving a new file renames the ``FieldFile`` in place."""
    return [(f.storage, f.name) for f in (dossier.pdf, dossier.zip_file, dossier.draft_pdf) if f.name]


def _delete_after_commit(files: list[tuple[Storage, str]]) -> None:
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def _store(dossier_id: uuid.UUID, built: builder.Built) -> None:
    """Save the files and mark the dossier DONE; precondition: inside ``cleanup_on_failure``."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
    old = _files(dossier)
    save_file(dossier.pdf, "dossier.pdf", built.pdf)
    save_file(dossier.zip_file, "dossier.zip", built.zip)
    save_file(dossier.draft_pdf, "kmedi-draft.pdf", built.draft)
    dossier.pdf_sha256 = built.pdf_sha256
    dossier.zip_sha256 = hashlib.sha256(built.zip).hexdigest()
    dossier.draft_sha256 = hashlib.sha256(built.draft).hexdigest()
    dossier.kb_version = built.kb_version
    dossier.status = DossierStatus.DONE
    dossier.progress = 100
    dossier.stage = builder.STAGE_DONE
    dossier.error = ""
    dossier.finished_at = timezone.now()
    dossier.save()
    _delete_after_commit(old)


@transaction.atomic
def _fail(dossier_id: uuid.UUID, error: Exception) -> None:
    dossier = Dossier.objects.select_for_update().filter(pk=dossier_id).first()
    if dossier is None:
        return
    _delete_after_commit(_files(dossier))
    dossier.pdf = dossier.zip_file = dossier.draft_pdf = ""  # type: ignore[assignment]
    dossier.pdf_sha256 = dossier.zip_sha256 = dossier.draft_sha256 = ""
    dossier.status = DossierStatus.FAILED
    dossier.stage = builder.STAGE_FAILED
    dossier.error = f"{type(error).__name__}: {error}"[:500]
    dossier.finished_at = timezone.now()
    dossier.save()
