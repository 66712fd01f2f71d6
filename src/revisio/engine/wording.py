"""The sentences the engine writes around the knowledge base's own statements, in English and Korean.

Only framing lives here (dates, days, which procedure, what to do next); every clinical statement
comes from a cited knowledge-base record and is passed in as ``said``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from revisio.engine.model import Bilingual, EmergencyContact, Message
from revisio.kb.models import Level


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def sign(complication: Bilingual, said: Bilingual) -> Message:
    return Message(en=f"{complication.en}: {said.en}", ko=f"{complication.ko}: {said.ko}")


def expected(item: Bilingual, procedure: Bilingual, day: int, said: Bilingual) -> Message:
    return Message(
        en=f"{item.en} on day {day} after {procedure.en}: {said.en}",
        ko=f"{procedure.ko} 후 {day}일째의 {item.ko}: {said.ko}",
    )


def outside_window(
    item: Bilingual, procedure: Bilingual, day: int, bound_day: int, said: Bilingual, *, late: bool
) -> Message:
    """An item reported after (``late``) or before the window in which sources call it normal."""
    if late:
        when_en, when_ko = f"later than the sources describe as normal (up to day {bound_day})", "늦습니다"
        window_ko = f"자료가 정상으로 보는 기간(수술 후 {bound_day}일까지)보다"
    else:
        when_en, when_ko = f"earlier than the sources describe as normal (from day {bound_day})", "이릅니다"
        window_ko = f"자료가 정상으로 보는 시기(수술 후 {bound_day}일부터)보다"
    return Message(
        en=_join(f"{item.en} on day {day} after {procedure.en} is {when_en}.", said.en, "Tell your surgeon."),
        ko=_join(
            f"{procedure.ko} 후 {day}일째의 {item.ko}: {window_ko} {when_ko}.", said.ko, "담당 의사에게 알리세요."
        ),
    )


def not_described(item: Bilingual, procedures: Sequence[Bilingual]) -> Message:
    names_en = " or ".join(p.en for p in procedures)
    names_ko = ", ".join(p.ko for p in procedures)
    return Message(
        en=f"The sources Revisio holds do not describe {item.en.lower()} as part of the normal course after"
        f" {names_en}. Tell your surgeon about it.",
        ko=f"Revisio가 가진 자료에는 {names_ko} 후의 정상적인 회복 과정으로 '{item.ko}'이(가) 나와 있지 않습니다."
        " 담당 의사에게 알리세요.",
    )


def too_early(
    item: Bilingual, procedure: Bilingual, day: int, judge_from: dt.date, settled_by: dt.date, said: Bilingual
) -> Message:
    return Message(
        en=_join(
            f"{item.en} on day {day} after {procedure.en}: too early to judge until {judge_from.isoformat()};"
            f" the result should have settled by {settled_by.isoformat()}.",
            said.en,
        ),
        ko=_join(
            f"{procedure.ko} 후 {day}일째의 {item.ko}: {judge_from.isoformat()}까지는 판단하기 이르며,"
            f" 결과는 {settled_by.isoformat()}까지 자리를 잡습니다.",
            said.ko,
        ),
    )


def revision_indicated(
    item: Bilingual,
    procedure: Bilingual,
    day: int,
    judge_from: dt.date | None,
    outcomes: Sequence[Bilingual],
    revision_from: dt.date | None,
    revision_said: Bilingual | None,
) -> Message:
    if judge_from is None:
        timing_en = "the sources Revisio holds give no time from which the result can be judged, so raise this"
        timing_en += " with your surgeon."
        timing_ko = "Revisio가 가진 자료에는 결과를 판단할 수 있는 시점이 없으니 담당 의사와 상의하세요."
    else:
        timing_en = f"the sources say the result can be judged from {judge_from.isoformat()}, so this is worth"
        timing_en += " raising with your surgeon."
        timing_ko = f"자료에 따르면 결과는 {judge_from.isoformat()}부터 판단할 수 있으니 담당 의사와 상의할 만합니다."
    if revision_from is not None and revision_said is not None:
        revision_en = f"Revision not before {revision_from.isoformat()}: {revision_said.en}"
        revision_ko = f"재수술은 {revision_from.isoformat()} 이전에는 고려하지 않습니다: {revision_said.ko}"
    else:
        revision_en = "The sources Revisio holds give no time from which a revision may be considered; ask your"
        revision_en += " surgeon."
        revision_ko = "Revisio가 가진 자료에는 재수술을 고려할 수 있는 시점이 없으니 담당 의사에게 물어보세요."
    return Message(
        en=_join(
            f"{item.en} on day {day} after {procedure.en}: {timing_en}",
            *(o.en for o in outcomes),
            revision_en,
        ),
        ko=_join(f"{procedure.ko} 후 {day}일째의 {item.ko}: {timing_ko}", *(o.ko for o in outcomes), revision_ko),
    )


def call_emergency(contacts: Sequence[EmergencyContact]) -> Message:
    if len(contacts) == 1 and contacts[0].country_name is not None:
        contact = contacts[0]
        name = contact.country_name
        assert name is not None
        return Message(
            en=f"Call {contact.number} now (the emergency number in {name.en}) or go to the nearest emergency"
            " department.",
            ko=f"지금 {contact.number}({name.ko} 응급 번호)에 전화하거나 가까운 응급실로 가세요.",
        )
    listed_en = ", ".join(f"{c.country_name.en if c.country_name else ''} {c.number}".strip() for c in contacts)
    listed_ko = ", ".join(f"{c.country_name.ko if c.country_name else ''} {c.number}".strip() for c in contacts)
    return Message(
        en=f"Call the emergency number where you are now ({listed_en}) or go to the nearest emergency department.",
        ko=f"지금 계신 곳의 응급 번호({listed_ko})로 전화하거나 가까운 응급실로 가세요.",
    )


def steps_for_level(level: Level, contacts: Sequence[EmergencyContact]) -> list[Message]:
    if level is Level.EMERGENCY:
        return [
            call_emergency(contacts),
            Message(
                en="When you are safe, tell your surgeon or clinic what happened.",
                ko="안전해지면 담당 의사나 병원에 무슨 일이 있었는지 알리세요.",
            ),
        ]
    if level is Level.URGENT:
        numbers = "/".join(c.number for c in contacts)
        return [
            Message(
                en="Contact your surgeon or clinic today. If you cannot reach them, get urgent medical care where"
                f" you are; if it gets worse, call {numbers}.",
                ko="오늘 담당 의사나 병원에 연락하세요. 연락이 되지 않으면 지금 계신 곳에서 긴급 진료를 받고,"
                f" 악화되면 {numbers}에 전화하세요.",
            )
        ]
    if level is Level.SEE_SURGEON:
        return [
            Message(
                en="Tell your surgeon about this in the next few days, with dated photos.",
                ko="며칠 안에 날짜가 찍힌 사진과 함께 담당 의사에게 알리세요.",
            )
        ]
    if level is Level.MONITOR:
        return [
            Message(
                en="Keep checking in and take photos in the same light, pose and distance each time.",
                ko="계속 기록하고, 사진은 매번 같은 조명·자세·거리에서 찍으세요.",
            )
        ]
    return [
        Message(
            en="This matches the normal course the sources describe; keep following your surgeon's instructions.",
            ko="자료가 설명하는 정상적인 회복 과정과 일치합니다. 담당 의사의 지시를 계속 따르세요.",
        )
    ]


def judge_from_step(judge_from: dt.date) -> Message:
    return Message(
        en=f"Too early to judge the result until {judge_from.isoformat()}.",
        ko=f"{judge_from.isoformat()}까지는 결과를 판단하기 이릅니다.",
    )


def revision_step(revision_from: dt.date) -> Message:
    return Message(
        en=f"Revision not before {revision_from.isoformat()}.",
        ko=f"재수술은 {revision_from.isoformat()} 이후에 고려할 수 있습니다.",
    )


def milestone_step(date_from: dt.date, date_to: dt.date, label: Bilingual, on: dt.date) -> Message:
    """A milestone under way (``date_from`` has passed) or coming up within the next days."""
    if date_from <= on:
        return Message(en=f"Until {date_to.isoformat()}: {label.en}", ko=f"{date_to.isoformat()}까지: {label.ko}")
    if date_from == date_to:
        return Message(
            en=f"Coming up ({date_from.isoformat()}): {label.en}",
            ko=f"다가오는 일정({date_from.isoformat()}): {label.ko}",
        )
    return Message(
        en=f"Coming up ({date_from.isoformat()} to {date_to.isoformat()}): {label.en}",
        ko=f"다가오는 일정({date_from.isoformat()}~{date_to.isoformat()}): {label.ko}",
    )
