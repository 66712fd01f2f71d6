"""Reads of cases. Every case a user reaches comes through ``case_get_for_user`` (404 otherwise)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from revisio.accounts.models import Agency, Role, User
from revisio.audit import services as audit
from revisio.cases.access import CaseAccess, Part, carry_access, deidentify
from revisio.cases.models import (
    Case,
    CaseProcedure,
    CaseShare,
    Device,
    Document,
    SecondOpinion,
    ShareInvite,
    ShareScope,
    active_share_filter,
)
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
    ``access.deidentified``). The access, or the refusal, is recorded in the audit trail.
    """
    if not getattr(user, "is_authenticated", False):
        raise Http404
    queryset = Case.objects.filter(owner=user) if write else cases_visible_to(user)
    try:
        case = one_or_404(queryset.select_related("owner"), case_id)
        case.access = case_access(user=user, case=case)  # type: ignore[attr-defined]
        if not case.access.allows(part):  # type: ignore[attr-defined]
            raise Http404
    except Http404:
        audit.case_access_denied(user=user, case_id=case_id, write=write, part=part)
        raise
    if case.access.deidentified:  # type: ignore[attr-defined]
        deidentify(case)
    audit.case_access_record(user=user, case_id=case.pk, owner_id=case.owner_id, write=write, part=part)
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


def case_list_for_user(*, user: Any) -> list[Case]:
    """The user's cases with their procedures and latest check-in level, in a fixed number of queries,
    each with the viewer's ``access`` and redacted as it says (``cases.access``): a case shared
    de-identified or photos-only is listed without its title, and photos-only without its procedures."""
    return [_listed(case, user) for case in _case_list_query(user)]


def case_listed_for_user(*, user: Any, case: Case) -> Case:
    """One case as ``case_list_for_user`` lists it (precondition: ``user`` may see it)."""
    return _listed(_case_list_query(user).get(pk=case.pk), user)


def _case_list_query(user: Any) -> QuerySet[Case]:
    latest = CheckIn.objects.filter(case=OuterRef("pk")).order_by("-date", "-created_at")
    shared = _shared_with(user)
    return (
        cases_visible_to(user)
        .select_related("owner")
        .prefetch_related("procedures")
        .annotate(
            latest_level=Subquery(latest.values("level")[:1]),
            latest_checkin_date=Subquery(latest.values("date")[:1]),
            **{f"shared_{scope}": Exists(shared.filter(scope=scope)) for scope in ShareScope.values},
        )
        .order_by("-created_at")
    )


def _listed(case: Case, user: Any) -> Case:
    if case.owner_id == user.pk:
        case.access = CaseAccess.owner()  # type: ignore[attr-defined]
    else:
        scopes = [scope for scope in ShareScope.values if getattr(case, f"shared_{scope}", False)]
        case.access = CaseAccess.from_scopes(scopes)  # type: ignore[attr-defined]
    access: CaseAccess = case.access  # type: ignore[attr-defined]
    if access.deidentified:
        deidentify(case)
    if not access.allows(Part.CLINICAL):  # photos only: nothing of the course of recovery either
        case.latest_level = case.latest_checkin_date = None  # type: ignore[attr-defined]
        case._prefetched_objects_cache["procedures"] = CaseProcedure.objects.none()  # type: ignore[attr-defined]
    return case


def case_page(*, case: Case) -> Case:
    """The case with everything its page shows prefetched (a fixed number of queries), for the viewer
    ``case_get_for_user`` gave it to: a de-identified view gets no documents and no implant serials."""
    identified = case.access.identified  # type: ignore[attr-defined]
    page = (
        Case.objects.filter(pk=case.pk)
        .select_related("owner")
        .prefetch_related(
            "procedures",
            "devices",
            Prefetch("documents", queryset=Document.objects.all() if identified else Document.objects.none()),
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
    carry_access(case, page)
    if not identified:
        for device in page.devices.all():
            device.lot_number = device.serial_number = ""
    return page


def document_get(*, case: Case, document_id: object) -> Document:
    return one_or_404(Document.objects.filter(case=case), document_id)


def device_get(*, case: Case, device_id: object) -> Device:
    return one_or_404(Device.objects.filter(case=case), device_id)


def share_get(*, case: Case, share_id: object) -> CaseShare:
    return one_or_404(CaseShare.objects.filter(case=case), share_id)


def agencies_for_sharing() -> QuerySet[Agency]:
    return Agency.objects.order_by("name")


def agency_for_sharing(*, agency_id: int) -> Agency | None:
    """The agency a patient may share with under this ID (any agency, as the sharing page offers), if any."""
    return agencies_for_sharing().filter(pk=agency_id).first()


def clinician_for_sharing(*, email: str) -> User | None:
    """The clinician's account with this e-mail address, if any: only a clinician is shared with by address."""
    return User.objects.filter(email=email.strip().lower(), role=Role.CLINICIAN).first()


def shares_of(*, case: Case) -> QuerySet[CaseShare]:
    """Every share of the case, active and past, newest first, with its agency or clinician."""
    return case.shares.select_related("agency", "clinician").order_by("-created_at")


def opinions_for_user(*, case: Case, user: Any) -> list[SecondOpinion]:
    """The second opinions a person sees on a case: the patient all of them, a clinician their own."""
    if case.owner_id == user.pk:
        return list(case.opinions.all())
    if getattr(user, "role", None) == Role.CLINICIAN:
        return list(case.opinions.filter(author=user))
    return []


def invites_of(*, case: Case) -> QuerySet[ShareInvite]:
    return case.invites.select_related("accepted_by").order_by("-created_at")


def invite_get(*, case: Case, invite_id: object) -> ShareInvite:
    return one_or_404(ShareInvite.objects.filter(case=case), invite_id)


def may_give_opinion(*, case: Case, user: Any) -> bool:
    """A clinician with an active share of this case may write a second opinion on it."""
    if getattr(user, "role", None) != Role.CLINICIAN or case.owner_id == user.pk:
        return False
    return CaseShare.objects.filter(active_share_filter(), case=case, clinician=user).exists()
