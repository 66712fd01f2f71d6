"""Checks that span records: every reference resolves, IDs are unique, every source is used."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel

from revisio.kb.errors import Problem
from revisio.kb.models import Citation, Scope

if TYPE_CHECKING:
    from revisio.kb.loader import KnowledgeBase


def citations(node: object) -> Iterator[Citation]:
    """Every citation anywhere inside a record."""
    if isinstance(node, Citation):
        yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from citations(getattr(node, name))
    elif isinstance(node, list | tuple):
        for item in node:
            yield from citations(item)


def cited_statements(node: object) -> Iterator[BaseModel]:
    """Every part of a record that carries its own ``cite`` list (claims, rules, windows, facts)."""
    if isinstance(node, BaseModel):
        if "cite" in type(node).model_fields:
            yield node
        for name in type(node).model_fields:
            yield from cited_statements(getattr(node, name))
    elif isinstance(node, list | tuple):
        for item in node:
            yield from cited_statements(item)


def _duplicates(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


def check_references(kb: KnowledgeBase) -> list[Problem]:
    problems: list[Problem] = []
    vocabulary = set(kb.symptoms) | set(kb.concerns)

    for shared in sorted(set(kb.symptoms) & set(kb.concerns)):
        problems.append(Problem(f"concerns/{shared}.yaml", f"'{shared}' is also a symptom ID"))

    for kind, records in _all_records(kb):
        for record_id, record in records.items():
            where = f"{kind}/{record_id}.yaml"
            for citation in citations(record):
                if citation.source not in kb.sources:
                    problems.append(Problem(where, f"cites unknown source '{citation.source}'"))

    for complication in kb.complications.values():
        where = f"complications/{complication.id}.yaml"
        for rule_id in _duplicates([rule.id for rule in complication.signs]):
            problems.append(Problem(where, f"sign rule id '{rule_id}' is used twice"))
        for concern_id in complication.appearance_concerns:
            concern = kb.concerns.get(concern_id)
            if concern is None or not concern.appearance:
                problems.append(Problem(where, f"'{concern_id}' is not an appearance concern"))
        for rule in complication.signs:
            for item in [*rule.any_of, *rule.all_of]:
                if item not in vocabulary:
                    problems.append(Problem(where, f"sign '{rule.id}' names unknown symptom or concern '{item}'"))

    all_ids = set(kb.procedures)
    alias_owners: Counter[str] = Counter()
    for procedure in kb.procedures.values():
        where = f"procedures/{procedure.id}.yaml"
        alias_owners.update(procedure.aliases)
        for alias in procedure.aliases:
            if alias in all_ids:
                problems.append(Problem(where, f"alias '{alias}' is another procedure's ID"))
        for milestone_id in _duplicates([m.id for m in procedure.milestones]):
            problems.append(Problem(where, f"milestone id '{milestone_id}' is used twice"))
        for expected in procedure.expected:
            if expected.item not in vocabulary:
                problems.append(Problem(where, f"expected item '{expected.item}' is not in the vocabulary"))
        for link in procedure.complications:
            linked = kb.complications.get(link.id)
            if linked is None:
                problems.append(Problem(where, f"links unknown complication '{link.id}'"))
            elif linked.scope is Scope.ALL:
                problems.append(Problem(where, f"complication '{link.id}' applies to all procedures already"))
        for duplicate in _duplicates([link.id for link in procedure.complications]):
            problems.append(Problem(where, f"complication '{duplicate}' is linked twice"))
        final, revision = procedure.final_result, procedure.revision
        if final and revision and revision.not_before_day < final.from_day:
            problems.append(Problem(where, "revision.not_before_day is before final_result.from_day"))
    for alias, owners in alias_owners.items():
        if owners > 1:
            problems.append(Problem("procedures/", f"alias '{alias}' belongs to {owners} procedures"))

    known_countries = set(kb.countries) | {m for c in kb.countries.values() for m in c.members}
    for body in kb.complaint_bodies.values():
        if body.country not in known_countries:
            problems.append(
                Problem(f"complaint-bodies/{body.id}.yaml", f"country '{body.country}' has no country record")
            )

    for step in kb.steps.values():
        for body_id in step.bodies:
            if body_id not in kb.complaint_bodies:
                problems.append(Problem(f"steps/{step.id}.yaml", f"names unknown complaint body '{body_id}'"))

    members = [member for country in kb.countries.values() for member in country.members]
    for member in _duplicates(members + list(kb.countries)):
        problems.append(Problem("countries/", f"country code '{member}' appears in more than one record"))
    return problems


def unused_sources(kb: KnowledgeBase) -> list[Problem]:
    """Sources no record cites: harmless to the engine, so a validation error but not a load error."""
    cited = {c.source for _, records in _all_records(kb) for record in records.values() for c in citations(record)}
    return [
        Problem(f"sources/{source_id}.yaml", "no record cites this source")
        for source_id in kb.sources
        if source_id not in cited
    ]


def duplicate_sources(kb: KnowledgeBase) -> list[Problem]:
    """Two source records for one page: cite one of them (a validation error, harmless to the engine)."""
    by_url: dict[str, list[str]] = {}
    for source in kb.sources.values():
        if source.url:
            by_url.setdefault(str(source.url).rstrip("/").lower(), []).append(source.id)
    return [
        Problem(f"sources/{ids[1]}.yaml", f"the same page as sources/{ids[0]}.yaml: cite one record")
        for ids in (sorted(found) for found in by_url.values())
        if len(ids) > 1
    ]


def _all_records(kb: KnowledgeBase) -> list[tuple[str, dict[str, BaseModel]]]:
    return [
        ("symptoms", dict(kb.symptoms)),
        ("concerns", dict(kb.concerns)),
        ("complications", dict(kb.complications)),
        ("procedures", dict(kb.procedures)),
        ("countries", dict(kb.countries)),
        ("complaint-bodies", dict(kb.complaint_bodies)),
        ("steps", dict(kb.steps)),
    ]
