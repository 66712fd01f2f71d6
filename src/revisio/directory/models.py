"""The directory: clinics and translators, the clinic a patient marks as treating her, and the
second-opinion referrals she asks for.

A clinic is identified by its name (English or Korean) in its city, so importing the same list twice
updates the clinics rather than duplicating them; a translator by name within their agency (or among the
independent translators). The partial unique constraints hold that even for two imports at once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from revisio.cases.models import Case
from revisio.web.countries import validate_country_code


class Clinic(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name_ko = models.CharField(_("name in Korean"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    specialties = models.JSONField(_("specialties"), default=list, blank=True)  # knowledge-base procedure IDs
    languages = models.JSONField(_("languages"), default=list, blank=True)  # language codes such as en, ko, zh
    # Korea registers clinics that may attract foreign patients (외국인환자 유치기관 등록); blank = not known.
    # Only ever a number someone read off a registration, never made up.
    foreign_patient_registration = models.CharField(
        _("foreign-patient registration number"), max_length=100, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "city", "name_en", "name_ko"]
        constraints = [
            models.CheckConstraint(condition=~Q(name_en="") | ~Q(name_ko=""), name="clinic_has_a_name"),
            models.UniqueConstraint(
                Lower("name_en"), Lower("city"), condition=~Q(name_en=""), name="one_clinic_per_english_name_and_city"
            ),
            models.UniqueConstraint(
                Lower("name_ko"), Lower("city"), condition=~Q(name_ko=""), name="one_clinic_per_korean_name_and_city"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and self.name_ko:
            return f"{self.name_en} ({self.name_ko})"
        return self.name_en or self.name_ko


class Translator(models.Model):
    """A medical interpreter or translator. With an agency, that agency's own; without, independent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)  # e.g. "weekdays 9-18 KST"
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="translators"
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "agency", condition=Q(agency__isnull=False), name="one_translator_per_name_in_agency"
            ),
            models.UniqueConstraint(
                Lower("name"), condition=Q(agency__isnull=True), name="one_independent_translator_per_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TreatingClinic(models.Model):
    """The directory's clinic the patient says treated her (the case's own clinic fields stay as she typed them)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="treating_clinic")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="treated_cases")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.case_id} → {self.clinic_id}"


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted by the clinic")
    DECLINED = "declined", _("Declined by the clinic")
    CANCELLED = "cancelled", _("Cancelled")


class Referral(models.Model):
    """The patient asks for a second opinion at another clinic; the agency her case is shared with sees it.

    Clinics have no accounts, so the patient records the clinic's answer (accepted or declined)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    to_clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="referrals")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(_("why a second opinion"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REQUESTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "to_clinic"],
                condition=Q(status="requested"),
                name="one_open_referral_per_clinic",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_clinic_id} ({self.status})"
