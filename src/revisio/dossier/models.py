"""A dossier of a case: its build status and progress, and the three files a build leaves.

Files live under ``cases/<case id>/dossiers/`` with random names, like every other file of a case;
they are served only through the access-checked download view. The SHA-256 of each file is kept on
the row because a PDF cannot print its own hash: the download page shows it instead.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revisio.cases.models import Case

#: A dossier queued or building for longer than this is taken to have died with its worker: it no
#: longer blocks a new one, and its page stops refreshing.
STALE_AFTER = dt.timedelta(minutes=15)
#: The only extensions a dossier file can have (``cases.models.stored_name`` knows no ``.zip``).
_EXTENSIONS = frozenset({".pdf", ".zip"})


def _dossier_path(instance: Dossier, filename: str) -> str:
    suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"cases/{instance.case_id}/dossiers/{uuid.uuid4().hex}{suffix if suffix in _EXTENSIONS else ''}"


class DossierStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    BUILDING = "building", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Dossier(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="dossiers")
    status = models.CharField(max_length=10, choices=DossierStatus.choices, default=DossierStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])  # per cent
    stage = models.CharField(max_length=80, blank=True)  # English, marked with gettext_noop; shown translated
    # The pair the PDF is written in: the patient's language and Korean, for the clinic and K-medi.
    language = models.CharField(max_length=10, default="en")
    second_language = models.CharField(max_length=10, default="ko")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    kb_version = models.CharField(max_length=32, blank=True)
    pdf = models.FileField(upload_to=_dossier_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    zip_file = models.FileField(upload_to=_dossier_path, max_length=300, blank=True)
    zip_sha256 = models.CharField(max_length=64, blank=True)
    draft_pdf = models.FileField(upload_to=_dossier_path, max_length=300, blank=True)  # the K-medi draft
    draft_sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "-created_at"], name="dossier_case_latest")]

    def __str__(self) -> str:
        return f"dossier {self.pk} of case {self.case_id}: {self.status}"

    @property
    def is_running(self) -> bool:
        return self.status in (DossierStatus.QUEUED, DossierStatus.BUILDING) and not self.is_stalled

    @property
    def is_stalled(self) -> bool:
        unfinished = self.status in (DossierStatus.QUEUED, DossierStatus.BUILDING)
        return unfinished and self.created_at < timezone.now() - STALE_AFTER
