"""Messages to the surgeon or clinic, composed from the case in the patient's language and in Korean.

Every structured part (who, what was done when, what changed since when, what is attached, the
question) comes from fixed templates translated once, and names come from the knowledge base, so
both versions say exactly the same thing. Words the patient adds are never machine-translated: they
appear as written, marked as not translated, in both versions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

LANGUAGES = ("en", "ko", "zh", "ja")


class Question(StrEnum):
    IS_THIS_NORMAL = "is-this-normal"
    SEE_ME = "see-me"
    RECORDS = "records"
    CORRECTION = "correction"
    IMPLANT_DETAILS = "implant-details"


@dataclass(frozen=True)
class Named:
    """Something the knowledge base names, in every language it has (English is the fallback)."""

    en: str
    ko: str
    zh: str | None = None
    ja: str | None = None

    def get(self, language: str) -> str:
        return getattr(self, language, None) or self.en


@dataclass(frozen=True)
class ProcedureDone:
    name: Named
    date: dt.date


@dataclass(frozen=True)
class AttachedPhoto:
    taken_on: dt.date
    view: Named
    measurement: tuple[Named, float] | None = None  # the photo's main index and its value


@dataclass(frozen=True)
class MessageFacts:
    patient_name: str
    addressee: str  # the surgeon's or clinic's name, as the patient knows it; may be empty
    procedures: Sequence[ProcedureDone]
    since: dt.date | None
    noticed: Sequence[Named]  # symptoms and concerns, from the latest check-in
    pain: int | None
    temperature_c: float | None
    photos: Sequence[AttachedPhoto]
    question: Question
    free_text: str = ""
    contact: str = ""


# The templates. {placeholders} are filled with already-translated names and ISO dates.
T: dict[str, dict[str, str]] = {
    "subject": {
        "en": "Question about my recovery after {procedures}",
        "ko": "{procedures} 후 회복에 관한 문의",
        "zh": "关于{procedures}术后恢复的咨询",
        "ja": "{procedures}後の回復についてのご相談",
    },
    "greeting": {
        "en": "Dear {addressee},",
        "ko": "{addressee}께,",
        "zh": "尊敬的{addressee}：",
        "ja": "{addressee} 様",
    },
    "greeting_plain": {
        "en": "Dear doctor,",
        "ko": "선생님께,",
        "zh": "尊敬的医生：",
        "ja": "先生へ",
    },
    "intro": {
        "en": "My name is {name}. I had {procedures} at your clinic.",
        "ko": "저는 {name}입니다. 귀 병원에서 {procedures}을(를) 받았습니다.",
        "zh": "我叫{name}。我在贵院接受了{procedures}。",
        "ja": "{name}と申します。貴院で{procedures}を受けました。",
    },
    "procedure_on": {
        "en": "{procedure} on {date}",
        "ko": "{date}에 {procedure}",
        "zh": "{date}的{procedure}",
        "ja": "{date}の{procedure}",
    },
    "noticed_since": {
        "en": "Since {date} I have noticed: {items}.",
        "ko": "{date}부터 다음과 같은 증상이 있습니다: {items}.",
        "zh": "从{date}起，我注意到：{items}。",
        "ja": "{date}から次のことに気づいています：{items}。",
    },
    "noticed": {
        "en": "I have noticed: {items}.",
        "ko": "다음과 같은 증상이 있습니다: {items}.",
        "zh": "我注意到：{items}。",
        "ja": "次のことに気づいています：{items}。",
    },
    "pain": {
        "en": "My pain is {pain} out of 10.",
        "ko": "통증은 10점 중 {pain}점입니다.",
        "zh": "疼痛程度为{pain}分（满分10分）。",
        "ja": "痛みは10段階で{pain}です。",
    },
    "temperature": {
        "en": "My temperature is {temperature} °C.",
        "ko": "체온은 {temperature} °C입니다.",
        "zh": "我的体温是{temperature} °C。",
        "ja": "体温は{temperature} °Cです。",
    },
    "photos": {
        "en": "I attach {count} photo(s): {items}.",
        "ko": "사진 {count}장을 첨부합니다: {items}.",
        "zh": "附上{count}张照片：{items}。",
        "ja": "写真を{count}枚添付します：{items}。",
    },
    "photo_item": {
        "en": "{view}, {date}",
        "ko": "{date} {view}",
        "zh": "{date}，{view}",
        "ja": "{date}、{view}",
    },
    "photo_measured": {
        "en": "{view}, {date} ({index}: {value})",
        "ko": "{date} {view}({index}: {value})",
        "zh": "{date}，{view}（{index}：{value}）",
        "ja": "{date}、{view}（{index}：{value}）",
    },
    "question_intro": {
        "en": "My question:",
        "ko": "문의 사항:",
        "zh": "我的问题：",
        "ja": "ご質問：",
    },
    Question.IS_THIS_NORMAL: {
        "en": "Is this normal at this stage of my recovery, or should it be checked?",
        "ko": "지금 회복 단계에서 정상인지, 아니면 진료를 받아야 하는지 알려 주십시오.",
        "zh": "在目前的恢复阶段，这是否正常？还是需要检查？",
        "ja": "現在の回復段階でこれは正常でしょうか。それとも診察を受けるべきでしょうか。",
    },
    Question.SEE_ME: {
        "en": "Can you see me to check this, or recommend a doctor near where I live?",
        "ko": "진료를 받을 수 있을지, 또는 제가 사는 곳 근처의 의사를 추천해 주실 수 있을지 알려 주십시오.",
        "zh": "能否为我复诊，或推荐我所在地附近的医生？",
        "ja": "診察していただけますか。または私の住まいの近くの医師をご紹介いただけますか。",
    },
    Question.RECORDS: {
        "en": "Please send me a copy of my medical records, the operative note and any imaging "
        "(for example on a CD), and tell me how I can receive them.",
        "ko": "제 진료 기록, 수술 기록지, 영상 자료(예: CD)의 사본을 보내 주시고, 받을 수 있는 방법을 알려 주십시오.",
        "zh": "请将我的病历、手术记录及影像资料（例如光盘）的副本寄给我，并告知领取方式。",
        "ja": "診療記録、手術記録、画像資料（CDなど）のコピーを送っていただき、受け取り方法をお知らせください。",
    },
    Question.CORRECTION: {
        "en": "What are the options to correct this, and from when would a correction be possible?",
        "ko": "이를 교정할 수 있는 방법은 무엇이며, 언제부터 교정이 가능한지 알려 주십시오.",
        "zh": "有哪些修复方案？从什么时候开始可以进行修复？",
        "ja": "修正にはどのような方法があり、いつから修正が可能でしょうか。",
    },
    Question.IMPLANT_DETAILS: {
        "en": "Please give me the details of my implants: manufacturer, model, size, lot and serial numbers.",
        "ko": "제 보형물의 제조사, 모델, 크기, 로트 번호와 일련번호를 알려 주십시오.",
        "zh": "请告知我植入物的详细信息：制造商、型号、尺寸、批号和序列号。",
        "ja": "インプラントの詳細（製造元、モデル、サイズ、ロット番号、シリアル番号）を教えてください。",
    },
    "free_text": {
        "en": "In my own words (not translated):",
        "ko": "환자가 직접 쓴 내용(번역되지 않음):",
        "zh": "患者本人的话（未翻译）：",
        "ja": "患者本人の言葉（翻訳されていません）：",
    },
    "closing": {
        "en": "Thank you. I look forward to your reply.",
        "ko": "감사합니다. 답변을 기다리겠습니다.",
        "zh": "谢谢。期待您的回复。",
        "ja": "よろしくお願いいたします。ご返信をお待ちしております。",
    },
    "contact": {
        "en": "You can reach me at: {contact}",
        "ko": "연락처: {contact}",
        "zh": "联系方式：{contact}",
        "ja": "連絡先：{contact}",
    },
}
LIST_SEPARATOR = {"en": ", ", "ko": ", ", "zh": "、", "ja": "、"}
CONJUNCTION = {"en": " and ", "ko": "과(와) ", "zh": "和", "ja": "と"}


@dataclass(frozen=True)
class Composed:
    language: str
    subject: str
    body: str


def _join(items: Sequence[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return LIST_SEPARATOR[language].join(items[:-1]) + CONJUNCTION[language] + items[-1]


def _in_sentence(name: str, language: str) -> str:
    """An English name as it reads mid-sentence ("Breast augmentation" -> "breast augmentation");
    acronyms and names that are capitalised throughout ("BBL", "Botox") are left alone."""
    if language == "en" and len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def compose(facts: MessageFacts, language: str) -> Composed:
    """The message in ``language`` (one of ``LANGUAGES``)."""
    if language not in LANGUAGES:
        raise ValueError(f"messages are written in {', '.join(LANGUAGES)}, not '{language}'")

    def t(key: str, **values: object) -> str:
        return T[key][language].format(**values)

    procedures = _join(
        [
            t("procedure_on", procedure=_in_sentence(p.name.get(language), language), date=p.date.isoformat())
            for p in facts.procedures
        ],
        language,
    )
    names_only = _join([_in_sentence(p.name.get(language), language) for p in facts.procedures], language)
    lines = [t("greeting", addressee=facts.addressee) if facts.addressee else t("greeting_plain"), ""]
    lines.append(t("intro", name=facts.patient_name, procedures=procedures))
    if facts.noticed:
        items = _join([item.get(language) for item in facts.noticed], language)
        lines.append(
            t("noticed_since", date=facts.since.isoformat(), items=items) if facts.since else t("noticed", items=items)
        )
    if facts.pain is not None:
        lines.append(t("pain", pain=facts.pain))
    if facts.temperature_c is not None:
        lines.append(t("temperature", temperature=f"{facts.temperature_c:.1f}"))
    if facts.photos:
        described = []
        for photo in facts.photos:
            if photo.measurement is not None:
                index, value = photo.measurement
                described.append(
                    t(
                        "photo_measured",
                        view=photo.view.get(language),
                        date=photo.taken_on.isoformat(),
                        index=index.get(language),
                        value=f"{value:.3g}",
                    )
                )
            else:
                described.append(t("photo_item", view=photo.view.get(language), date=photo.taken_on.isoformat()))
        lines.append(t("photos", count=len(facts.photos), items=LIST_SEPARATOR[language].join(described)))
    lines += ["", t("question_intro"), T[facts.question][language]]
    if facts.free_text.strip():
        lines += ["", t("free_text"), facts.free_text.strip()]
    lines += ["", t("closing"), facts.patient_name]
    if facts.contact:
        lines.append(t("contact", contact=facts.contact))
    return Composed(language=language, subject=t("subject", procedures=names_only), body="\n".join(lines))


def compose_pair(facts: MessageFacts, patient_language: str) -> tuple[Composed, Composed]:
    """The message in the patient's language (English when Revisio has no template for it) and in Korean."""
    own = patient_language if patient_language in LANGUAGES else "en"
    return compose(facts, own), compose(facts, "ko")
