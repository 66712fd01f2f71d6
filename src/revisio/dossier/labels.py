"""Bilingual wording of the dossier: every heading and label in the patient's language and Korean.

Why not the gettext catalogue: the PDF always prints both languages side by side, whatever language
the person who asked for it browses in, and its Korean side must be there the day a string is added
(K-medi accepts documents in Korean). So the dossier's own wording is data, like the knowledge
base's ``Text``: English and Korean required, other languages falling back to English. Choice labels
of the models (levels, views, document types) do come from the catalogue, read in each language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

#: Languages the dossier's own wording is written in; a patient reading another gets English.
LANGUAGES = ("en", "ko")
KOREAN = "ko"


@dataclass(frozen=True)
class Bi:
    """One piece of text in the patient's language (``primary``) and in Korean."""

    primary: str
    korean: str
    language: str = "en"  # the language of ``primary``

    def __str__(self) -> str:
        return self.primary if self.single else f"{self.primary} / {self.korean}"

    @property
    def single(self) -> bool:
        return self.language == KOREAN or self.primary == self.korean

    def html(self, *, korean_first: bool = False) -> SafeString:
        """Both sides as plain text, "primary / 한국어".

        No element per side: the documents are ``lang="ko"`` and set in Noto Sans CJK KR, whose
        Latin glyphs serve the English side, and a span per label would add thousands of boxes for
        WeasyPrint to lay out (a quarter of the build time of a 50-photo dossier).
        """
        if self.single:
            return format_html("{}", self.primary)
        first, second = (self.korean, self.primary) if korean_first else (self.primary, self.korean)
        return format_html("{} / {}", first, second)


def dossier_language(languages: list[str]) -> str:
    """The first language a person reads that the dossier is written in; English otherwise."""
    for code in languages:
        base = str(code).split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return "en"


def label(key: str, language: str, **values: Any) -> Bi:
    """The label ``key`` of ``WORDING`` in ``language`` and Korean, with ``values`` filled in
    (a ``Bi`` value gives each side its own language)."""
    return wording(WORDING[key], language, **values)


def wording(entry: dict[str, str], language: str, **values: Any) -> Bi:
    primary = {k: v.primary if isinstance(v, Bi) else v for k, v in values.items()}
    korean = {k: v.korean if isinstance(v, Bi) else v for k, v in values.items()}
    return Bi((entry.get(language) or entry["en"]).format(**primary), entry[KOREAN].format(**korean), language)


def join(items: list[Bi] | tuple[Bi, ...], language: str, separator: str = ", ") -> Bi:
    """Several labels as one, each side joined in its own language."""
    return Bi(separator.join(i.primary for i in items), separator.join(i.korean for i in items), language)


def both(language: str, text: Callable[[], object]) -> Bi:
    """``text()`` evaluated in ``language`` and in Korean: for lazily translated choice labels."""
    with translation.override(language):
        primary = str(text())
    with translation.override(KOREAN):
        korean = str(text())
    return Bi(primary, korean, language)


def same(text: str, language: str) -> Bi:
    """Text that is the same in every language (a name, a number, the patient's own words)."""
    return Bi(text, text, language)


def not_provided_html(language: str, *, korean_first: bool = False) -> SafeString:
    return format_html(
        '<span class="missing">{}</span>', label("not_provided", language).html(korean_first=korean_first)
    )


