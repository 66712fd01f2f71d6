"""A data export: one ZIP of everything a person stored, built in the background and kept for a while.

The file lives under ``exports/`` in the media folder with a random name and is served only to its
owner through an access-checked view. It is deleted ``KEEP_FOR`` after it was asked for: by the next
export anyone asks for, by ``revisio export-user --prune``, or with the account.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: How long a finished export can be downloaded before it is deleted.
KEEP_FOR = dt.timedelta(days=7)
#: An export queued or building for longer than this died with its worker: it no longer blocks a new one.
STALE_AFTER = dt.timedelta(minutes=30)


def _export_path(instance: DataExport, filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}.zip"


def _expiry() -> dt.datetime:
    return timezone.now() + KEEP_FOR


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    BUILDING = "building", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class DataExport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])  # per cent
    stage = models.CharField(max_length=80, blank=True)  # English, marked with gettext_noop; shown translated
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=_expiry)
    file = models.FileField(upload_to=_export_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)  # bytes
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.pk} of user {self.user_id}: {self.status}"

    @property
    def is_running(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.BUILDING) and not self.is_stalled

    @property
    def is_stalled(self) -> bool:
        unfinished = self.status in (ExportStatus.QUEUED, ExportStatus.BUILDING)
        return unfinished and self.created_at < timezone.now() - STALE_AFTER

    @property
    def is_downloadable(self) -> bool:
        return self.status == ExportStatus.DONE and bool(self.file.name) and self.expires_at > timezone.now()
