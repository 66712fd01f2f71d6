"""A prefilled DRAFT of K-medi's "account of the medical accident and damage" (의료사고 피해경위서,
the Annexed Paper of a mediation application), in Korean and English, for the patient to check.

A separate PDF rather than a section of the dossier: the dossier is evidence, printed as recorded,
whereas this is a working draft the patient corrects, completes and signs; keeping them apart means
the evidence never carries unchecked wording, and the draft can be printed and signed on its own.
It states only what the case record holds, in order; what the patient asks for and the damage are
left blank, because only the patient can say them. The draft is always Korean and English (K-medi
reads Korean), whatever language the patient reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from revisio import kb
from revisio.dossier.facts import CheckInFact, Facts
from revisio.dossier.labels import Bi, join, wording
from revisio.dossier.render import render_pdf
from revisio.dossier.story import unanswered

TEMPLATE = "dossier/pdf/kmedi.html"
BODY_ID = "k-medi"

WORDING: dict[str, dict[str, str]] = {
    "title": {
        "en": "Account of the medical accident and damage (Annexed Paper to the mediation application)",
        "ko": "의료사고 피해경위서 (의료분쟁 조정신청서 별지)",
    },
    "draft": {"en": "DRAFT — check every line before you sign", "ko": "초안 — 서명하기 전에 모든 줄을 확인하세요"},
    "intro": {
        "en": "Revisio filled this in from the records in the case. Check every line, correct anything that is wrong "
        "and fill in the blanks before you sign. It is not legal advice and not a diagnosis. Quoted text is in the "
        "patient's own words and language and may need a Korean translation.",
        "ko": "Revisio가 사례에 기록된 내용으로 작성한 초안입니다. 서명하기 전에 모든 줄을 확인하고, 틀린 내용은 "
        "고치고, 빈칸을 채우세요. 법률 자문이나 진단이 아닙니다. 인용문은 환자 본인의 말과 언어 그대로이므로 한국어 "
        "번역이 필요할 수 있습니다.",
    },
    "applicant": {"en": "1. Applicant (patient)", "ko": "1. 신청인 (환자)"},
    "respondent": {"en": "2. Respondent (healthcare provider)", "ko": "2. 피신청인 (의료기관)"},
    "treatment": {"en": "3. Treatment received", "ko": "3. 진료 내용"},
    "course": {"en": "4. What happened, in order", "ko": "4. 의료사고 경위 (시간 순)"},
    "condition": {"en": "5. Current condition", "ko": "5. 현재 상태"},
    "damage": {"en": "6. Damage", "ko": "6. 피해 내용"},
    "request": {"en": "7. What the applicant asks for", "ko": "7. 신청 취지 (요구 사항)"},
    "evidence": {"en": "8. Evidence attached", "ko": "8. 첨부 자료"},
    "signature": {"en": "9. Signature", "ko": "9. 서명"},
    "birth": {"en": "Date of birth", "ko": "생년월일"},
    "postal": {"en": "Address", "ko": "주소"},
    "fill_in": {"en": "to fill in", "ko": "직접 기재"},
    "cost_treatment": {"en": "Costs of further treatment", "ko": "추가 치료비"},
    "cost_income": {"en": "Lost income", "ko": "일실 수입"},
    "cost_suffering": {"en": "Pain and suffering", "ko": "정신적 피해 (위자료)"},
    "cost_other": {"en": "Other", "ko": "기타"},
    "request_hint": {
        "en": "In your own words: what you ask the clinic for (for example, an explanation, a refund, the cost of a "
        "revision). Only you can decide this.",
        "ko": "본인의 말로 의료기관에 요구하는 내용을 적으세요 (예: 설명, 환불, 재수술 비용). 이는 신청인만 정할 수 "
        "있습니다.",
    },
    "signed_on": {"en": "Date", "ko": "작성일"},
    "applicant_signature": {"en": "Applicant (signature)", "ko": "신청인 (서명)"},
    "dossier_ref": {
        "en": "Revisio evidence dossier {id}, made {date}: {photos} photos, {documents} documents, "
        "{messages} messages, with the SHA-256 of every file.",
        "ko": "Revisio 증거 자료집 {id} ({date} 작성): 사진 {photos}장, 서류 {documents}건, 연락 {messages}건, "
        "모든 파일의 SHA-256 포함.",
    },
    "required": {"en": "Documents K-medi asks for", "ko": "K-medi 제출 서류"},
    "send_to": {"en": "How to send", "ko": "제출 방법"},
    "no_body": {
        "en": "not provided: Revisio's knowledge base holds no K-medi record yet",
        "ko": "제공되지 않음: Revisio 지식 베이스에 아직 K-medi 정보가 없음",
    },
    "latest": {"en": "As recorded on {date} ({day}):", "ko": "{date} ({day}) 기록 기준:"},
    "no_checkin": {"en": "not provided: no check-in recorded", "ko": "제공되지 않음: 상태 기록 없음"},
    # Sentences of the course of events.
    "s_procedure": {
        "en": "{date}: {procedure} at {clinic} ({anaesthesia}).",
        "ko": "{date}: {clinic}에서 {procedure}을(를) 받음 ({anaesthesia}).",
    },
    "s_leaving": {"en": "{date}: left the country of the operation.", "ko": "{date}: 수술 국가에서 출국함."},
    "s_checkin": {"en": "{date} ({day}): the patient recorded {items}.", "ko": "{date} ({day}): 환자 기록 — {items}."},
    "s_nothing": {"en": "no symptoms", "ko": "증상 없음"},
    "s_pain": {"en": "Pain {pain}/10.", "ko": "통증 {pain}/10."},
    "s_temperature": {"en": "Temperature {t} °C.", "ko": "체온 {t}°C."},
    "s_level": {"en": "Revisio's level (not a diagnosis): {level}.", "ko": "Revisio 평가 단계 (진단 아님): {level}."},
    "s_sent": {
        "en": "{date}: the patient contacted {who} ({channel}):",
        "ko": "{date}: 환자가 {who}에 연락함 ({channel}):",
    },
    "s_received": {"en": "{date}: {who} answered ({channel}):", "ko": "{date}: {who}의 답변 ({channel}):"},
    "s_unanswered": {
        "en": "No reply has been recorded since the message of {date} ({days} days before this draft).",
        "ko": "{date}에 보낸 연락 이후 답변이 기록되지 않음 (이 초안 작성 {days}일 전).",
    },
    "s_application": {"en": "{date}: application to {body} ({status}).", "ko": "{date}: {body}에 신청함 ({status})."},
    "s_step": {"en": "{date}: {step} — done.", "ko": "{date}: {step} — 완료함."},
    "the_clinic": {"en": "the clinic", "ko": "해당 의료기관"},
    "course_note": {
        "en": "Check-ins are listed where the level or what was reported changed ({shown} of {total}); the evidence "
        "dossier lists all of them.",
        "ko": "상태 기록은 평가 단계나 기록 내용이 바뀐 경우만 적었습니다 (전체 {total}건 중 {shown}건). "
        "증거 자료집에는 모두 있습니다.",
    },
    "day_n": {"en": "day {n}", "ko": "수술 후 {n}일째"},
}


@dataclass(frozen=True)
class Sentence:
    date: str
    text: Bi
    words: str = ""  # quoted, untranslated
    words_lang: str = ""


def w(key: str, **values: Any) -> Bi:
    """The draft's wording: always English and Korean."""
    return wording(WORDING[key], "en", **values)


