"""Writes for escalation: the plan's steps as the patient ticks them, the communications log, applications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from revisio import kb
from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.cases.services import case_urgency_refresh, full_clean
from revisio.engine.escalation import PlannedStep
from revisio.escalation.models import ApplicationStatus, Communication, ComplaintApplication, StepState
from revisio.escalation.selectors import case_for_plan, case_plan
from revisio.web.errors import InvalidInput, NotFound


@transaction.atomic
def steps_record(*, case: Case, planned: tuple[PlannedStep, ...], today: dt.date) -> dict[str, StepState]:
    """Store each planned step the first time it is suggested, and its latest due date.

    Steps are stored with dates so the patient (and a dossier) can show when each was suggested,
    due and done, even after the plan has moved on.
    """
    states = {s.step: s for s in StepState.objects.select_for_update().filter(case=case)}
    changed = False
    for step in planned:
        state = states.get(step.id)
        if state is None:  # get_or_create: two tabs opening the plan at once must not both insert
            states[step.id], created = StepState.objects.get_or_create(
                case=case, step=step.id, defaults={"first_suggested_on": today, "due_on": step.due}
            )
            changed = changed or created
        elif state.due_on != step.due and state.done_on is None:
            state.due_on = step.due
            state.save(update_fields=["due_on"])
            changed = True
    if changed:
        case_urgency_refresh(case=case)
    return states


def plan_seen(
    *, case: Case, user: User, today: dt.date, record: bool = True
) -> tuple[Case, tuple[PlannedStep, ...], dict[str, StepState]]:
    """The plan as a page shows it, with the stored state of each step.

    When the owner looks at it on a page (``record``), the steps are recorded as suggested that day;
    looking on someone's behalf, or reading through the API, is not the patient being told. Returns the
    case as the plan read it (log, applications and step states prefetched).
    """
    case = case_for_plan(case)
    planned = case_plan(case, today=today)
    if record and case.owner_id == user.pk:
        return case, planned, steps_record(case=case, planned=planned, today=today)
    return case, planned, {s.step: s for s in case.step_states.all()}


@transaction.atomic
def step_set_done(*, case: Case, step: str, done: bool, user: User) -> StepState:
    """Tick a step off, or open it again. The step must be in the plan now, or have been in it before."""
    state = StepState.objects.select_for_update().filter(case=case, step=step).first()
    if state is None:
        today = timezone.localdate()
        planned = case_plan(case_for_plan(case), today=today)
        if step not in {p.id for p in planned}:
            raise NotFound(_("That step is not part of this case's plan."), field="step")
        state = steps_record(case=case, planned=planned, today=today)[step]
    state.done_on = timezone.localdate() if done else None
    state.done_by = user if done else None
    state.save(update_fields=["done_on", "done_by"])
    case_urgency_refresh(case=case)
    return state


@transaction.atomic
def step_state_restore(
    *,
    case: Case,
    user: User,
    step: str,
    first_suggested_on: dt.date,
    due_on: dt.date | None = None,
    done_on: dt.date | None = None,
    note: str = "",
) -> StepState:
    """A step with the dates it had elsewhere (an imported case): suggested, due and done as recorded there."""
    if step not in kb.load().steps:
        raise InvalidInput(_("Unknown step '%(step)s'.") % {"step": step}, field="step")
    today = timezone.localdate()
    if first_suggested_on > today or (done_on is not None and done_on > today):
        raise InvalidInput(_("A step cannot be suggested or done in the future."), field="done_on")
    if done_on is not None and done_on < first_suggested_on:
        raise InvalidInput(_("A step cannot be done before it was suggested."), field="done_on")
    row = StepState(
        case=case,
        step=step,
        first_suggested_on=first_suggested_on,
        due_on=due_on,
        done_on=done_on,
        done_by=user if done_on else None,
        note=note.strip(),
    )
    full_clean(row, exclude=["case", "done_by"])
    row.save()
    case_urgency_refresh(case=case)
    return row


@transaction.atomic
def communication_add(
    *,
    case: Case,
    user: User,
    direction: str,
    channel: str,
    counterpart: str,
    occurred_on: dt.date,
    summary: str,
    counterpart_name: str = "",
    body: str = "",
    language: str = "",
    photo_ids: list[Any] | None = None,
    document_ids: list[Any] | None = None,
) -> Communication:
    """Log one exchange. Attachments must be this case's own photos and documents."""
    if occurred_on > timezone.localdate():
        raise InvalidInput(_("An exchange cannot be dated in the future."), field="occurred_on")
    entry = Communication(
        case=case,
        direction=direction,
        channel=channel,
        counterpart=counterpart,
        counterpart_name=counterpart_name.strip(),
        occurred_on=occurred_on,
        summary=summary.strip(),
        body=body.strip(),
        language=language,
        created_by=user,
    )
    full_clean(entry, exclude=["case", "created_by"])
    entry.save()
    photos = list(case.photos.filter(pk__in=photo_ids or []))
    documents = list(case.documents.filter(pk__in=document_ids or []))
    if len(photos) != len(set(map(str, photo_ids or []))) or len(documents) != len(set(map(str, document_ids or []))):
        raise InvalidInput(_("Attach only photos and documents of this case."), field="attachments")
    entry.photos.set(photos)
    entry.documents.set(documents)
    return entry


@transaction.atomic
def communication_delete(*, communication: Communication) -> None:
    communication.delete()


@transaction.atomic
def application_save(
    *,
    case: Case,
    body: str,
    status: str,
    filed_on: dt.date | None = None,
    reference: str = "",
    claim_amount: int | None = None,
    claim_currency: str = "",
    note: str = "",
    application: ComplaintApplication | None = None,
) -> ComplaintApplication:
    """Create or update an application to a complaint body of the knowledge base."""
    if body not in kb.load().complaint_bodies:
        raise InvalidInput(_("Unknown complaint body '%(body)s'.") % {"body": body}, field="body")
    if status in (ApplicationStatus.FILED, ApplicationStatus.ACCEPTED) and filed_on is None:
        raise InvalidInput(_("Give the date the application was filed."), field="filed_on")
    if filed_on is not None and filed_on > timezone.localdate():
        raise InvalidInput(_("An application cannot be filed in the future."), field="filed_on")
    row = application or ComplaintApplication(case=case)
    row.body, row.status, row.filed_on, row.reference = body, status, filed_on, reference.strip()
    row.claim_amount, row.claim_currency, row.note = claim_amount, claim_currency.upper(), note.strip()
    full_clean(row, exclude=["case"])
    row.save()
    return row
