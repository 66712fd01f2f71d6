"""An indexed view of the knowledge base, built once per loaded knowledge base.

The engine runs tens of thousands of assessments a second, so the pydantic records are turned
into dictionaries keyed by what a patient reports: a reported item finds its rules and expected
windows by one lookup instead of a scan of every record.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from revisio.engine.model import EmergencyContact, Message
from revisio.kb import KnowledgeBase
from revisio.kb.models import (
    Citation,
    Complication,
    Expected,
    FinalResult,
    Milestone,
    Procedure,
    RevisionTiming,
    Scope,
    SignRule,
    Text,
)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    complication: Complication
    rule: SignRule
    any_of: frozenset[str]
    all_of: frozenset[str]
    finding_id: str
    sources: tuple[str, ...]

    def matches(self, reported: frozenset[str], temperature_c: float | None, day: int) -> bool:
        rule = self.rule
        if self.any_of and self.any_of.isdisjoint(reported):
            return False
        if not self.all_of <= reported:
            return False
        if rule.min_temperature_c is not None and (temperature_c is None or temperature_c < rule.min_temperature_c):
            return False
        if rule.from_day is not None and day < rule.from_day:
            return False
        return rule.until_day is None or day <= rule.until_day


@dataclass(frozen=True, slots=True)
class RuleIndex:
    """Rules by the reported item that can trigger them, plus rules triggered by temperature alone."""

    by_item: dict[str, tuple[CompiledRule, ...]]
    by_temperature: tuple[CompiledRule, ...]

    def candidates(self, reported: Iterable[str], temperature_c: float | None) -> list[CompiledRule]:
        seen: dict[str, CompiledRule] = {}
        for item in reported:
            for rule in self.by_item.get(item, ()):
                seen.setdefault(rule.finding_id, rule)
        if temperature_c is not None:
            for rule in self.by_temperature:
                seen.setdefault(rule.finding_id, rule)
        return list(seen.values())


@dataclass(frozen=True, slots=True)
class Outcome:
    """A complication an appearance concern may point to once the result can be judged."""

    complication: Complication
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompiledExpected:
    entry: Expected
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompiledMilestone:
    milestone: Milestone
    starts: dt.timedelta
    ends: dt.timedelta
    label: Message
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompiledFinalResult:
    final: FinalResult
    starts: dt.timedelta
    settled: dt.timedelta
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompiledRevision:
    revision: RevisionTiming
    starts: dt.timedelta
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompiledProcedure:
    """One procedure with everything that does not depend on the dates precomputed."""

    procedure: Procedure
    name: Message
    rules: RuleIndex
    expected: dict[str, tuple[CompiledExpected, ...]]
    outcomes: dict[str, tuple[Outcome, ...]]
    course_sources: tuple[str, ...]
    milestones: tuple[CompiledMilestone, ...]
    final_result: CompiledFinalResult | None
    revision: CompiledRevision | None


@dataclass(frozen=True, slots=True)
class CompiledKnowledge:
    kb: KnowledgeBase
    universal_rules: RuleIndex
    procedures: dict[str, CompiledProcedure]
    temperature_symptoms: tuple[tuple[str, float], ...]
    appearance_concerns: frozenset[str]
    labels: dict[str, Text]  # symptom and concern IDs to their labels
    emergency_contacts: dict[str, EmergencyContact]  # by country record ID


def _sources(citations: Iterable[Citation]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.source for c in citations))


def _compile_rules(complications: Iterable[Complication], *, prefix: str) -> RuleIndex:
    by_item: defaultdict[str, list[CompiledRule]] = defaultdict(list)
    by_temperature: list[CompiledRule] = []
    for complication in complications:
        for rule in complication.signs:
            compiled = CompiledRule(
                complication=complication,
                rule=rule,
                any_of=frozenset(rule.any_of),
                all_of=frozenset(rule.all_of),
                finding_id=f"{prefix}sign/{complication.id}/{rule.id}",
                sources=_sources([*complication.description.cite, *rule.cite]),
            )
            triggers = {*rule.any_of, *rule.all_of}
            for item in triggers:
                by_item[item].append(compiled)
            if not triggers:
                by_temperature.append(compiled)
    return RuleIndex({k: tuple(v) for k, v in by_item.items()}, tuple(by_temperature))


def _compile_procedure(kb: KnowledgeBase, procedure: Procedure) -> CompiledProcedure:
    linked = [kb.complications[link.id] for link in procedure.complications]
    link_sources = {link.id: _sources(link.cite) for link in procedure.complications}
    expected: defaultdict[str, list[CompiledExpected]] = defaultdict(list)
    for entry in procedure.expected:
        expected[entry.item].append(CompiledExpected(entry, _sources(entry.cite)))
    outcomes: defaultdict[str, list[Outcome]] = defaultdict(list)
    for complication in linked:
        for concern in complication.appearance_concerns:
            sources = _sources(complication.description.cite) + link_sources[complication.id]
            outcomes[concern].append(Outcome(complication, tuple(dict.fromkeys(sources))))
    course_sources = _sources(c for entry in procedure.expected for c in entry.cite)
    final, revision = procedure.final_result, procedure.revision
    return CompiledProcedure(
        procedure=procedure,
        name=Message(en=procedure.names.en, ko=procedure.names.ko),
        rules=_compile_rules(linked, prefix=f"{procedure.id}/"),
        expected={k: tuple(v) for k, v in expected.items()},
        outcomes={k: tuple(v) for k, v in outcomes.items()},
        course_sources=course_sources,
        milestones=tuple(
            CompiledMilestone(
                milestone=m,
                starts=dt.timedelta(days=m.day),
                ends=dt.timedelta(days=m.day_max if m.day_max is not None else m.day),
                label=Message(en=m.label.en, ko=m.label.ko),
                sources=_sources(m.cite),
            )
            for m in procedure.milestones
        ),
        final_result=CompiledFinalResult(
            final, dt.timedelta(days=final.from_day), dt.timedelta(days=final.by_day), _sources(final.cite)
        )
        if final
        else None,
        revision=CompiledRevision(revision, dt.timedelta(days=revision.not_before_day), _sources(revision.cite))
        if revision
        else None,
    )


@functools.lru_cache(maxsize=8)
def compile_knowledge(kb: KnowledgeBase) -> CompiledKnowledge:
    universal = [c for c in kb.complications.values() if c.scope is Scope.ALL]
    temperature_symptoms = tuple(
        (s.id, s.implied_by_temperature.min_celsius) for s in kb.symptoms.values() if s.implied_by_temperature
    )
    return CompiledKnowledge(
        kb=kb,
        universal_rules=_compile_rules(universal, prefix=""),
        procedures={p.id: _compile_procedure(kb, p) for p in kb.procedures.values()},
        temperature_symptoms=temperature_symptoms,
        appearance_concerns=frozenset(c.id for c in kb.concerns.values() if c.appearance),
        labels={
            **{s.id: s.label for s in kb.symptoms.values()},
            **{c.id: c.label for c in kb.concerns.values()},
        },
        emergency_contacts={
            country.id: EmergencyContact(
                country=country.id,
                country_name=Message(en=country.names.en, ko=country.names.ko),
                number=country.emergency.number,
                sources=_sources(country.emergency.cite),
            )
            for country in kb.countries.values()
        },
    )
