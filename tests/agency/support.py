"""Shared cases for the agency tests, with check-ins at chosen levels and dates.

Check-ins are stored rows with the level the engine would have given: the dashboard reads the stored
level (as it must, for speed), so the tests that need a real assessment use ``checkin_add`` instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from revisio.accounts.models import Agency, Role, User
from revisio.accounts.services import agency_member_add
from revisio.cases.models import Case
from revisio.cases.services import ProcedureInput, case_create, case_share_create, case_urgency_refresh
from revisio.diary.models import CheckIn
from revisio.escalation.models import StepState
from revisio.recovery.adapter import assess_case, stored_assessment
from tests.cast import make_user


def coordinator_of(agency: Agency, email: str, **extra: Any) -> User:
    user = make_user(email, Role.COORDINATOR, **extra)
    agency_member_add(agency=agency, user=user)
    return user


def shared_case(
    agency: Agency | None,
    owner: User,
    *,
    title: str,
    level: str | None = None,
    checked_in_days_ago: int = 1,
    scope: str = "full",
    procedure: str = "hourglass-hip",
    operated_days_ago: int = 30,
    clinic_name: str = "",
) -> Case:
    today = timezone.localdate()
    case = case_create(
        owner=owner,
        title=title,
        clinic_name=clinic_name,
        clinic_country="KR",
        procedures=[ProcedureInput(procedure, today - dt.timedelta(days=operated_days_ago))],
    )
    if agency is not None:
        case_share_create(case=case, agency=agency, scope=scope)
    if level is not None:
        checkin_stored(case, level, days_ago=checked_in_days_ago)
    return case


def checkin_stored(case: Case, level: str, *, days_ago: int) -> CheckIn:
    """A check-in at ``level``, with a real assessment of that day (so the case page can show it)."""
    date = timezone.localdate() - dt.timedelta(days=days_ago)
    result = assess_case(
        procedures=list(case.procedures.all()), on=date, symptoms=[], concerns=[], temperature_c=None, country=None
    )
    checkin = CheckIn.objects.create(
        case=case,
        date=date,
        level=level,
        kb_version=result.kb_version,
        assessment=stored_assessment(result),
        created_by=case.owner,
    )
    case_urgency_refresh(case=case)  # as diary.services.checkin_add does
    return checkin


def step_stored(case: Case, **fields: object) -> StepState:
    """A plan step as stored, with the case's copy of its next due step brought up to date, as
    escalation.services does."""
    state = StepState.objects.create(case=case, **fields)
    case_urgency_refresh(case=case)
    return state


def dashboard_url(agency: Agency | str | None = None, **query: str) -> str:
    """The dashboard's URL for ``agency`` (an agency, or whatever a URL might say instead) and filters."""
    params = {**({"agency": str(getattr(agency, "pk", agency))} if agency else {}), **query}
    return reverse("agency:dashboard") + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def case_url(case: Case, agency: Agency | None = None) -> str:
    url = reverse("agency:case", kwargs={"case_id": case.pk})
    return f"{url}?agency={agency.pk}" if agency else url


def row_titles(response: Any) -> list[str]:
    """The case titles of the dashboard's rows, in order."""
    return [case.title for case in response.context["rows"]]