def course(facts: Facts) -> list[Sentence]:
    """The events of the case in date order, as plain sentences."""
    clinic = Bi(facts.party.clinic_name, facts.party.clinic_name, "en") if facts.party.clinic_name else w("the_clinic")
    sentences: list[tuple[str, int, Sentence]] = []

    def add(date: str, order: int, sentence: Sentence) -> None:
        sentences.append((date, order, sentence))

    for p in facts.procedures:
        day = p.surgery_date.isoformat()
        add(
            day,
            0,
            Sentence(day, w("s_procedure", date=day, procedure=p.name, clinic=clinic, anaesthesia=p.anaesthesia)),
        )
    if facts.leaving_on:
        day = facts.leaving_on.isoformat()
        add(day, 1, Sentence(day, w("s_leaving", date=day)))
    for c in _telling_checkins(facts.checkins):
        add(c.date.isoformat(), 2, _checkin_sentence(c))
    for m in facts.communications:
        if not m.with_clinic:
            continue
        day = m.occurred_on.isoformat()
        who = m.counterpart_label
        if m.counterpart_name:
            who = Bi(f"{who.primary} ({m.counterpart_name})", f"{who.korean} ({m.counterpart_name})", "en")
        key = "s_sent" if m.sent else "s_received"
        add(day, 3, Sentence(day, w(key, date=day, who=who, channel=m.channel), m.summary, m.language))
    for a in facts.applications:
        day = (a.filed_on or a.created_on).isoformat()
        add(day, 4, Sentence(day, w("s_application", date=day, body=a.body, status=a.status)))
    for s in facts.steps:
        if s.done_on:
            day = s.done_on.isoformat()
            add(day, 5, Sentence(day, w("s_step", date=day, step=s.title)))
    ordered = [s for _, _, s in sorted(sentences, key=lambda item: (item[0], item[1]))]
    waiting = unanswered(facts)
    if waiting:
        oldest = waiting[0].occurred_on
        today = facts.today.isoformat()
        ordered.append(Sentence(today, w("s_unanswered", date=oldest.isoformat(), days=(facts.today - oldest).days)))
    return ordered


