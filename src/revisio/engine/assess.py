"""``assess``: one level, with sourced findings, for a case on a date.

The rules are documented for knowledge-base authors in ``docs/knowledge-base.md`` ("How the engine
reads the records"). Two properties matter for safety and are tested by property tests:

* every finding depends only on what is reported, never on what is absent, and the level is the
  highest finding level, so reporting one more symptom or concern never lowers the level;
* the same inputs and knowledge-base version always give the same assessment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from revisio.engine import wording
from revisio.engine.compiled import CompiledKnowledge, CompiledProcedure, CompiledRule, compile_knowledge
from revisio.engine.model import (
    Assessment,
    Bilingual,
    CaseProcedure,
    EmergencyContact,
    Finding,
    FindingKind,
    Message,
    MilestoneDate,
    ProcedureTiming,
)
from revisio.kb import KnowledgeBase, UnknownIdError, load
from revisio.kb.errors import suggest
from revisio.kb.models import Level

MIN_TEMPERATURE_C = 30.0
MAX_TEMPERATURE_C = 45.0
UPCOMING_DAYS = 14

_KIND_ORDER = {kind: index for index, kind in enumerate(FindingKind)}


class InvalidInputError(ValueError):
    """Input the engine cannot assess; the message says what to fix."""


def assess(
    *,
    procedures: Sequence[CaseProcedure],
    on: dt.date,
    symptoms: Iterable[str] = (),
    concerns: Iterable[str] = (),
    temperature_c: float | None = None,
    country: str | None = None,
    kb: KnowledgeBase | None = None,
) -> Assessment:
    """Assess a case on ``on``.

    Raises ``UnknownIdError`` for an unknown procedure, symptom, concern or country (with the
    nearest valid IDs) and ``InvalidInputError`` for impossible dates or temperatures.
    """
    knowledge = compile_knowledge(kb or load())
    base = knowledge.kb
    case = _resolve_procedures(knowledge, procedures, on)
    symptom_ids = _resolve_items(base.symptoms, base.concerns, symptoms, "symptom", "concern")
    concern_ids = _resolve_items(base.concerns, base.symptoms, concerns, "concern", "symptom")
    if temperature_c is not None and not MIN_TEMPERATURE_C <= temperature_c <= MAX_TEMPERATURE_C:
        raise InvalidInputError(
            f"temperature {temperature_c:g} °C is outside {MIN_TEMPERATURE_C:g}-{MAX_TEMPERATURE_C:g} °C:"
            " give the body temperature in degrees Celsius"
        )
    implied = {s for s, threshold in knowledge.temperature_symptoms if temperature_c and temperature_c >= threshold}
    symptom_ids = tuple(sorted({*symptom_ids, *implied}))
    reported = frozenset((*symptom_ids, *concern_ids))

    findings: dict[str, Finding] = {}
    explained: set[str] = set()
    for compiled, surgery_date in case:
        day = (on - surgery_date).days
        for rule, procedure_id in [
            *((r, None) for r in knowledge.universal_rules.candidates(reported, temperature_c)),
            *((r, compiled.procedure.id) for r in compiled.rules.candidates(reported, temperature_c)),
        ]:
            if rule.matches(reported, temperature_c, day):
                finding = _sign_finding(rule, procedure_id, reported)
                findings.setdefault(finding.id, finding)
                explained.update(finding.items)
        for finding in _course_findings(knowledge, compiled, surgery_date, on, reported):
            findings.setdefault(finding.id, finding)
            explained.update(finding.items)

    for item in sorted(reported - explained):
        label = knowledge.labels[item]
        sources = tuple(dict.fromkeys(s for compiled, _ in case for s in compiled.course_sources))
        findings[f"not-described/{item}"] = Finding(
            id=f"not-described/{item}",
            kind=FindingKind.UNEXPECTED_TIMING,
            level=Level.SEE_SURGEON,
            message=wording.not_described(label, [c.procedure.names for c, _ in case]),
            sources=sources,
            procedure=None,
            items=(item,),
        )

    ordered = tuple(sorted(findings.values(), key=lambda f: (-f.level.rank, _KIND_ORDER[f.kind], f.id)))
    level = ordered[0].level if ordered else Level.EXPECTED
    timings = tuple(_timing(compiled, surgery_date, on) for compiled, surgery_date in case)
    contacts = _emergency_contacts(knowledge, country)
    return Assessment(
        on=on,
        level=level,
        procedures=timings,
        findings=ordered,
        next_steps=tuple(_next_steps(level, ordered, timings, contacts, on)),
        emergency_contacts=contacts,
        symptoms=symptom_ids,
        concerns=concern_ids,
        temperature_c=temperature_c,
        kb_version=base.version,
        final_result_from=_latest(t.final_result_from for t in timings),
        final_result_by=_latest(t.final_result_by for t in timings),
        revision_not_before=_latest(t.revision_not_before for t in timings),
    )


def _resolve_procedures(
    knowledge: CompiledKnowledge, procedures: Sequence[CaseProcedure], on: dt.date
) -> list[tuple[CompiledProcedure, dt.date]]:
    if not procedures:
        raise InvalidInputError("name at least one procedure")
    case = []
    for entry in procedures:
        procedure = knowledge.kb.procedure(entry.procedure)
        if entry.surgery_date > on:
            raise InvalidInputError(
                f"the surgery date {entry.surgery_date.isoformat()} of {procedure.id} is after the assessment"
                f" date {on.isoformat()}"
            )
        case.append((knowledge.procedures[procedure.id], entry.surgery_date))
    return case


def _resolve_items(
    wanted: Mapping[str, object],
    other: Mapping[str, object],
    given: Iterable[str],
    kind: str,
    other_kind: str,
) -> tuple[str, ...]:
    """Canonical, sorted, de-duplicated vocabulary IDs; a symptom given as a concern is named as such."""
    resolved = set()
    for raw in given:
        key = raw.strip().lower()
        if key in wanted:
            resolved.add(key)
        elif key in other:
            raise InvalidInputError(f"'{raw}' is a {other_kind}, not a {kind}: report it as a {other_kind}")
        else:
            raise UnknownIdError(kind, raw, suggest(key, wanted))
    return tuple(sorted(resolved))


def _sign_finding(rule: CompiledRule, procedure_id: str | None, reported: frozenset[str]) -> Finding:
    level = rule.rule.level
    triggers = sorted((rule.any_of | rule.all_of) & reported)
    return Finding(
        id=rule.finding_id,
        kind=FindingKind.RED_FLAG if level.is_red_flag else FindingKind.COMPLICATION_SIGN,
        level=level,
        message=wording.sign(rule.complication.names, rule.rule.message),
        sources=rule.sources,
        procedure=procedure_id,
        items=tuple(triggers) or ("temperature",),
    )


def _course_findings(
    knowledge: CompiledKnowledge,
    compiled: CompiledProcedure,
    surgery_date: dt.date,
    on: dt.date,
    reported: frozenset[str],
) -> list[Finding]:
    """Expected, too-early, revision and timing findings of one procedure (steps 2 and 3)."""
    procedure = compiled.procedure
    day = (on - surgery_date).days
    findings = []
    for item in sorted(reported):
        label = knowledge.labels[item]
        entries = compiled.expected.get(item, ())
        in_window = [e for e in entries if e.entry.from_day <= day <= e.entry.until_day]
        if in_window:
            findings.append(
                Finding(
                    id=f"{procedure.id}/expected/{item}",
                    kind=FindingKind.EXPECTED,
                    level=Level.EXPECTED,
                    message=wording.expected(label, compiled.name, day, in_window[0].entry.message),
                    sources=in_window[0].sources
                    if len(in_window) == 1
                    else tuple(dict.fromkeys(s for e in in_window for s in e.sources)),
                    procedure=procedure.id,
                    items=(item,),
                )
            )
        elif item in knowledge.appearance_concerns:
            findings.append(_appearance_finding(compiled, item, label, surgery_date, day))
        elif entries:
            findings.append(_timing_finding(compiled, item, label, day))
    return findings


def _timing_finding(compiled: CompiledProcedure, item: str, label: Bilingual, day: int) -> Finding:
    procedure = compiled.procedure
    entries = compiled.expected[item]
    before = [e for e in entries if day < e.entry.from_day]
    if len(before) == len(entries):
        chosen = min(before, key=lambda e: e.entry.from_day)
        message = wording.outside_window(
            label, compiled.name, day, chosen.entry.from_day, chosen.entry.message, late=False
        )
    else:
        chosen = max((e for e in entries if e.entry.until_day < day), key=lambda e: e.entry.until_day)
        message = wording.outside_window(
            label, compiled.name, day, chosen.entry.until_day, chosen.entry.message, late=True
        )
    return Finding(
        id=f"{procedure.id}/timing/{item}",
        kind=FindingKind.UNEXPECTED_TIMING,
        level=Level.SEE_SURGEON,
        message=message,
        sources=chosen.sources,
        procedure=procedure.id,
        items=(item,),
    )


def _appearance_finding(
    compiled: CompiledProcedure, concern: str, label: Bilingual, surgery_date: dt.date, day: int
) -> Finding:
    procedure = compiled.procedure
    final = compiled.final_result
    if final is not None and day < final.final.from_day:
        return Finding(
            id=f"{procedure.id}/too-early/{concern}",
            kind=FindingKind.TOO_EARLY,
            level=Level.MONITOR,
            message=wording.too_early(
                label,
                compiled.name,
                day,
                surgery_date + final.starts,
                surgery_date + final.settled,
                final.final.message,
            ),
            sources=final.sources,
            procedure=procedure.id,
            items=(concern,),
        )
    outcomes = compiled.outcomes.get(concern, ())
    revision = compiled.revision
    sources = (
        *(final.sources if final else ()),
        *(s for outcome in outcomes for s in outcome.sources),
        *(revision.sources if revision else ()),
    )
    return Finding(
        id=f"{procedure.id}/revision/{concern}",
        kind=FindingKind.REVISION_INDICATION,
        level=Level.SEE_SURGEON,
        message=wording.revision_indicated(
            label,
            compiled.name,
            day,
            surgery_date + final.starts if final else None,
            [outcome.complication.description.text for outcome in outcomes],
            surgery_date + revision.starts if revision else None,
            revision.revision.message if revision else None,
        ),
        sources=tuple(dict.fromkeys(sources)) or compiled.course_sources,
        procedure=procedure.id,
        items=(concern,),
    )


def _timing(compiled: CompiledProcedure, surgery_date: dt.date, on: dt.date) -> ProcedureTiming:
    final, revision = compiled.final_result, compiled.revision
    return ProcedureTiming(
        procedure=compiled.procedure.id,
        name=compiled.name,
        surgery_date=surgery_date,
        day=(on - surgery_date).days,
        final_result_from=surgery_date + final.starts if final else None,
        final_result_by=surgery_date + final.settled if final else None,
        final_result_sources=final.sources if final else (),
        revision_not_before=surgery_date + revision.starts if revision else None,
        revision_sources=revision.sources if revision else (),
        milestones=tuple(
            MilestoneDate(
                id=m.milestone.id,
                kind=m.milestone.kind,
                date_from=surgery_date + m.starts,
                date_to=surgery_date + m.ends,
                label=m.label,
                sources=m.sources,
            )
            for m in compiled.milestones
        ),
    )


def _emergency_contacts(knowledge: CompiledKnowledge, country: str | None) -> tuple[EmergencyContact, ...]:
    """The patient's country's number, or every number the knowledge base holds when it is unknown."""
    if country:
        return (knowledge.emergency_contacts[knowledge.kb.country(country).id],)
    return tuple(knowledge.emergency_contacts.values())


def _next_steps(
    level: Level,
    findings: Sequence[Finding],
    timings: Sequence[ProcedureTiming],
    contacts: Sequence[EmergencyContact],
    on: dt.date,
) -> list[Message]:
    steps = wording.steps_for_level(level, contacts)
    by_procedure = {t.procedure: t for t in timings}

    def dates(kind: FindingKind, attribute: str) -> list[dt.date]:
        found = {getattr(by_procedure[f.procedure], attribute) for f in findings if f.kind is kind and f.procedure}
        return sorted(d for d in found if d is not None)

    steps.extend(wording.judge_from_step(d) for d in dates(FindingKind.TOO_EARLY, "final_result_from"))
    steps.extend(
        wording.revision_step(d) for d in dates(FindingKind.REVISION_INDICATION, "revision_not_before") if d > on
    )
    horizon = on + dt.timedelta(days=UPCOMING_DAYS)
    current = sorted(
        (m for timing in timings for m in timing.milestones if m.date_to >= on and m.date_from <= horizon),
        key=lambda m: (m.date_from, m.date_to, m.id),
    )
    steps.extend(wording.milestone_step(m.date_from, m.date_to, m.label, on) for m in current)
    return list(dict.fromkeys(steps))  # procedures done together often share a milestone: say it once


def _latest(dates: Iterable[dt.date | None]) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None
