"""The case record: procedures with dates, clinic and surgeon, implants and devices, documents, shares.

Procedures are knowledge-base IDs (``revisio procedures``), validated when written. Files are
stored under random names; the name a user uploaded is kept for display only, never as a path.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revisio.web.countries import validate_country_code


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("title"), max_length=200)
    clinic_name = models.CharField(_("clinic"), max_length=200, blank=True)
    clinic_city = models.CharField(_("city"), max_length=120, blank=True)
    clinic_country = models.CharField(_("country"), max_length=2, blank=True, validators=[validate_country_code])
    clinic_phone = models.CharField(_("phone"), max_length=40, blank=True)
    clinic_email = models.EmailField(_("e-mail"), blank=True)
    clinic_website = models.URLField(_("website"), blank=True)
    surgeon_name = models.CharField(_("surgeon"), max_length=200, blank=True)
    leaving_on = models.DateField(
        _("leaving the country of the operation on"),
        null=True,
        blank=True,
        help_text=_("Medical records and imaging are easiest to collect in person before you fly home."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: an edit says which version it started from; a save over a newer one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Copies of what lists sort by, kept by ``cases.services.case_urgency_refresh`` whenever a check-in or a
    # plan step is written: the latest check-in's level and date, and the earliest due date of an open step.
    # A dashboard then sorts thousands of cases from their own rows instead of a subquery per case.
    last_checkin_level = models.CharField(max_length=20, blank=True, editable=False)
    last_checkin_on = models.DateField(null=True, blank=True, editable=False)
    next_step_due_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        if getattr(self, "redacted", False):  # a de-identified copy shown to a share (cases.access.deidentify)
            raise RuntimeError("a de-identified case is for display only and cannot be saved")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Anaesthesia(models.TextChoices):
    GENERAL = "general", _("General anaesthesia")
    SEDATION = "sedation", _("Sedation (sleep anaesthesia)")
    REGIONAL = "regional", _("Regional anaesthesia")
    LOCAL = "local", _("Local anaesthesia")
    NONE = "none", _("None")
    UNKNOWN = "unknown", _("Not known")


class CaseProcedure(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="procedures")
    procedure = models.CharField(_("procedure"), max_length=64)  # a knowledge-base procedure ID
    surgery_date = models.DateField(_("date of the procedure"))
    anaesthesia = models.CharField(
        _("anaesthesia"), max_length=20, choices=Anaesthesia.choices, default=Anaesthesia.UNKNOWN
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        ordering = ["surgery_date", "id"]

    def __str__(self) -> str:
        return f"{self.procedure} on {self.surgery_date}"


class DeviceType(models.TextChoices):
    BREAST_IMPLANT = "breast-implant", _("Breast implant")
    TISSUE_EXPANDER = "tissue-expander", _("Tissue expander")
    BUTTOCK_IMPLANT = "buttock-implant", _("Buttock or hip implant")
    CHIN_IMPLANT = "chin-implant", _("Chin implant")
    CHEEK_IMPLANT = "cheek-implant", _("Cheek implant")
    NASAL_IMPLANT = "nasal-implant", _("Nasal implant")
    BONE_CEMENT = "bone-cement", _("Bone cement (e.g. PMMA)")
    FILLER = "filler", _("Filler product")
    TOXIN = "toxin", _("Botulinum toxin product")
    MESH = "mesh", _("Mesh")
    OTHER = "other", _("Other")


class Placement(models.TextChoices):
    SUBGLANDULAR = "subglandular", _("Over the muscle (subglandular)")
    SUBFASCIAL = "subfascial", _("Under the fascia (subfascial)")
    SUBMUSCULAR = "submuscular", _("Under the muscle (submuscular)")
    DUAL_PLANE = "dual-plane", _("Dual plane")
    SUBPERIOSTEAL = "subperiosteal", _("On the bone (subperiosteal)")
    SUBCUTANEOUS = "subcutaneous", _("Under the skin (subcutaneous)")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class Fill(models.TextChoices):
    SILICONE_GEL = "silicone-gel", _("Silicone gel")
    SALINE = "saline", _("Saline")
    SOLID_SILICONE = "solid-silicone", _("Solid silicone")
    POROUS_POLYETHYLENE = "porous-polyethylene", _("Porous polyethylene")
    HYALURONIC_ACID = "hyaluronic-acid", _("Hyaluronic acid")
    OTHER = "other", _("Other")
    NOT_APPLICABLE = "n/a", _("Not applicable")
    UNKNOWN = "unknown", _("Not known")


class Side(models.TextChoices):
    LEFT = "left", _("Left (the patient's left)")
    RIGHT = "right", _("Right (the patient's right)")
    BOTH = "both", _("Both sides")
    MIDLINE = "midline", _("Middle")
    NOT_APPLICABLE = "n/a", _("Not applicable")


class Device(models.Model):
    """An implant or device: what a rupture, a recall or a second opinion needs to know."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="devices")
    procedure = models.ForeignKey(
        CaseProcedure, on_delete=models.SET_NULL, null=True, blank=True, related_name="devices"
    )
    device_type = models.CharField(_("type"), max_length=32, choices=DeviceType.choices)
    manufacturer = models.CharField(_("manufacturer"), max_length=200, blank=True)
    model = models.CharField(_("model"), max_length=200, blank=True)
    lot_number = models.CharField(_("lot number"), max_length=100, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    size = models.CharField(_("size"), max_length=100, blank=True, help_text=_("e.g. 350 cc, or M"))
    placement = models.CharField(_("placement"), max_length=20, choices=Placement.choices, default=Placement.UNKNOWN)
    fill = models.CharField(_("implant fill"), max_length=24, choices=Fill.choices, default=Fill.UNKNOWN)
    side = models.CharField(_("side of the body"), max_length=10, choices=Side.choices, default=Side.NOT_APPLICABLE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    @property
    def description(self) -> str:
        """Manufacturer, model and size, as far as they are known."""
        return " ".join(part for part in (self.manufacturer, self.model, self.size) if part)

    def __str__(self) -> str:
        return self.description or str(self.get_device_type_display())


class DocumentType(models.TextChoices):
    CONSENT = "consent", _("Consent form")
    OPERATIVE_NOTE = "operative-note", _("Operative note")
    RECEIPT = "receipt", _("Receipt")
    MEDICAL_RECORD = "medical-record", _("Medical record")
    IMAGING_REPORT = "imaging-report", _("Imaging report")
    OTHER = "other", _("Other")


SAFE_EXTENSIONS = frozenset({".pdf", ".jpg", ".png", ".webp", ".heic"})


def stored_name(folder: str, filename: str) -> str:
    """A random file name keeping only a known extension, so no uploaded name ever becomes a path."""
    suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"{folder}/{uuid.uuid4().hex}{suffix if suffix in SAFE_EXTENSIONS else ''}"


def _document_path(instance: Document, filename: str) -> str:
    return stored_name(f"cases/{instance.case_id}/documents", filename)


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(_("type"), max_length=24, choices=DocumentType.choices)
    title = models.CharField(_("title"), max_length=200)
    document_date = models.DateField(_("date of the document"), null=True, blank=True)
    file = models.FileField(upload_to=_document_path, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)  # shown to people, never used as a path
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)  # of the stored file
    sha256_original = models.CharField(max_length=64)  # of the file as uploaded (differs for stripped photos)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title


class ShareScope(models.TextChoices):
    """How much of a case a share shows (``cases.access`` says which pages each scope reaches)."""

    FULL = "full", _("Everything")
    PHOTOS = "photos", _("Photos and measurements only")
    DEIDENTIFIED = "deidentified", _("De-identified: no name or contact details, faces blurred")


class CaseShare(models.Model):
    """A patient shares a case with an agency (its coordinators) or with one clinician."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="shares"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="shared_cases"
    )
    scope = models.CharField(_("what they see"), max_length=12, choices=ShareScope.choices, default=ShareScope.FULL)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, clinician__isnull=True)
                | Q(agency__isnull=True, clinician__isnull=False),
                name="share_with_exactly_one_party",
            )
        ]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class ShareInvite(models.Model):
    """A link a patient sends a clinician: opened by a signed-in clinician, it becomes a ``CaseShare``.

    Only the SHA-256 of the link's secret is stored; the link itself is shown once, to the patient.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="invites")
    secret_sha256 = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("what they see"), max_length=12, choices=ShareScope.choices, default=ShareScope.FULL)
    note = models.CharField(_("for whom (only you see this)"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()  # when the link stops working
    share_expires_at = models.DateTimeField(null=True, blank=True)  # when the resulting share ends
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    share = models.OneToOneField(CaseShare, on_delete=models.SET_NULL, null=True, blank=True, related_name="invite")

    class Meta:
        ordering = ["-created_at"]

    @property
    def is_open(self) -> bool:
        return self.revoked_at is None and self.accepted_at is None and self.expires_at > timezone.now()


class SecondOpinion(models.Model):
    """A clinician's written second opinion on a case shared with them; the patient reads it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="opinions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(max_length=200)  # as it was when written, kept if the account goes
    text = models.TextField(_("your opinion"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


def active_share_filter(prefix: str = "") -> Q:
    """Q for shares that are neither revoked nor expired, e.g. ``active_share_filter("shares__")``."""
    now = timezone.now()
    return Q(**{f"{prefix}revoked_at__isnull": True}) & (
        Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})
    )
