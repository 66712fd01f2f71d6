"""A case from a FHIR Bundle, all or nothing: ``case_from_bundle``.

The Bundle is parsed and checked first (``fhir.resources`` and ``check_bundle``), then read into the
inputs of Revisio's services, then written in one transaction. Check-ins go through ``checkin_add``,
which assesses them again with this server's knowledge base: the Bundle's assessments and Conditions
are not copied, they follow. Photos and documents cannot be recreated without their bytes and are
left out, as the returned summary says. Every error names the entry and element at fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from revisio import kb
from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.cases.services import case_create, device_add
from revisio.diary.services import checkin_add
from revisio.escalation.services import application_save, communication_add, step_state_restore
from revisio.fhir.check import Problem
from revisio.fhir.inputs import Plan, Planned, plan_import
from revisio.fhir.reading import Bundled, Entry, ImportRejected, Skipped, parse_bundle
from revisio.web.errors import InvalidInput

__all__ = ["ImportRejected", "ImportResult", "Skipped", "case_from_bundle"]


@dataclass(frozen=True)
class ImportResult:
    """The new case and the summary: what was created, what was left out and why, what was derived."""

    case: Case
    created: dict[str, int]
    skipped: list[Skipped]
    notes: list[str]


@transaction.atomic
def case_from_bundle(*, bundle_json: bytes | str | dict[str, Any], owner: User) -> ImportResult:
    """Create a case owned by ``owner`` from a Bundle; raise ``ImportRejected`` (and create nothing) when
    any part of it cannot be imported."""
    plan = plan_import(Bundled.of(parse_bundle(bundle_json)))
    case = _case(plan, owner)
    rows = {(p.procedure, p.surgery_date): p.pk for p in case.procedures.all()}
    inputs = dict(plan.procedures)
    for device, procedure in plan.devices:
        procedure_id = rows[(inputs[procedure].procedure, inputs[procedure].surgery_date)] if procedure else None
        with _located(device):
            device_add(case=case, procedure_id=procedure_id, **device.fields)
    for checkin in plan.checkins:
        with _located(checkin):
            checkin_add(case=case, user=owner, **checkin.fields)
    for communication in plan.communications:
        with _located(communication):
            communication_add(case=case, user=owner, **communication.fields)
    for step in plan.steps:
        with _located(step):
            step_state_restore(case=case, user=owner, **step.fields)
    for application in plan.applications:
        with _located(application):
            application_save(case=case, **application.fields)
    return ImportResult(case=case, created=_created(plan), skipped=plan.skipped, notes=_notes(plan))


def _case(plan: Plan, owner: User) -> Case:
    procedures = [procedure for _, procedure in plan.procedures]
    first = plan.procedures[0][0]
    try:
        return case_create(owner=owner, procedures=procedures, **plan.case_fields)
    except InvalidInput as error:
        entry, path = plan.case_sources.get(error.field or "", (first, "code"))
        raise ImportRejected([_problem(entry, path, error)]) from None


@contextmanager
def _located(planned: Planned) -> Iterator[None]:
    """Turn a service's ``InvalidInput`` into ``ImportRejected`` naming the entry the input came from."""
    try:
        yield
    except ImportRejected:
        raise
    except InvalidInput as error:
        entry, path = planned.sources.get(error.field or "", (planned.entry, ""))
        raise ImportRejected([_problem(entry, path, error)]) from None


def _problem(entry: Entry, path: str, error: InvalidInput) -> Problem:
    message = error.message
    if error.field and message.startswith(f"{error.field}: "):
        message = message[len(error.field) + 2 :]
    return entry.problem(path, message)


def _created(plan: Plan) -> dict[str, int]:
    return {
        "procedures": len(plan.procedures),
        "devices": len(plan.devices),
        "checkins": len(plan.checkins),
        "communications": len(plan.communications),
        "step_states": len(plan.steps),
        "applications": len(plan.applications),
    }


def _notes(plan: Plan) -> list[str]:
    version = kb.load().version
    notes = [
        "The case is yours: the Bundle's Patient details were not copied into your profile.",
        f"Each check-in was assessed again with this server's knowledge base ({version}); the Bundle's "
        f"assessments and its {plan.derived.get('conditions', 0)} Condition(s) were not copied but follow from that.",
    ]
    if plan.derived.get("milestones"):
        notes.append(f"{plan.derived['milestones']} milestone(s) are computed from the procedures, not read.")
    return notes
