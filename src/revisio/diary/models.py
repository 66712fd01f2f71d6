"""The recovery diary: dated check-ins with their stored assessment, and photos.

A check-in keeps the assessment the engine gave when it was saved, with the knowledge-base version,
so what the patient was told can always be shown again exactly (and re-derived from the inputs).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from revisio.cases.models import Case, stored_name


class Level(models.TextChoices):
    """The engine's levels (``revisio.kb.Level``), least to most pressing."""

    EXPECTED = "expected", _("Expected")
    MONITOR = "monitor", _("Monitor")
    SEE_SURGEON = "see-surgeon", _("See your surgeon")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class CheckIn(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField(_("date"))
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)  # knowledge-base symptom IDs
    concerns = models.JSONField(_("concerns"), default=list, blank=True)  # knowledge-base concern IDs
    pain = models.PositiveSmallIntegerField(
        _("pain (0-10)"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    temperature_c = models.DecimalField(
        _("temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(45)],
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The assessment given when the check-in was saved.
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kb_version = models.CharField(max_length=32)
    assessment = models.JSONField()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["case", "-date", "-created_at"], name="checkin_case_latest")]

    def __str__(self) -> str:
        return f"{self.date}: {self.level}"


class View(models.TextChoices):
    """Standard photo views; left and right are the patient's own."""

    FRONT = "front", pgettext_lazy("photo view", "Front")
    BACK = "back", pgettext_lazy("photo view", "Back")
    LEFT = "left", pgettext_lazy("photo view", "Left side")
    RIGHT = "right", pgettext_lazy("photo view", "Right side")
    LEFT_OBLIQUE = "left-oblique", pgettext_lazy("photo view", "Left oblique")
    RIGHT_OBLIQUE = "right-oblique", pgettext_lazy("photo view", "Right oblique")
    TOP = "top", pgettext_lazy("photo view", "Top of the head")
    CLOSE_UP = "close-up", pgettext_lazy("photo view", "Close-up")


class BodyArea(models.TextChoices):
    FACE = "face", _("Face")
    EYES = "eyes", _("Eyes and eyelids")
    NOSE = "nose", _("Nose")
    CHIN_JAW = "chin-jaw", _("Chin and jaw")
    HEAD = "head", _("Head")
    NECK = "neck", _("Neck")
    BREASTS = "breasts", _("Breasts or chest")
    ABDOMEN = "abdomen", _("Abdomen")
    WAIST = "waist", _("Waist and flanks")
    HIPS = "hips", _("Hips")
    BUTTOCKS = "buttocks", _("Buttocks")
    THIGHS = "thighs", _("Thighs")
    ARMS = "arms", _("Arms")
    HANDS = "hands", _("Hands")
    SKIN = "skin", _("Skin or scar")
    OTHER = "other", _("Other")


def _photo_path(instance: Photo, filename: str) -> str:
    return stored_name(f"cases/{instance.case_id}/photos", filename)


def _thumbnail_path(instance: Photo, filename: str) -> str:
    return stored_name(f"cases/{instance.case_id}/thumbnails", filename)


class Photo(models.Model):
    """A photo with all metadata removed; ``sha256_original`` identifies the file as uploaded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    checkin = models.ForeignKey(CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos")
    view = models.CharField(pgettext_lazy("photo", "view"), max_length=20, choices=View.choices)
    body_area = models.CharField(_("body area"), max_length=20, choices=BodyArea.choices)
    taken_on = models.DateField(_("date taken"))
    image = models.FileField(upload_to=_photo_path, max_length=300)
    thumbnail = models.FileField(upload_to=_thumbnail_path, max_length=300)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    sha256_original = models.CharField(max_length=64)
    sha256_stored = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.view} {self.taken_on}"


class MeasurementKind(models.TextChoices):
    """``revisio.measure.Kind``: what is measured on a photo."""

    FACE = "face", _("Face symmetry")
    BREAST = "breast", _("Breast symmetry")
    HEAD_TOP = "head-top", _("Head shape from above")
    BODY = "body", _("Waist and hip widths")


class MeasurementStatus(models.TextChoices):
    DONE = "done", _("Measured")
    FAILED = "failed", _("Could not be measured")


class PhotoMeasurement(models.Model):
    """One measurement of a photo (an observation): the metrics, the landmarks they came from, who or
    what placed those landmarks, and the method. A correction adds a row; the newest row counts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="measurements")
    kind = models.CharField(max_length=20, choices=MeasurementKind.choices)
    status = models.CharField(max_length=10, choices=MeasurementStatus.choices)
    metrics = models.JSONField(default=dict)
    units = models.JSONField(default=dict)
    landmarks = models.JSONField(default=dict)
    landmarks_source = models.CharField(max_length=10, blank=True)  # auto or manual
    method = models.CharField(max_length=300, blank=True)
    validated = models.BooleanField(default=False)
    validation = models.CharField(max_length=300, blank=True)
    warnings = models.JSONField(default=list)
    error = models.CharField(max_length=500, blank=True)
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["photo", "kind", "-created_at"], name="measurement_latest")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.photo_id}: {self.status}"
