"""The agency side of a shared case: who at the agency follows it, the agency's own notes, and alerts.

Everything here belongs to one agency: another agency sharing the same case sees none of it, and the
patient and clinicians never see it (it is the agency's working file, not part of the case record).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from revisio.cases.models import Case


class CaseAssignment(models.Model):
    """The coordinator (a member of the agency) and the translator an agency has put on a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_assignments")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="assignments")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agency_assignments",
        verbose_name=_("coordinator"),
    )
    translator = models.ForeignKey(
        "directory.Translator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("translator"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="one_assignment_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.case_id}"


class AgencyNote(models.Model):
    """A note an agency's coordinator keeps on a case, for that agency's coordinators only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_notes")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(max_length=200)  # as it was when written, kept if the account goes
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "case", "-created_at"], name="agency_note_case")]


class AlertKind(models.TextChoices):
    LEVEL_RAISED = "level-raised", _("A check-in raised the level")
    CHECKIN_MISSED = "check-in-missed", _("No check-in since a milestone fell due")


class Alert(models.Model):
    """Something on a shared case the agency should look at now.

    ``trigger`` names what caused it (``checkin:<id>`` or ``milestone:<procedure>:<milestone>:<date>``) so
    a job that runs twice, or two workers running it at once, make one alert (the unique constraint).
    """

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="alerts")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    level = models.CharField(max_length=20, blank=True)  # the check-in's level (``diary.models.Level``)
    trigger = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)  # the milestone's date, for a missed check-in
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "case", "kind", "trigger"], name="one_alert_per_trigger")
        ]
        indexes = [models.Index(fields=["agency", "read_at", "-created_at"], name="agency_alert_unread")]

    def __str__(self) -> str:
        return f"{self.kind} {self.trigger}"