def _telling_checkins(checkins: tuple[CheckInFact, ...]) -> list[CheckInFact]:
    """The first and latest check-ins, and each one where the level or what was reported changed:
    an account for mediation tells the course, and the dossier beside it lists every check-in."""
    telling: list[CheckInFact] = []
    for index, checkin in enumerate(checkins):
        previous = telling[-1] if telling else None
        changed = previous is None or (checkin.level, checkin.symptoms, checkin.concerns) != (
            previous.level,
            previous.symptoms,
            previous.concerns,
        )
        if changed or index == len(checkins) - 1:
            telling.append(checkin)
    return telling


def _checkin_sentence(c: CheckInFact) -> Sentence:
    day = c.date.isoformat()
    reported = [*c.symptoms, *c.concerns]
    items = join(reported, "en") if reported else w("s_nothing")
    day_text = w("day_n", n=c.day) if c.day is not None else Bi("", "", "en")
    parts = [w("s_checkin", date=day, day=day_text, items=items)]
    if c.pain is not None:
        parts.append(w("s_pain", pain=c.pain))
    if c.temperature_c is not None:
        parts.append(w("s_temperature", t=c.temperature_c))
    parts.append(w("s_level", level=c.level_label))
    return Sentence(day, join(parts, "en", " "), c.notes)


def kmedi_pdf(facts: Facts) -> bytes:
    """The draft as PDF bytes; ``facts`` must be collected in English (``language="en"``)."""
    body = kb.load().complaint_bodies.get(BODY_ID)
    latest = facts.checkins[-1] if facts.checkins else None
    context: dict[str, Any] = {
        "facts": facts,
        "language": "en",
        "korean_first": True,
        "w": {key: w(key) for key, entry in WORDING.items() if "{" not in entry["en"]},
        "course": course(facts),
        "course_note": w("course_note", shown=len(_telling_checkins(facts.checkins)), total=len(facts.checkins))
        if len(_telling_checkins(facts.checkins)) < len(facts.checkins)
        else None,
        "latest": latest,
        "latest_heading": w("latest", date=latest.date.isoformat(), day=w("day_n", n=latest.day))
        if latest and latest.day is not None
        else None,
        "dossier_ref": w(
            "dossier_ref",
            id=facts.dossier_id,
            date=facts.today.isoformat(),
            photos=len(facts.photos),
            documents=len(facts.documents),
            messages=len(facts.communications),
        ),
        "required": [Bi(t.en, t.ko, "en") for t in body.required_documents.items]
        if body and body.required_documents
        else [],
        "routes": [(r.channel.value, r.value) for r in body.how_to_apply] if body else [],
        "body_known": body is not None,
    }
    return render_pdf(TEMPLATE, context, language="en", photos={})
