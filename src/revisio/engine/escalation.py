"""The escalation plan: from where a case stands, the ordered next steps, each with why and a due date.

Pure and deterministic like the assessment. The steps themselves (title, why, documents needed,
bodies involved) are knowledge-base records with sources (``knowledge/steps/``); this module only
decides which apply, in which order, and by when. A step without a record is never shown.

Seed document 001 is the path it follows: talk to the surgeon (with a translator), consider a
correction or another clinic, and if the clinic does not respond, go to K-medi, the Korea Consumer
Agency or KHIDI's Medical Korea Support Center; "maybe all you need is more time".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from revisio.engine.model import Message
from revisio.kb import KnowledgeBase, Level, load
from revisio.kb.models import BodyKind

#: Complications whose signs mean an implant itself may have failed (device reporting applies).
IMPLANT_PROBLEMS = frozenset({"implant-rupture", "implant-deflation", "capsular-contracture", "implant-malposition"})
#: How long Revisio waits for the clinic to answer before suggesting the next route. A product default,
#: not a clinical or legal rule: the plan says "the clinic has not answered since DATE".
NO_ANSWER_DAYS = 14
#: Application statuses under which the route is still being taken.
OPEN_STATUSES = frozenset({"preparing", "filed", "accepted"})


@dataclass(frozen=True)
class ProcedureDates:
    procedure: str
    surgery_date: dt.date
    final_result_from: dt.date | None = None
    revision_not_before: dt.date | None = None


@dataclass(frozen=True)
class Application:
    body: str
    status: str  # preparing, filed, accepted, dismissed, settled, withdrawn
    filed_on: dt.date | None = None


@dataclass(frozen=True)
class CaseState:
    """Where a case stands on ``today``. Countries are ISO codes (lower case)."""

    today: dt.date
    procedures: tuple[ProcedureDates, ...]
    level: Level | None = None
    concern_since: dt.date | None = None  # when a problem was first reported ("learning of the damage")
    complications: frozenset[str] = frozenset()  # complication IDs the latest assessment's findings name
    surgery_country: str | None = None
    current_country: str | None = None
    leaving_on: dt.date | None = None
    has_implants: bool = False
    contacted_on: dt.date | None = None  # last message to the clinic or surgeon
    answered_on: dt.date | None = None  # last answer from them
    records_collected: bool = False
    imaging_collected: bool = False
    applications: tuple[Application, ...] = ()


@dataclass(frozen=True)
class PlannedStep:
    id: str
    title: Message
    why: Message
    sources: tuple[str, ...]
    due: dt.date | None
    documents: tuple[Message, ...] = ()
    bodies: tuple[str, ...] = ()
    facts: tuple[Message, ...] = field(default=())  # dynamic facts of this case (dates, fees)


def complications_in(finding_ids: Iterable[str]) -> frozenset[str]:
    """Complication IDs named by an assessment's findings (``…/sign/<complication>/<sign>``)."""
    named = set()
    for finding_id in finding_ids:
        parts = finding_id.split("/")
        if "sign" in parts and parts.index("sign") + 1 < len(parts):
            named.add(parts[parts.index("sign") + 1])
    return frozenset(named)


