"""Reads for the agency dashboard. A coordinator reaches an agency only through ``agency_for_coordinator``
and a case only through ``agency_case_get``: both 404 for anyone else, so no page can show another
agency's cases, notes or alerts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from revisio import kb
from revisio.accounts.models import Agency, Role, User
from revisio.agency.models import AgencyNote, Alert, CaseAssignment
from revisio.cases.access import CaseAccess, Part, deidentify
from revisio.cases.models import Case, CaseProcedure, CaseShare, ShareScope, active_share_filter
from revisio.diary.models import CheckIn
from revisio.directory.models import Translator
from revisio.escalation.models import StepState
from revisio.web.lookup import parse_uuid

PAGE_SIZE = 50
#: Scopes under which a share shows the course of recovery (levels, check-ins, the plan).
CLINICAL_SCOPES = [scope for scope in ShareScope.values if Part.CLINICAL in CaseAccess.from_scopes([scope]).parts]
#: The engine's order of levels (``revisio.kb.Level.rank``), most pressing highest.
LEVEL_RANK = {level.value: level.rank for level in kb.Level}
NO_LEVEL = -1
ASSIGNMENT_RELATED = ("coordinator", "translator")


def coordinator_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies ``user`` coordinates at, by name (none for anyone who is not a coordinator)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) != Role.COORDINATOR:
        return Agency.objects.none()
    return Agency.objects.filter(memberships__user=user).order_by("name", "pk")


def agency_for_coordinator(*, user: Any, agency_id: object = None) -> Agency:
    """The agency ``user`` works for: the one ``agency_id`` names, or the first by name; else 404."""
    agencies = coordinator_agencies(user)
    if agency_id not in (None, ""):
        try:
            agencies = agencies.filter(pk=int(str(agency_id)))
        except ValueError:
            raise Http404 from None
    agency = agencies.first()
    if agency is None:
        raise Http404
    return agency


def _agency_shares(agency: Agency) -> QuerySet[CaseShare]:
    return CaseShare.objects.filter(active_share_filter(), agency=agency, case=OuterRef("pk"))


def cases_shared_with(agency: Agency) -> QuerySet[Case]:
    """Cases with an active (unrevoked, unexpired) share to the agency."""
    return Case.objects.filter(Exists(_agency_shares(agency)))


@dataclass(frozen=True)
class DashboardFilters:
    procedure: str = ""
    clinic: str = ""
    coordinator: str = ""  # a user ID, or "none" for cases nobody is assigned to
    language: str = ""


UNASSIGNED = "none"


def dashboard_cases(*, agency: Agency, filters: DashboardFilters | None = None) -> QuerySet[Case]:
    """The agency's shared cases, most urgent first, in one query however many there are.

    Urgency: the level of the latest check-in (the engine's order), then the longest time since the last
    check-in (none at all counts as longest), then the earliest due open step of the escalation plan as
    stored when the patient last saw it (``StepState``; the planner is not run per row). What a share's
    scope hides does not count: a photos-only share sorts as if there were no check-ins, so the order
    tells the agency nothing the page would not.
    """
    filters = filters or DashboardFilters()
    shares = _agency_shares(agency)
    # Sorting reads the case's own copies of its latest check-in and next due step (kept by
    # cases.services.case_urgency_refresh): a subquery per case made the first page of a 28,000-case agency
    # take 1.7 s. Only the step's name, shown on the page, is looked up, and PostgreSQL evaluates that
    # after the sort and the LIMIT, for the rows shown.
    next_step = StepState.objects.filter(case=OuterRef("pk"), done_on__isnull=True, due_on__isnull=False).order_by(
        "due_on", "step"
    )
    queryset = (
        cases_shared_with(agency)
        .select_related("owner", "treating_clinic__clinic")
        .annotate(
            **{f"shared_{scope}": Exists(shares.filter(scope=scope)) for scope in ShareScope.values},
            sees_clinical=Exists(shares.filter(scope__in=CLINICAL_SCOPES)),
            latest_level=F("last_checkin_level"),
            latest_checkin_date=F("last_checkin_on"),
            next_step_id=Subquery(next_step.values("step")[:1]),
            next_step_due=F("next_step_due_on"),
        )
        .annotate(
            urgency=SqlCase(
                *(When(sees_clinical=True, latest_level=level, then=Value(rank)) for level, rank in LEVEL_RANK.items()),
                default=Value(NO_LEVEL),
                output_field=IntegerField(),
            ),
            seen_checkin=SqlCase(When(sees_clinical=True, then=F("latest_checkin_date")), default=None),
            seen_step_due=SqlCase(When(sees_clinical=True, then=F("next_step_due")), default=None),
        )
    )
    if filters.procedure:
        queryset = queryset.filter(
            Exists(CaseProcedure.objects.filter(case=OuterRef("pk"), procedure=filters.procedure)),
            sees_clinical=True,  # a photos-only share does not show procedures, so cannot be found by one
        )
    if filters.clinic:
        clinic = filters.clinic.strip()
        queryset = queryset.filter(
            Q(clinic_name__icontains=clinic)
            | Q(treating_clinic__clinic__name_en__icontains=clinic)
            | Q(treating_clinic__clinic__name_ko__icontains=clinic)
        )
    if filters.coordinator == UNASSIGNED:
        assigned = CaseAssignment.objects.filter(case=OuterRef("pk"), agency=agency, coordinator__isnull=False)
        queryset = queryset.filter(~Exists(assigned))
    elif filters.coordinator:
        assigned = CaseAssignment.objects.filter(
            case=OuterRef("pk"), agency=agency, coordinator_id=int(filters.coordinator)
        )
        queryset = queryset.filter(Exists(assigned))
    if filters.language:
        # ``languages`` is a JSON list of codes: match the quoted code in its text (works on every backend).
        queryset = queryset.filter(owner__languages__icontains=f'"{filters.language}"')
    return queryset.order_by(
        F("urgency").desc(),
        F("seen_checkin").asc(nulls_first=True),
        F("seen_step_due").asc(nulls_last=True),
        "created_at",
        "pk",
    )


def dashboard_rows(*, agency: Agency, cases: list[Case], today: dt.date) -> list[Case]:
    """One page of ``dashboard_cases`` made ready to show, in two more queries whatever the page size:
    procedures and the agency's assignments are fetched for the page at once, and each case is redacted
    as the agency's shares say (``cases.access``)."""
    ids = [case.pk for case in cases]
    procedures: dict[uuid.UUID, list[CaseProcedure]] = {pk: [] for pk in ids}
    for procedure in CaseProcedure.objects.filter(case_id__in=ids).order_by("surgery_date", "id"):
        procedures[procedure.case_id].append(procedure)
    assignments = {
        a.case_id: a
        for a in CaseAssignment.objects.filter(agency=agency, case_id__in=ids).select_related(*ASSIGNMENT_RELATED)
    }
    steps = kb.load().steps
    for case in cases:
        access = CaseAccess.from_scopes(s for s in ShareScope.values if getattr(case, f"shared_{s}", False))
        case.access = access  # type: ignore[attr-defined]
        case.assignment = assignments.get(case.pk)  # type: ignore[attr-defined]
        case.listed_procedures = procedures[case.pk] if access.clinical else []  # type: ignore[attr-defined]
        treating = getattr(case, "treating_clinic", None)  # the directory's clinic, if the patient marked one
        case.listed_clinic = str(treating.clinic) if treating else case.clinic_name  # type: ignore[attr-defined]
        if access.deidentified:
            deidentify(case)
        if not access.clinical:  # photos only: nothing of the course of recovery
            case.latest_level = case.latest_checkin_date = None  # type: ignore[attr-defined]
            case.next_step_id = case.next_step_due = None  # type: ignore[attr-defined]
        last: dt.date | None = case.latest_checkin_date  # type: ignore[attr-defined]
        case.days_since_checkin = (today - last).days if last else None  # type: ignore[attr-defined]
        step = steps.get(case.next_step_id or "")  # type: ignore[attr-defined]
        case.next_step_title = step.title if step else None  # type: ignore[attr-defined]
    return cases


def dashboard_procedures(*, agency: Agency) -> list[str]:
    """The procedures of the agency's shared cases the agency may see, for the filter."""
    visible = cases_shared_with(agency).filter(Exists(_agency_shares(agency).filter(scope__in=CLINICAL_SCOPES)))
    return list(
        CaseProcedure.objects.filter(case__in=visible)
        .values_list("procedure", flat=True)
        .distinct()
        .order_by("procedure")
    )


def agency_coordinators(*, agency: Agency) -> QuerySet[User]:
    """The agency's coordinators, by name: the people a case can be assigned to."""
    return User.objects.filter(memberships__agency=agency, role=Role.COORDINATOR, is_active=True).order_by(
        "display_name", "email"
    )


def translators_to_assign(*, agency: Agency) -> QuerySet[Translator]:
    """The active translators the agency can call on: its own and the independent ones, by name."""
    return Translator.objects.filter(Q(agency=agency) | Q(agency__isnull=True), active=True).order_by("name", "pk")


def unread_alerts(*, agency: Agency, case: Case | None = None) -> QuerySet[Alert]:
    alerts = Alert.objects.filter(agency=agency, read_at__isnull=True, case__in=cases_shared_with(agency))
    if case is not None:
        alerts = alerts.filter(case=case)
    return alerts.select_related("case", "case__owner").order_by("-created_at", "-id")


def alerts_for_display(alerts: QuerySet[Alert], *, agency: Agency) -> list[Alert]:
    """Alerts with their case redacted as the agency's shares say; a level the share may not see is blanked."""
    listed = list(alerts[:PAGE_SIZE])
    scopes: dict[uuid.UUID, set[str]] = {}
    for case_id, scope in CaseShare.objects.filter(
        active_share_filter(), agency=agency, case_id__in={a.case_id for a in listed}
    ).values_list("case_id", "scope"):
        scopes.setdefault(case_id, set()).add(scope)
    for alert in listed:
        access = CaseAccess.from_scopes(scopes.get(alert.case_id, ()))
        if access.deidentified:
            deidentify(alert.case)
        if not access.clinical:
            alert.level = ""
    return listed


def agency_case_get(*, user: Any, case_id: object, agency_id: object = None) -> tuple[Agency, Case]:
    """The case and the agency ``user`` follows it for, if ``user`` coordinates at an agency with an
    active share of it (the one ``agency_id`` names, else the first by name); else 404. The case carries
    ``access`` from that agency's shares and is redacted as it says."""
    pk = parse_uuid(case_id)
    agencies = coordinator_agencies(user).filter(
        Exists(CaseShare.objects.filter(active_share_filter(), agency=OuterRef("pk"), case_id=pk))
    )
    if agency_id not in (None, ""):
        try:
            agencies = agencies.filter(pk=int(str(agency_id)))
        except ValueError:
            raise Http404 from None
    agency = agencies.first()
    if agency is None:
        raise Http404
    case = Case.objects.select_related("owner").get(pk=pk)
    scopes = CaseShare.objects.filter(active_share_filter(), agency=agency, case=case).values_list("scope", flat=True)
    case.access = CaseAccess.from_scopes(scopes)  # type: ignore[attr-defined]
    if case.access.deidentified:  # type: ignore[attr-defined]
        deidentify(case)
    return agency, case


def case_assignment(*, agency: Agency, case: Case) -> CaseAssignment | None:
    return CaseAssignment.objects.filter(agency=agency, case=case).select_related(*ASSIGNMENT_RELATED).first()


def agency_notes(*, agency: Agency, case: Case) -> QuerySet[AgencyNote]:
    """The agency's own notes on the case, newest first: never another agency's."""
    return AgencyNote.objects.filter(agency=agency, case=case).order_by("-created_at", "-id")


def latest_checkin(*, case: Case) -> CheckIn | None:
    """The latest check-in, if the viewer's access reaches the course of recovery."""
    if not case.access.clinical:  # type: ignore[attr-defined]
        return None
    return CheckIn.objects.filter(case=case).order_by("-date", "-created_at").first()