WORDING: dict[str, dict[str, str]] = {
    # --- the cover ---------------------------------------------------------------------------------
    "dossier": {"en": "Evidence dossier", "ko": "증거 자료집"},
    "contents": {"en": "Contents", "ko": "목차"},
    "patient": {"en": "Patient", "ko": "환자"},
    "name": {"en": "Name", "ko": "성명"},
    "email": {"en": "E-mail", "ko": "이메일"},
    "residence": {"en": "Country of residence", "ko": "거주 국가"},
    "clinic": {"en": "Clinic", "ko": "의료기관"},
    "city": {"en": "City", "ko": "도시"},
    "country": {"en": "Country", "ko": "국가"},
    "phone": {"en": "Phone", "ko": "전화"},
    "website": {"en": "Website", "ko": "웹사이트"},
    "surgeon": {"en": "Surgeon", "ko": "집도의"},
    "leaving_on": {"en": "Leaving the country of the operation on", "ko": "수술 국가 출국일"},
    "procedures": {"en": "Procedures", "ko": "시술 및 수술"},
    "procedure": {"en": "Procedure", "ko": "시술"},
    "anaesthesia": {"en": "Anaesthesia", "ko": "마취"},
    "made_at": {"en": "Made on", "ko": "작성 일시"},
    "dossier_id": {"en": "Dossier ID", "ko": "자료집 ID"},
    "case_id": {"en": "Case ID", "ko": "사례 ID"},
    "case_title": {"en": "Case", "ko": "사례"},
    "kb_version": {"en": "Knowledge-base version", "ko": "지식 베이스 버전"},
    "please_note": {"en": "Please note", "ko": "유의 사항"},
    "disclaimer": {
        "en": "Revisio does not diagnose: this dossier is not a diagnosis. It collects what the patient recorded "
        "(check-ins, photos, messages, documents) and what the sources Revisio cites say about a situation like "
        "this. Only a doctor who examines the patient can diagnose. Measurements from photos are estimates; each "
        "is given with its method and whether that method is validated.",
        "ko": "Revisio는 진단을 하지 않습니다. 이 자료집은 진단이 아닙니다. 환자가 기록한 내용(상태 기록, 사진, "
        "연락, 서류)과 이와 같은 상황에 대해 Revisio가 인용하는 출처의 내용을 모은 것입니다. 진단은 환자를 직접 "
        "진찰한 의사만 할 수 있습니다. 사진 측정값은 추정치이며, 각 값에 측정 방법과 그 방법의 검증 여부를 함께 "
        "적었습니다.",
    },
    "prepared_by": {
        "en": "Prepared by the patient with Revisio from the patient's own records.",
        "ko": "환자가 본인의 기록을 바탕으로 Revisio를 사용하여 작성했습니다.",
    },
    "verify_note": {
        "en": "Every attached file is listed with its SHA-256 in the manifest at the end. A PDF cannot contain its "
        "own SHA-256: this one's is in manifest.json in the ZIP and on the page the dossier was downloaded from.",
        "ko": "첨부된 모든 파일은 마지막의 파일 목록(매니페스트)에 SHA-256 값과 함께 적혀 있습니다. PDF는 자신의 "
        "SHA-256을 담을 수 없으므로, 이 PDF의 값은 ZIP 안의 manifest.json과 자료집을 내려받은 페이지에 있습니다.",
    },
    "not_provided": {"en": "not provided", "ko": "제공되지 않음"},
    "none_recorded": {"en": "none recorded", "ko": "기록 없음"},
    "day_n": {"en": "day {n}", "ko": "{n}일째"},
    "page": {"en": "page", "ko": "쪽"},
    # --- summary and timeline ----------------------------------------------------------------------
    "summary": {"en": "Summary", "ko": "요약"},
    "first_concern": {"en": "First concern", "ko": "처음 기록된 우려"},
    "latest_level": {"en": "Latest level", "ko": "최근 평가 단계"},
    "unanswered": {"en": "Unanswered messages", "ko": "답변 없는 연락"},
    "unanswered_text": {
        "en": "{n} message(s) to the clinic or surgeon without a recorded reply; the oldest was sent on {date}, "
        "{days} days before this dossier.",
        "ko": "의료기관 또는 의사에게 보낸 연락 중 답변이 기록되지 않은 것 {n}건. 가장 오래된 연락은 {date}에 "
        "보냈으며, 이 자료집 작성 {days}일 전입니다.",
    },
    "all_answered": {"en": "none: every message has a recorded reply", "ko": "없음: 모든 연락에 답변이 기록됨"},
    "applications": {"en": "Applications", "ko": "신청"},
    "records": {"en": "Records in this dossier", "ko": "이 자료집의 기록"},
    "counts": {
        "en": "{checkins} check-ins, {photos} photos, {documents} documents, {messages} messages, {devices} devices",
        "ko": "상태 기록 {checkins}건, 사진 {photos}장, 서류 {documents}건, 연락 {messages}건, 의료기기 {devices}건",
    },
    "reported": {"en": "reported", "ko": "기록 내용"},
    "timeline": {"en": "Timeline", "ko": "경과"},
    "event": {"en": "Event", "ko": "내용"},
    "ev_procedure": {"en": "Procedure: {name}", "ko": "시술: {name}"},
    "ev_checkin": {"en": "Check-in", "ko": "상태 기록"},
    "ev_photos": {"en": "Photos ({n}): {views}", "ko": "사진 {n}장: {views}"},
    "ev_document": {"en": "Document: {title}", "ko": "서류: {title}"},
    "ev_sent": {"en": "Message sent to {who}", "ko": "{who}에 연락함"},
    "ev_received": {"en": "Message received from {who}", "ko": "{who}(으)로부터 연락 받음"},
    "ev_application": {"en": "Application to {body}", "ko": "{body}에 신청"},
    "ev_step": {"en": "Step done: {step}", "ko": "완료한 단계: {step}"},
    "ev_leaving": {"en": "Leaves the country of the operation", "ko": "수술 국가에서 출국"},
    # --- diary --------------------------------------------------------------------------------------
    "symptom_log": {"en": "Symptom and temperature log", "ko": "증상 및 체온 기록"},
    "date": {"en": "Date", "ko": "날짜"},
    "day": {"en": "Day", "ko": "경과일"},
    "level": {"en": "Level", "ko": "단계"},
    "symptoms": {"en": "Symptoms", "ko": "증상"},
    "concerns": {"en": "Concerns", "ko": "우려 사항"},
    "pain": {"en": "Pain (0-10)", "ko": "통증 (0-10)"},
    "temperature": {"en": "Temperature", "ko": "체온"},
    "notes": {"en": "Notes", "ko": "메모"},
    # --- photos and measurements -------------------------------------------------------------------
    "photos": {"en": "Photos by view and date", "ko": "촬영 방향 및 날짜별 사진"},
    "body_area": {"en": "Body area", "ko": "부위"},
    "measurement": {"en": "Measurement", "ko": "측정"},
    "not_measured": {"en": "not measured", "ko": "측정되지 않음"},
    "validated": {"en": "validated method", "ko": "검증된 방법"},
    "not_validated": {"en": "method not validated", "ko": "검증되지 않은 방법"},
    "points_manual": {"en": "points placed by hand", "ko": "수동으로 지정한 점"},
    "points_auto": {"en": "points found automatically", "ko": "자동으로 찾은 점"},
    "method": {"en": "Method", "ko": "방법"},
    "trends": {"en": "Measurements over time", "ko": "시간에 따른 측정값"},
    "trends_hint": {
        "en": "Measured the same way on every dated photo. Left and right are the patient's own. "
        "The dashed line is the procedure.",
        "ko": "날짜가 있는 모든 사진을 같은 방법으로 측정했습니다. 좌우는 환자 본인 기준입니다. 점선은 수술일입니다.",
    },
    "unreadable_photo": {
        "en": "This photo could not be read, so it is not shown.",
        "ko": "이 사진은 읽을 수 없어 표시하지 않았습니다.",
    },
    # --- assessments and sources -------------------------------------------------------------------
    "assessments": {"en": "Assessments and findings", "ko": "평가 및 소견"},
    "assessment_of": {"en": "Check-in of {date}", "ko": "{date} 상태 기록"},
    "findings": {"en": "Findings", "ko": "소견"},
    "next_steps": {"en": "Next steps given", "ko": "안내된 다음 단계"},
    "same_steps": {"en": "The same next steps as on {date}.", "ko": "{date}과(와) 같은 다음 단계."},
    "sources": {"en": "Sources and knowledge-base versions", "ko": "출처 및 지식 베이스 버전"},
    "source": {"en": "Source", "ko": "출처"},
    "publisher": {"en": "Publisher", "ko": "발행처"},
    "address": {"en": "Address", "ko": "주소"},
    "quality": {"en": "Quality", "ko": "신뢰도"},
    "accessed": {"en": "Accessed", "ko": "확인일"},
    "source_unknown": {"en": "not in the current knowledge base", "ko": "현재 지식 베이스에 없음"},
    "kb_versions": {"en": "Knowledge-base versions", "ko": "지식 베이스 버전"},
    "kb_used_for": {"en": "Used for", "ko": "사용처"},
    "kb_this_dossier": {"en": "this dossier", "ko": "이 자료집"},
    "kb_checkins": {"en": "{n} check-in assessment(s)", "ko": "상태 기록 평가 {n}건"},
    # --- communications, documents, devices --------------------------------------------------------
    "communications": {"en": "Communications log", "ko": "연락 기록"},
    "direction": {"en": "Sent or received", "ko": "발신/수신"},
    "channel": {"en": "Channel", "ko": "수단"},
    "with": {"en": "With", "ko": "상대"},
    "language": {"en": "Language", "ko": "언어"},
    "summary_of_message": {"en": "Summary", "ko": "요지"},
    "message_text": {"en": "Message text", "ko": "메시지 원문"},
    "attached": {"en": "Attached", "ko": "첨부"},
    "documents": {"en": "Documents index", "ko": "서류 목록"},
    "title": {"en": "Title", "ko": "제목"},
    "type": {"en": "Type", "ko": "종류"},
    "size": {"en": "Size", "ko": "크기"},
    "file_in_zip": {"en": "File in the ZIP", "ko": "ZIP 안의 파일"},
    "check": {"en": "Check", "ko": "확인"},
    "readable": {"en": "read, matches", "ko": "읽음, 일치"},
    "unreadable": {"en": "UNREADABLE", "ko": "읽을 수 없음"},
    "reason_missing": {"en": "the file is missing", "ko": "파일이 없음"},
    "reason_mismatch": {
        "en": "the file does not match the SHA-256 recorded when it was stored",
        "ko": "저장 당시 기록된 SHA-256과 일치하지 않음",
    },
    "reason_corrupt": {"en": "the file is not a readable image", "ko": "이미지로 읽을 수 없는 파일"},
    "reason_unreadable": {"en": "the file could not be read", "ko": "파일을 읽을 수 없음"},
    "recorded_sha256": {"en": "SHA-256 recorded when stored", "ko": "저장 당시 기록된 SHA-256"},
    "original_sha256": {"en": "SHA-256 of the file as uploaded", "ko": "업로드된 원본 파일의 SHA-256"},
    "devices": {"en": "Implants and devices", "ko": "보형물 및 의료기기"},
    "manufacturer": {"en": "Manufacturer", "ko": "제조사"},
    "model": {"en": "Model", "ko": "모델"},
    "lot": {"en": "Lot number", "ko": "로트 번호"},
    "serial": {"en": "Serial number", "ko": "일련번호"},
    "device_size": {"en": "Size", "ko": "크기"},
    "placement": {"en": "Placement", "ko": "삽입 위치"},
    "fill": {"en": "Fill", "ko": "충전재"},
    "side": {"en": "Side", "ko": "좌우"},
    # --- escalation ---------------------------------------------------------------------------------
    "escalation": {"en": "Escalation steps and applications", "ko": "대응 단계 및 신청"},
    "steps": {"en": "Steps", "ko": "단계"},
    "step": {"en": "Step", "ko": "단계"},
    "first_suggested": {"en": "First suggested", "ko": "처음 안내된 날"},
    "due": {"en": "Due", "ko": "기한"},
    "done_on": {"en": "Done", "ko": "완료일"},
    "not_done": {"en": "not done yet", "ko": "아직 하지 않음"},
    "body": {"en": "Body", "ko": "기관"},
    "status": {"en": "Status", "ko": "상태"},
    "filed_on": {"en": "Filed on", "ko": "신청일"},
    "reference": {"en": "Reference", "ko": "접수 번호"},
    "claim": {"en": "Amount claimed", "ko": "청구 금액"},
    # --- manifest -----------------------------------------------------------------------------------
    "manifest": {"en": "Manifest of attached files", "ko": "첨부 파일 목록(매니페스트)"},
    "manifest_intro": {
        "en": "The SHA-256 of every file in the ZIP, as it was when this dossier was made. A file that could not "
        "be read is listed as unreadable and is not in the ZIP.",
        "ko": "이 자료집을 만들 당시 ZIP 안에 있는 모든 파일의 SHA-256입니다. 읽을 수 없는 파일은 '읽을 수 없음'으로 "
        "표시했으며 ZIP에 포함되지 않았습니다.",
    },
    "kind": {"en": "Kind", "ko": "구분"},
    "kind_photo": {"en": "photo", "ko": "사진"},
    "kind_document": {"en": "document", "ko": "서류"},
    "kind_draft": {"en": "K-medi draft", "ko": "K-medi 초안"},
    "made_with": {"en": "made with this dossier", "ko": "이 자료집과 함께 작성됨"},
    "quote_note": {
        "en": "Text beside a grey bar is in the patient's own words, not translated.",
        "ko": "회색 세로줄 옆의 글은 환자 본인의 말이며 번역하지 않았습니다.",
    },
    "this_pdf": {
        "en": "dossier.pdf (this document): its SHA-256 is in manifest.json and on the download page.",
        "ko": "dossier.pdf(이 문서): SHA-256 값은 manifest.json과 내려받은 페이지에 있습니다.",
    },
}
