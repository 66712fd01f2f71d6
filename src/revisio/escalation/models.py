"""When something went wrong: the communications log, the escalation plan's steps as the patient ticks
them off, and complaint or mediation applications with their dates."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from revisio.cases.models import Case, Document
from revisio.diary.models import Photo


class Direction(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    MESSENGER = "messenger", _("Messaging app")
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in-person", _("In person")
    LETTER = "letter", _("Letter")
    WEB_FORM = "web-form", _("Web form")
    OTHER = "other", _("Other")


class Counterpart(models.TextChoices):
    CLINIC = "clinic", _("The clinic")
    SURGEON = "surgeon", _("The surgeon")
    AGENCY = "agency", _("An agency or coordinator")
    SECOND_OPINION = "second-opinion", _("Another surgeon (second opinion)")
    COMPLAINT_BODY = "complaint-body", _("A complaint or mediation body")
    OTHER = "other", _("Other")


class Communication(models.Model):
    """One exchange with the clinic or anyone else about the case: who, when, how, what was said."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="communications")
    direction = models.CharField(_("sent or received"), max_length=10, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    counterpart = models.CharField(_("with"), max_length=16, choices=Counterpart.choices)
    counterpart_name = models.CharField(_("name"), max_length=200, blank=True)
    occurred_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    body = models.TextField(_("message text"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    photos = models.ManyToManyField(Photo, blank=True, related_name="communications")
    documents = models.ManyToManyField(Document, blank=True, related_name="communications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.direction} {self.counterpart}"


class StepState(models.Model):
    """A step of the escalation plan as the patient has seen and ticked it. The plan itself is
    recomputed from the case; this keeps when each step was first suggested, its due date and when
    it was done."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="step_states")
    step = models.CharField(max_length=64)
    first_suggested_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["first_suggested_on", "step"]
        constraints = [models.UniqueConstraint(fields=["case", "step"], name="one_state_per_step")]

    def __str__(self) -> str:
        return f"{self.step}: {'done' if self.done_on else 'open'}"


class ApplicationStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    FILED = "filed", _("Filed")
    ACCEPTED = "accepted", _("Accepted by the other side")
    DISMISSED = "dismissed", _("Dismissed")
    SETTLED = "settled", _("Settled or decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ComplaintApplication(models.Model):
    """A complaint or mediation application to a body of the knowledge base (``revisio kb show ID``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="applications")
    body = models.CharField(_("body"), max_length=64)  # a complaint-body ID of the knowledge base
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.PREPARING
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    claim_amount = models.PositiveBigIntegerField(_("amount claimed"), null=True, blank=True)
    claim_currency = models.CharField(_("currency"), max_length=3, blank=True)
    note = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.body} ({self.status})"
