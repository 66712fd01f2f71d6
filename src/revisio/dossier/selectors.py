"""Reads of dossiers, always within a case the caller has already authorised."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from revisio.cases.models import Case, Device
from revisio.diary.models import CheckIn, Photo, PhotoMeasurement
from revisio.dossier.models import Dossier, DossierStatus
from revisio.escalation.models import Communication
from revisio.web.lookup import one_or_404


def dossier_list(*, case: Case) -> QuerySet[Dossier]:
    return Dossier.objects.filter(case=case).order_by("-created_at")


def dossier_get(*, case: Case, dossier_id: object) -> Dossier:
    """A dossier of ``case`` (which the caller got through ``case_get_for_user``), else 404."""
    return one_or_404(Dossier.objects.filter(case=case), dossier_id)


def dossier_running(*, case: Case) -> QuerySet[Dossier]:
    return Dossier.objects.filter(case=case, status__in=[DossierStatus.QUEUED, DossierStatus.BUILDING])


def dossier_case(*, case: Case) -> Case:
    """The case with everything a dossier prints prefetched: a fixed number of queries however long
    the diary, so building one does not slow down as the case grows."""
    return (
        Case.objects.filter(pk=case.pk)
        .select_related("owner")
        .prefetch_related(
            "procedures",
            Prefetch("devices", queryset=Device.objects.select_related("procedure").order_by("created_at")),
            "documents",
            Prefetch("checkins", queryset=CheckIn.objects.order_by("date", "created_at")),
            Prefetch(
                "photos",
                queryset=Photo.objects.order_by("taken_on", "created_at").prefetch_related(
                    Prefetch("measurements", queryset=PhotoMeasurement.objects.order_by("-created_at"))
                ),
            ),
            Prefetch(
                "communications",
                queryset=Communication.objects.order_by("occurred_on", "created_at").prefetch_related(
                    "photos", "documents"
                ),
            ),
            "step_states",
            "applications",
        )
        .get()
    )
