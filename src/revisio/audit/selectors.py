"""Reads of the audit trail: a case's log, newest first, and the people in it.

Precondition for all of them: the caller has checked that the reader owns the case (the log is shown
to the case's owner only, through ``case_get_for_user(write=True)``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from revisio.audit.chain import case_chain
from revisio.audit.models import ActorKind, AuditEntry
from revisio.audit.wording import Person, role_name, who
from revisio.web.errors import InvalidInput

COMMAND_LINE = "command-line"


@dataclass(frozen=True)
class PersonChoice:
    """One person the log can be filtered by: ``value`` is a user ID or ``command-line``."""

    value: str
    label: str


def case_log(*, case_id: uuid.UUID, person: str = "") -> QuerySet[AuditEntry]:
    """The case's entries, newest first; only one person's (a user ID, or ``command-line``) if given."""
    entries = AuditEntry.objects.filter(chain=case_chain(case_id)).order_by("-seq")
    if not person:
        return entries
    if person == COMMAND_LINE:
        return entries.filter(actor_kind=ActorKind.COMMAND_LINE)
    if not person.isdigit() or len(person) > 18:
        raise InvalidInput(_("Choose a person from the list."), field="person")
    return entries.filter(actor_id=int(person), actor_kind=ActorKind.USER)


def people(entries: Iterable[AuditEntry]) -> dict[int, Person]:
    """The people behind ``entries``, looked up now: a display name and, for coordinators, their agencies."""
    ids = {entry.actor_id for entry in entries if entry.actor_id is not None}
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids).prefetch_related("memberships__agency")
    return {
        user.pk: Person(
            name=user.display_name or _("someone without a name on Revisio"),
            agencies=tuple(sorted(m.agency.name for m in user.memberships.all())),
        )
        for user in users
    }


def case_log_people(*, case_id: uuid.UUID) -> list[PersonChoice]:
    """Everyone who appears in the case's log, for the filter: you first, then by name."""
    rows = (
        AuditEntry.objects.filter(chain=case_chain(case_id), redacted=False)
        .values_list("actor_kind", "actor_id", "actor_role")
        .distinct()
    )
    samples = [AuditEntry(actor_kind=kind, actor_id=actor_id, actor_role=role) for kind, actor_id, role in rows]
    known = people(samples)
    choices: dict[str, PersonChoice] = {}
    for sample in samples:
        if sample.actor_kind == ActorKind.COMMAND_LINE:
            choices[COMMAND_LINE] = PersonChoice(COMMAND_LINE, who(sample, known))
        elif sample.actor_kind == ActorKind.USER and sample.actor_id is not None:
            value = str(sample.actor_id)
            label = who(sample, known)
            if sample.actor_role == "staff":
                label = f"{label} ({role_name('staff')} {value})"  # several staff members stay apart
            choices.setdefault(value, PersonChoice(value, label))
    return sorted(choices.values(), key=lambda c: (c.label != _("You"), c.value == COMMAND_LINE, c.label.lower()))
