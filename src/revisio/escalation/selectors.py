"""Reads for escalation: the plan of a case, its log and applications (the case is already authorised)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from revisio import kb
from revisio.cases.access import carry_access
from revisio.cases.models import Case
from revisio.diary.models import CheckIn
from revisio.engine.escalation import PlannedStep, plan
from revisio.escalation.models import Communication, ComplaintApplication, StepState
from revisio.escalation.state import case_state
from revisio.kb.models import ComplaintBody
from revisio.web.lookup import one_or_404


@dataclass(frozen=True)
class PlanRow:
    step: PlannedStep
    state: StepState | None


def case_for_plan(case: Case) -> Case:
    """The case with what the plan reads prefetched (a fixed number of queries), redacted as ``case`` was
    for its viewer (``cases.access``)."""
    planned = (
        Case.objects.filter(pk=case.pk)
        .select_related("owner")
        .prefetch_related(
            "procedures",
            "devices",
            "documents",
            "applications",
            "step_states",
            Prefetch("checkins", queryset=CheckIn.objects.order_by("date", "created_at")),
            Prefetch("communications", queryset=Communication.objects.order_by("-occurred_on", "-created_at")),
        )
        .get()
    )
    return carry_access(case, planned) if hasattr(case, "access") else planned


def case_plan(case: Case, *, today: dt.date) -> tuple[PlannedStep, ...]:
    return plan(case_state(case, today=today))


def plan_rows(planned: tuple[PlannedStep, ...], states: dict[str, StepState]) -> list[PlanRow]:
    return [PlanRow(step, states.get(step.id)) for step in planned]


def communication_get(*, case: Case, communication_id: object) -> Communication:
    return one_or_404(Communication.objects.filter(case=case), communication_id)


def application_get(*, case: Case, application_id: object) -> ComplaintApplication:
    return one_or_404(ComplaintApplication.objects.filter(case=case), application_id)


def done_earlier(planned: tuple[PlannedStep, ...], states: dict[str, StepState]) -> list[StepState]:
    """Steps ticked off that the plan no longer lists (the case moved on), oldest first."""
    current = {step.id for step in planned}
    done = [s for s in states.values() if s.done_on is not None and s.step not in current]
    return sorted(done, key=lambda s: (s.first_suggested_on, s.step))


def bodies_for_case(case: Case) -> list[ComplaintBody]:
    """Complaint bodies where the operation was done and where the patient lives now (EU members map to
    the EU record), Korea's first when the operation was there."""
    base = kb.load()
    countries: list[str] = []
    for code in (case.clinic_country, case.owner.current_country):
        if not code:
            continue
        try:
            countries.append(base.country(code).id)
        except kb.UnknownIdError:
            continue
    order = {country: n for n, country in enumerate(dict.fromkeys(countries))}
    found = [body for body in base.complaint_bodies.values() if body.country in order]
    return sorted(found, key=lambda body: order[body.country])
