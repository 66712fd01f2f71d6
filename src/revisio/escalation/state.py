"""Case records in, planner and message-composer inputs out (the escalation side of the adapter)."""

from __future__ import annotations

import datetime as dt

from revisio import kb
from revisio.cases.models import Case, DeviceType, DocumentType
from revisio.diary.models import MeasurementStatus, Photo
from revisio.engine.escalation import Application, CaseState, ProcedureDates, complications_in
from revisio.engine.messages import AttachedPhoto, MessageFacts, Named, ProcedureDone, Question
from revisio.escalation.models import Counterpart, Direction
from revisio.kb import Level
from revisio.kb.models import Text
from revisio.recovery.adapter import NothingToAssess, assess_case

IMPLANTS = {
    DeviceType.BREAST_IMPLANT,
    DeviceType.TISSUE_EXPANDER,
    DeviceType.BUTTOCK_IMPLANT,
    DeviceType.CHIN_IMPLANT,
    DeviceType.CHEEK_IMPLANT,
    DeviceType.NASAL_IMPLANT,
    DeviceType.BONE_CEMENT,
}
CLINIC_SIDE = {Counterpart.CLINIC, Counterpart.SURGEON}
# The one number each measure is followed by in a message.
MAIN_INDEX = {
    "face": (
        "asymmetry_index",
        Named("facial asymmetry index", "얼굴 비대칭 지수", "面部不对称指数", "顔の非対称指数"),
    ),
    "breast": (
        "bra",
        Named(
            "breast retraction assessment (BRA)", "유방 수축 평가(BRA)", "乳房回缩评估（BRA）", "乳房後退評価（BRA）"
        ),
    ),
    "head-top": (
        "cvai",
        Named("cranial vault asymmetry index", "두개 비대칭 지수", "颅顶不对称指数", "頭蓋非対称指数"),
    ),
    "body": (
        "hip_asymmetry_index",
        Named(
            "hip asymmetry index (not validated)",
            "골반 비대칭 지수(검증되지 않음)",
            "髋部不对称指数（未经验证）",
            "腰の非対称指数（未検証）",
        ),
    ),
}


def _named(text: Text) -> Named:
    return Named(text.en, text.ko, text.zh, text.ja)


def case_state(case: Case, *, today: dt.date) -> CaseState:
    """Where the case stands today, from its check-ins, documents, devices, log and applications."""
    checkins = sorted(case.checkins.all(), key=lambda c: (c.date, c.created_at))
    latest = checkins[-1] if checkins else None
    problems = [c.date for c in checkins if c.concerns or Level(c.level).rank >= Level.SEE_SURGEON.rank]
    findings = latest.assessment.get("findings", []) if latest is not None else []
    complications = complications_in(f["id"] for f in findings)
    procedures = list(case.procedures.all())
    timings = {}
    try:
        course = assess_case(
            procedures=procedures, on=today, symptoms=[], concerns=[], temperature_c=None, country=None
        )
        timings = {t.procedure: t for t in course.procedures}
    except NothingToAssess:
        pass
    dates = tuple(
        ProcedureDates(
            procedure=p.procedure,
            surgery_date=p.surgery_date,
            final_result_from=timings[p.procedure].final_result_from if p.procedure in timings else None,
            revision_not_before=timings[p.procedure].revision_not_before if p.procedure in timings else None,
        )
        for p in procedures
    )
    log = list(case.communications.all())
    sent = [c.occurred_on for c in log if c.direction == Direction.SENT and c.counterpart in CLINIC_SIDE]
    received = [c.occurred_on for c in log if c.direction == Direction.RECEIVED and c.counterpart in CLINIC_SIDE]
    document_types = {d.document_type for d in case.documents.all()}
    return CaseState(
        today=today,
        procedures=dates,
        level=Level(latest.level) if latest else None,
        concern_since=min(problems) if problems else None,
        complications=complications,
        surgery_country=(case.clinic_country or "").lower() or None,
        current_country=(case.owner.current_country or "").lower() or None,
        leaving_on=case.leaving_on,
        has_implants=any(d.device_type in IMPLANTS for d in case.devices.all()),
        contacted_on=max(sent) if sent else None,
        answered_on=max(received) if received else None,
        records_collected=bool(document_types & {DocumentType.MEDICAL_RECORD, DocumentType.OPERATIVE_NOTE}),
        imaging_collected=DocumentType.IMAGING_REPORT in document_types,
        applications=tuple(Application(a.body, a.status, a.filed_on) for a in case.applications.all()),
    )


def message_facts(
    case: Case, *, question: Question, photos: list[Photo], free_text: str = "", contact: str = ""
) -> MessageFacts:
    """What a message to the clinic says, from the case and its latest check-in."""
    base = kb.load()
    procedures = [
        ProcedureDone(_named(base.procedures[p.procedure].names), p.surgery_date)
        for p in case.procedures.all()
        if p.procedure in base.procedures
    ]
    checkins = sorted(case.checkins.all(), key=lambda c: (c.date, c.created_at))
    latest = checkins[-1] if checkins else None
    noticed: list[Named] = []
    since = None
    if latest is not None:
        items = [*latest.symptoms, *latest.concerns]
        labels = {**{s.id: s.label for s in base.symptoms.values()}, **{c.id: c.label for c in base.concerns.values()}}
        noticed = [_named(labels[i]) for i in items if i in labels]
        reported = set(items)
        earliest = [c.date for c in checkins if reported & {*c.symptoms, *c.concerns}]
        since = min(earliest) if earliest else latest.date
    attached = []
    for photo in photos:
        view = Named(str(photo.get_view_display()), str(photo.get_view_display()))
        view = VIEW_NAMES.get(photo.view, view)
        measured = None
        done = [m for m in photo.measurements.all() if m.status == MeasurementStatus.DONE]
        if done:
            latest_measure = max(done, key=lambda m: m.created_at)
            key, label = MAIN_INDEX.get(latest_measure.kind, (None, None))
            if key and label and key in latest_measure.metrics:
                measured = (label, float(latest_measure.metrics[key]))
        attached.append(AttachedPhoto(photo.taken_on, view, measured))
    addressee = case.surgeon_name or case.clinic_name
    return MessageFacts(
        patient_name=case.owner.display_name or case.owner.email,
        addressee=addressee,
        procedures=procedures,
        since=since,
        noticed=noticed,
        pain=latest.pain if latest else None,
        temperature_c=float(latest.temperature_c) if latest and latest.temperature_c is not None else None,
        photos=attached,
        question=question,
        free_text=free_text,
        contact=contact,
    )


VIEW_NAMES = {
    "front": Named("front view", "정면", "正面", "正面"),
    "back": Named("back view", "뒷면", "背面", "背面"),
    "left": Named("left side (mine)", "왼쪽 측면(본인 기준)", "左侧（本人）", "左側面（本人から見て）"),
    "right": Named("right side (mine)", "오른쪽 측면(본인 기준)", "右侧（本人）", "右側面（本人から見て）"),
    "left-oblique": Named("left oblique (mine)", "왼쪽 사선(본인 기준)", "左斜侧（本人）", "左斜め（本人から見て）"),
    "right-oblique": Named(
        "right oblique (mine)", "오른쪽 사선(본인 기준)", "右斜侧（本人）", "右斜め（本人から見て）"
    ),
    "top": Named("top of the head", "정수리", "头顶", "頭頂部"),
    "close-up": Named("close-up", "근접 촬영", "特写", "クローズアップ"),
}
