"""Which symptoms and concerns a check-in form offers for a case's procedures."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from revisio import kb
from revisio.kb.models import Concern, Scope, Symptom


@functools.cache
def _relevant_items(procedure_id: str) -> frozenset[str]:
    base = kb.load()
    procedure = base.procedures[procedure_id]
    linked = [base.complications[link.id] for link in procedure.complications]
    universal = [c for c in base.complications.values() if c.scope is Scope.ALL]
    items = {entry.item for entry in procedure.expected}
    for complication in [*linked, *universal]:
        items.update(complication.appearance_concerns)
        for rule in complication.signs:
            items.update(rule.any_of)
            items.update(rule.all_of)
    return frozenset(items)


def vocabulary_for(procedure_ids: Iterable[str]) -> tuple[list[Symptom], list[Concern]]:
    """Symptoms and concerns the knowledge base says something about for these procedures.

    Appearance concerns are always offered (any result can look wrong); when the case has no
    procedure yet, the whole vocabulary is offered.
    """
    base = kb.load()
    ids = [p for p in procedure_ids if p in base.procedures]
    if not ids:
        return list(base.symptoms.values()), list(base.concerns.values())
    relevant = frozenset().union(*(_relevant_items(p) for p in ids))
    symptoms = [s for s in base.symptoms.values() if s.id in relevant]
    concerns = [c for c in base.concerns.values() if c.id in relevant or c.appearance]
    return symptoms, concerns
