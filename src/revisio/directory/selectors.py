"""Reads for the directory. Who sees what:

- clinics: every signed-in person (a clinic's address and contact are what it publishes itself);
- translators: coordinators and staff only, never patients: a translator's phone and e-mail are personal,
  and patients reach translators through their agency. An agency's own translators are seen by that
  agency's coordinators (and staff); independent ones by every coordinator;
- the treating clinic and referrals of a case: its owner (``case_get_for_user(write=True)`` first), and
  read-only the coordinators of an agency it is shared with (``referrals_for_coordinator``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext as _

from revisio.accounts.models import Role
from revisio.cases.models import Case, CaseShare, ShareScope, active_share_filter
from revisio.directory.models import Clinic, Referral, Translator, TreatingClinic
from revisio.web.lookup import one_or_404

PAGE_SIZE = 50


def _list_holds(field: str, value: str) -> Q:
    """The JSON list in ``field`` holds ``value``. JSON ``contains`` is not available on SQLite, so the
    list's JSON text is searched for the quoted value instead: the IDs and language codes stored are
    lower-case slugs, so the quotes make it an exact match of one item on both databases."""
    return Q(**{f"{field}_text__contains": f'"{value}"'})


def clinics_search(
    *, text: str = "", city: str = "", country: str = "", specialty: str = "", language: str = ""
) -> QuerySet[Clinic]:
    clinics = Clinic.objects.annotate(
        specialties_text=Cast("specialties", TextField()), languages_text=Cast("languages", TextField())
    )
    if text:
        clinics = clinics.filter(
            Q(name_en__icontains=text)
            | Q(name_ko__icontains=text)
            | Q(address__icontains=text)
            | Q(city__icontains=text)
        )
    if city:
        clinics = clinics.filter(city__iexact=city)
    if country:
        clinics = clinics.filter(country=country.upper())
    if specialty:
        clinics = clinics.filter(_list_holds("specialties", specialty))
    if language:
        clinics = clinics.filter(_list_holds("languages", language.lower()))
    return clinics.order_by("country", "city", "name_en", "name_ko")


def clinic_cities() -> list[str]:
    return list(Clinic.objects.order_by("city").values_list("city", flat=True).distinct())


def clinic_get(*, clinic_id: object) -> Clinic:
    return one_or_404(Clinic.objects.all(), clinic_id)


def may_see_translators(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_staff or getattr(user, "role", None) == Role.COORDINATOR
    )


def translators_for_user(*, user: Any, language: str = "") -> QuerySet[Translator]:
    """The active translators ``user`` may see (see the module's docstring); 404 for anyone else."""
    if not may_see_translators(user):
        raise Http404
    translators = Translator.objects.filter(active=True).select_related("agency")
    if not user.is_staff:
        translators = translators.filter(Q(agency__isnull=True) | Q(agency__memberships__user=user)).distinct()
    if language:
        translators = translators.annotate(languages_text=Cast("languages", TextField())).filter(
            _list_holds("languages", language.lower())
        )
    return translators.order_by("name")


def treating_clinic_of(*, case: Case) -> Clinic | None:
    treating = TreatingClinic.objects.select_related("clinic").filter(case=case).first()
    return treating.clinic if treating else None


def referrals_of(*, case: Case) -> QuerySet[Referral]:
    return case.referrals.select_related("to_clinic").order_by("-created_at")


def referral_get(*, case: Case, referral_id: object) -> Referral:
    return one_or_404(Referral.objects.filter(case=case), referral_id)


@dataclass(frozen=True)
class SharedReferral:
    """A referral as an agency sees it. Through a de-identified share, neither the case's title nor the
    patient's reason in her own words is shown: either may name her."""

    referral: Referral
    case_label: str
    identified: bool


def referrals_for_coordinator(*, user: Any) -> QuerySet[Referral]:
    """Referrals of the cases shared (active, full or de-identified) with ``user``'s agencies, newest
    first, each annotated with ``identified`` (a full share); 404 for anyone but a coordinator. A
    photos-only share shows no referral: it shows nothing of the course of care."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) != Role.COORDINATOR:
        raise Http404
    shares = CaseShare.objects.filter(active_share_filter(), case=OuterRef("case"), agency__memberships__user=user)
    return (
        Referral.objects.annotate(
            shared=Exists(shares.filter(scope__in=[ShareScope.FULL, ShareScope.DEIDENTIFIED])),
            identified=Exists(shares.filter(scope=ShareScope.FULL)),
        )
        .filter(shared=True)
        .select_related("to_clinic", "case")
        .order_by("-created_at")
    )


def shared_referral(referral: Referral) -> SharedReferral:
    """One of ``referrals_for_coordinator``'s referrals as the agency may see it."""
    identified: bool = referral.identified  # type: ignore[attr-defined]
    label = referral.case.title if identified else _("Shared case %(ref)s") % {"ref": referral.case.pk.hex[:8]}
    return SharedReferral(referral=referral, case_label=label, identified=identified)
