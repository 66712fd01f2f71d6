"""Reads of cases. Every case a user reaches comes through ``case_get_for_user`` (404 otherwise)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from revisio.accounts.models import Agency, User
from revisio.cases.access import CaseAccess, Part, case_accessed
from revisio.cases.models import Case, CaseShare, Device, Document, active_share_filter
from revisio.diary.models import CheckIn, Photo, PhotoMeasurement
from revisio.web.lookup import one_or_404


def _shared_with(user: User) -> QuerySet[CaseShare]:
    return CaseShare.objects.filter(active_share_filter(), case=OuterRef("pk")).filter(
        Q(clinician=user) | Q(agency__memberships__user=user)
    )


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Cases the user owns, or that are shared (unrevoked, unexpired) with them or their agency."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    return Case.objects.filter(Q(owner=user) | Exists(_shared_with(user)))


def case_get_for_user(
    *, user: Any, case_id: uuid.UUID | str, write: bool = False, part: Part = Part.IDENTIFYING
) -> Case:
    """The case if the user may see ``part`` of it (or, with ``write``, change it: the owner only); else 404.

    404 rather than 403 so nobody learns that a case they cannot see exists. The default part is the one
    only a full share reaches, so a view that forgets to say what it shows stays closed to narrower shares.
    The case carries ``access`` (a ``CaseAccess``) for the view to honour (e.g. hide names when
    ``access.deidentified``), and the access is announced to the audit trail.
    """
    if not getattr(user, "is_authenticated", False):
        raise Http404
    queryset = Case.objects.filter(owner=user) if write else cases_visible_to(user)
    case = one_or_404(queryset.select_related("owner"), case_id)
    case.access = case_access(user=user, case=case)  # type: ignore[attr-defined]
    if not case.access.allows(part):  # type: ignore[attr-defined]
        raise Http404
    case_accessed.send(sender=Case, user=user, case=case, write=write, part=part)
    return case


def case_access(*, user: Any, case: Case) -> CaseAccess:
    """What ``user`` may see of ``case`` (which they can already see): everything for the owner, else the
    union of their active shares' scopes."""
    if case.owner_id == user.pk:
        return CaseAccess.owner()
    scopes = (
        CaseShare.objects.filter(active_share_filter(), case=case)
        .filter(Q(clinician=user) | Q(agency__memberships__user=user))
        .values_list("scope", flat=True)
    )
    return CaseAccess.from_scopes(scopes)


def case_list_for_user(*, user: Any) -> QuerySet[Case]:
    """The user's cases with their procedures and latest check-in level, in a fixed number of queries."""
    latest = CheckIn.objects.filter(case=OuterRef("pk")).order_by("-date", "-created_at")
    return (
        cases_visible_to(user)
        .select_related("owner")
        .prefetch_related("procedures")
        .annotate(
            latest_level=Subquery(latest.values("level")[:1]),
            latest_checkin_date=Subquery(latest.values("date")[:1]),
        )
        .order_by("-created_at")
    )


def case_page(*, case: Case) -> Case:
    """The case with everything its page shows prefetched (a fixed number of queries)."""
    return (
        Case.objects.filter(pk=case.pk)
        .select_related("owner")
        .prefetch_related(
            "procedures",
            "devices",
            "documents",
            Prefetch("checkins", queryset=CheckIn.objects.order_by("-date", "-created_at")),
            Prefetch(
                "photos",
                queryset=Photo.objects.order_by("taken_on", "created_at").prefetch_related(
                    Prefetch("measurements", queryset=PhotoMeasurement.objects.order_by("-created_at"))
                ),
            ),
            Prefetch("shares", queryset=CaseShare.objects.select_related("agency", "clinician")),
        )
        .get()
    )


def document_get(*, case: Case, document_id: object) -> Document:
    return one_or_404(Document.objects.filter(case=case), document_id)


def device_get(*, case: Case, device_id: object) -> Device:
    return one_or_404(Device.objects.filter(case=case), device_id)


def share_get(*, case: Case, share_id: object) -> CaseShare:
    return one_or_404(CaseShare.objects.filter(case=case), share_id)


def agencies_for_sharing() -> QuerySet[Agency]:
    return Agency.objects.order_by("name")