def _years_later(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def _iso(date: dt.date) -> str:
    return date.isoformat()


def plan(state: CaseState, *, kb: KnowledgeBase | None = None) -> tuple[PlannedStep, ...]:
    base = kb or load()
    wanted: list[tuple[str, dt.date | None, tuple[Message, ...], tuple[str, ...]]] = []

    def want(step: str, due: dt.date | None = None, facts: Iterable[Message] = (), bodies: Iterable[str] = ()) -> None:
        wanted.append((step, due, tuple(facts), tuple(bodies)))

    today = state.today
    level = state.level
    problem = state.concern_since is not None or (level is not None and level.rank >= Level.SEE_SURGEON.rank)
    in_korea_case = state.surgery_country == "kr"
    abroad = bool(state.current_country and state.surgery_country and state.current_country != state.surgery_country)
    first_surgery = min((p.surgery_date for p in state.procedures), default=None)

    # 1. Care first.
    if level is not None and level.is_red_flag:
        want("get-care-now", today, facts=_emergency_facts(base, state.current_country))

    # 2. Records and imaging, easiest to collect in person before leaving the country of the operation.
    if state.surgery_country and not (state.records_collected and state.imaging_collected):
        still_there = not abroad or (state.leaving_on is not None and state.leaving_on >= today)
        if still_there:
            facts = (
                []
                if state.leaving_on is None
                else [
                    Message(
                        en=f"You leave on {_iso(state.leaving_on)}.", ko=f"출국일은 {_iso(state.leaving_on)}입니다."
                    )
                ]
            )
            want("collect-records-before-leaving", state.leaving_on, facts)
        elif problem:
            want("request-records-from-abroad")

    # 3. The surgeon, first.
    unanswered_since = None
    if problem:
        if state.contacted_on is None:
            want("contact-surgeon", today)
        elif state.answered_on is None or state.answered_on < state.contacted_on:
            waited = (today - state.contacted_on).days
            if waited >= NO_ANSWER_DAYS:
                unanswered_since = state.contacted_on

    # 4. Time: too early to judge until the final-result window opens.
    upcoming = sorted(
        p.final_result_from for p in state.procedures if p.final_result_from and p.final_result_from > today
    )
    if state.concern_since is not None and upcoming:
        want("wait-and-remeasure", upcoming[0])

    # 5. When the clinic does not answer: help, then mediation or consumer redress (surgery in Korea).
    applied = {a.body: a for a in state.applications}
    korean_routes = {"k-medi", "korea-consumer-agency"} & set(applied)
    if in_korea_case and (unanswered_since is not None or korean_routes):
        if unanswered_since is not None:
            silence = Message(
                en=f"The clinic has not answered since {_iso(unanswered_since)}.",
                ko=f"병원이 {_iso(unanswered_since)} 이후 답하지 않았습니다.",
            )
            want("ask-khidi-for-help", today, [silence], ("khidi-medical-korea-support-center",))
        kmedi = applied.get("k-medi")
        kca = applied.get("korea-consumer-agency")
        kca_open = kca is not None and kca.status in OPEN_STATUSES
        if kmedi is None and not kca_open:  # one route at a time: K-medi dismisses a case before the KCA
            deadline, facts = _limitation(base, "k-medi", state.concern_since, first_surgery)
            want("apply-k-medi", deadline, facts, ("k-medi",))
        elif kmedi is not None and kmedi.status in ("preparing", "filed") and kmedi.filed_on is not None:
            response_days = _response_days(base, "k-medi")
            if response_days is not None:
                due = kmedi.filed_on + dt.timedelta(days=response_days)
                want("k-medi-clinic-response", due, bodies=("k-medi",))
        if kca is None and (kmedi is None or kmedi.status == "dismissed"):
            want("apply-kca", bodies=("korea-consumer-agency",))

    # 6. After the result can be judged: a second opinion and, from its date, planning a revision.
    judged = [p for p in state.procedures if p.final_result_from and p.final_result_from <= today]
    if state.concern_since is not None and judged:
        want("second-opinion", today)
        later = sorted(p.revision_not_before for p in judged if p.revision_not_before)
        want("plan-revision", later[-1] if later and later[-1] > today else today)

    # 7. A failed implant is reported to the device regulator.
    if state.has_implants and state.complications & IMPLANT_PROBLEMS:
        reporting = _device_reporting(base, state.current_country, state.surgery_country)
        if reporting:  # only where the knowledge base knows whom to report to
            want("report-device-problem", bodies=reporting)

    # 8. Back home: what the home health service will and will not do.
    if abroad and state.current_country in ("gb",):
        want("home-country-care")

    return tuple(step for step in (_planned(base, *entry) for entry in wanted) if step is not None)


def _planned(
    base: KnowledgeBase, step_id: str, due: dt.date | None, facts: tuple[Message, ...], bodies: tuple[str, ...]
) -> PlannedStep | None:
    record = base.steps.get(step_id)
    if record is None:  # no sourced record: the plan never shows an unsourced step
        return None
    known_bodies = tuple(b for b in (*record.bodies, *bodies) if b in base.complaint_bodies)
    return PlannedStep(
        id=step_id,
        title=Message(en=record.title.en, ko=record.title.ko),
        why=Message(en=record.why.text.en, ko=record.why.text.ko),
        sources=tuple(dict.fromkeys(c.source for c in record.why.cite)),
        due=due,
        documents=tuple(Message(en=d.en, ko=d.ko) for d in (record.documents.items if record.documents else [])),
        bodies=tuple(dict.fromkeys(known_bodies)),
        facts=facts,
    )


def _emergency_facts(base: KnowledgeBase, country: str | None) -> list[Message]:
    records = []
    if country:
        try:
            records = [base.country(country)]
        except LookupError:
            records = []
    if not records:
        records = list(base.countries.values())
    listed_en = ", ".join(f"{r.names.en} {r.emergency.number}" for r in records)
    listed_ko = ", ".join(f"{r.names.ko} {r.emergency.number}" for r in records)
    return [Message(en=f"Emergency number: {listed_en}.", ko=f"응급 번호: {listed_ko}.")]


def _limitation(
    base: KnowledgeBase, body_id: str, concern_since: dt.date | None, act: dt.date | None
) -> tuple[dt.date | None, list[Message]]:
    body = base.complaint_bodies.get(body_id)
    limitation = body.limitation if body else None
    if limitation is None:
        return None, []
    candidates = []
    if limitation.years_from_knowledge and concern_since:
        candidates.append(_years_later(concern_since, limitation.years_from_knowledge))
    if limitation.years_from_act and act:
        candidates.append(_years_later(act, limitation.years_from_act))
    if not candidates:
        return None, []
    deadline = min(candidates)
    return deadline, [
        Message(
            en=f"Counting from when you first reported the problem and from the operation, the general time limit"
            f" ends on {_iso(deadline)}: {limitation.text.en}",
            ko=f"문제를 처음 기록한 날과 수술일부터 계산하면 일반적인 기한은 {_iso(deadline)}에 끝납니다:"
            f" {limitation.text.ko}",
        )
    ]


def _response_days(base: KnowledgeBase, body_id: str) -> int | None:
    body = base.complaint_bodies.get(body_id)
    return body.consent.response_days if body and body.consent else None


def _device_reporting(base: KnowledgeBase, *countries: str | None) -> tuple[str, ...]:
    wanted = {c for c in countries if c}
    return tuple(
        body.id
        for body in base.complaint_bodies.values()
        if body.kind is BodyKind.DEVICE_REPORTING and body.country in wanted
    )
