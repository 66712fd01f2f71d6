"""Messages to the clinic: the same facts in every language, the patient's own words never translated."""

from __future__ import annotations

import datetime as dt

import pytest

from revisio.engine.messages import (
    LANGUAGES,
    AttachedPhoto,
    MessageFacts,
    Named,
    ProcedureDone,
    Question,
    compose,
    compose_pair,
)

HIPS = Named("Fat transfer to the hips", "골반 지방이식", "胯部脂肪填充", "腰まわりへの脂肪注入")
ASYMMETRY = Named("Asymmetry", "비대칭", "不对称", "左右非対称")
SWELLING = Named("Swelling", "부기")  # no zh/ja: English is the fallback
BACK = Named("back view", "뒷면", "背面", "背面")
INDEX = Named("hip asymmetry index", "골반 비대칭 지수", "髋部不对称指数", "腰の非対称指数")


def facts(**changes: object) -> MessageFacts:
    values: dict[str, object] = {
        "patient_name": "Mina Park",
        "addressee": "Dr Kim",
        "procedures": [ProcedureDone(HIPS, dt.date(2026, 10, 31))],
        "since": dt.date(2026, 11, 14),
        "noticed": [SWELLING, ASYMMETRY],
        "pain": 3,
        "temperature_c": 36.8,
        "photos": [AttachedPhoto(dt.date(2026, 11, 21), BACK, (INDEX, 0.0981))],
        "question": Question.IS_THIS_NORMAL,
        "free_text": "The right side feels harder when I sit.",
        "contact": "mina@example.org",
    }
    values.update(changes)
    return MessageFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_carries_every_fact(language: str) -> None:
    message = compose(facts(), language)
    for fact in ("2026-10-31", "2026-11-14", "2026-11-21", "0.0981", "36.8", "Mina Park", "mina@example.org"):
        assert fact in message.body, (language, fact)
    name = HIPS.get(language) if language != "en" else "fat transfer to the hips"  # mid-sentence in English
    assert name in message.body and name in message.subject
    assert ASYMMETRY.get(language) in message.body
    assert "The right side feels harder when I sit." in message.body  # as written, in every language


def test_free_text_is_marked_as_not_translated_in_both_versions() -> None:
    own, korean = compose_pair(facts(), "zh")
    assert own.language == "zh" and korean.language == "ko"
    assert "未翻译" in own.body and "번역되지 않음" in korean.body
    assert own.body.index("未翻译") < own.body.index("The right side feels harder")


def test_english_names_read_naturally_mid_sentence_but_acronyms_stay() -> None:
    bbl = Named("BBL (Brazilian butt lift)", "브라질리언 힙업")
    message = compose(facts(procedures=[ProcedureDone(bbl, dt.date(2026, 10, 31))]), "en")
    assert "I had BBL (Brazilian butt lift) on 2026-10-31" in message.body


def test_names_fall_back_to_english_where_the_knowledge_base_has_no_translation() -> None:
    assert "Swelling" in compose(facts(), "ja").body
    assert "부기" in compose(facts(), "ko").body


def test_an_unknown_patient_language_gets_english_beside_korean() -> None:
    own, korean = compose_pair(facts(), "fr")
    assert (own.language, korean.language) == ("en", "ko")
    with pytest.raises(ValueError, match="not 'fr'"):
        compose(facts(), "fr")


@pytest.mark.parametrize("question", list(Question))
def test_every_question_is_translated(question: Question) -> None:
    bodies = {language: compose(facts(question=question), language).body for language in LANGUAGES}
    assert len(set(bodies.values())) == len(LANGUAGES)


def test_optional_parts_are_left_out_when_missing() -> None:
    message = compose(
        facts(addressee="", pain=None, temperature_c=None, photos=[], free_text="", contact="", since=None), "en"
    )
    assert message.body.startswith("Dear doctor,")
    assert "out of 10" not in message.body and "°C" not in message.body and "attach" not in message.body
    assert "not translated" not in message.body and "reach me" not in message.body
    assert "I have noticed: Swelling and Asymmetry." in message.body


def test_two_procedures_are_joined_naturally() -> None:
    two = facts(
        procedures=[
            ProcedureDone(HIPS, dt.date(2026, 10, 31)),
            ProcedureDone(Named("Liposuction", "지방흡입", "吸脂", "脂肪吸引"), dt.date(2026, 10, 31)),
        ]
    )
    assert "fat transfer to the hips on 2026-10-31 and liposuction on 2026-10-31" in compose(two, "en").body
    assert "胯部脂肪填充和吸脂" in compose(two, "zh").subject
