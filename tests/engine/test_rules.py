"""Each rule of the engine, on the fixture knowledge base (see docs/knowledge-base.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from revisio.engine import CaseProcedure, FindingKind, InvalidInputError, assess
from revisio.kb import KnowledgeBase, Level, UnknownIdError
from tests.conftest import SURGERY


def check(kb: KnowledgeBase, day: int, *, procedure: str = "implant-op", **kwargs: object):
    return assess(procedures=[CaseProcedure(procedure, SURGERY)], on=SURGERY + dt.timedelta(days=day), kb=kb, **kwargs)


def kinds(result) -> set[tuple[str, str]]:
    return {(f.kind.value, f.level.value) for f in result.findings}


def test_nothing_reported_is_expected(fixture_kb: KnowledgeBase) -> None:
    result = check(fixture_kb, 5)
    assert result.level is Level.EXPECTED
    assert result.findings == ()


def test_symptom_inside_its_window_is_expected_and_cites_its_source(fixture_kb: KnowledgeBase) -> None:
    result = check(fixture_kb, 10, symptoms=["bruising"])
    assert result.level is Level.EXPECTED
    (finding,) = result.findings
    assert finding.kind is FindingKind.EXPECTED
    assert finding.sources == ("src-b",)
    assert "day 10" in finding.message.en


def test_symptom_after_its_window_is_flagged_for_the_surgeon(fixture_kb: KnowledgeBase) -> None:
    result = check(fixture_kb, 30, symptoms=["swelling"])
    assert result.level is Level.SEE_SURGEON
    (finding,) = result.findings
    assert finding.kind is FindingKind.UNEXPECTED_TIMING
    assert "up to day 14" in finding.message.en


def test_universal_red_flag_applies_to_every_procedure(fixture_kb: KnowledgeBase) -> None:
    for procedure in ("implant-op", "face-op"):
        result = check(fixture_kb, 3, procedure=procedure, symptoms=["chest-pain"])
        assert result.level is Level.EMERGENCY
        assert result.findings[0].kind is FindingKind.RED_FLAG


def test_red_flag_dominates_everything_normal(fixture_kb: KnowledgeBase) -> None:
    result = check(fixture_kb, 3, symptoms=["swelling", "bruising", "chest-pain"])
    assert result.level is Level.EMERGENCY
    assert result.findings[0].id == "sign/clot/chest"
    assert "Call" in result.next_steps[0].en


def test_temperature_implies_fever(fixture_kb: KnowledgeBase) -> None:
    assert check(fixture_kb, 3, temperature_c=37.9).level is Level.EXPECTED
    result = check(fixture_kb, 3, temperature_c=38.0)
    assert result.level is Level.URGENT
    assert result.symptoms == ("fever",)


def test_temperature_only_rule(fixture_kb: KnowledgeBase) -> None:
    result = check(fixture_kb, 3, temperature_c=40.2)
    assert result.level is Level.EMERGENCY
    assert {f.id for f in result.findings} == {"sign/infection/fever", "sign/infection/very-high"}


def test_listed_complication_sign_respects_its_day_window(fixture_kb: KnowledgeBase) -> None:
    assert check(fixture_kb, 20, concerns=[], symptoms=["fluid-collection"]).level is Level.SEE_SURGEON
    late = check(fixture_kb, 61, symptoms=["fluid-collection"])
    assert [f.kind for f in late.findings] == [FindingKind.UNEXPECTED_TIMING]  # rule expired: not described


def test_listed_complication_does_not_apply_to_other_procedures(fixture_kb: KnowledgeBase) -> None:
    result = check(fixture_kb, 20, procedure="face-op", symptoms=["fluid-collection"])
    assert [f.id for f in result.findings] == ["not-described/fluid-collection"]
    assert result.findings[0].level is Level.SEE_SURGEON


def test_appearance_concern_before_the_window_is_too_early(fixture_kb: KnowledgeBase) -> None:
    result = check(fixture_kb, 21, concerns=["asymmetry"])
    assert result.level is Level.MONITOR
    (finding,) = result.findings
    assert finding.kind is FindingKind.TOO_EARLY
    assert "too early to judge until 2026-04-01" in finding.message.en
    assert result.final_result_from == dt.date(2026, 4, 1)
    assert any("2026-04-01" in step.en for step in result.next_steps)


def test_appearance_concern_after_the_window_opens_is_a_revision_indication(
    fixture_kb: KnowledgeBase,
) -> None:
    result = check(fixture_kb, 120, concerns=["asymmetry"])
    assert result.level is Level.SEE_SURGEON
    (finding,) = result.findings
    assert finding.kind is FindingKind.REVISION_INDICATION
    assert "Revision not before 2026-06-30" in finding.message.en
    assert "Uneven." in finding.message.en  # the linked outcome complication is explained
    assert set(finding.sources) == {"src-a", "src-b"}
    assert result.revision_not_before == dt.date(2026, 6, 30)


def test_appearance_concern_expected_early_is_expected_then_judged(fixture_kb: KnowledgeBase) -> None:
    assert check(fixture_kb, 30, concerns=["implant-riding-high"]).level is Level.EXPECTED
    late = check(fixture_kb, 100, concerns=["implant-riding-high"])
    assert [f.kind for f in late.findings] == [FindingKind.REVISION_INDICATION]


def test_appearance_concern_without_sourced_timing_goes_to_the_surgeon(fixture_kb: KnowledgeBase) -> None:
    result = check(fixture_kb, 10, procedure="face-op", concerns=["asymmetry"])
    (finding,) = result.findings
    assert finding.kind is FindingKind.REVISION_INDICATION
    assert "no time from which the result can be judged" in finding.message.en
    assert result.final_result_from is None


def test_unlisted_symptom_is_not_described_and_cites_the_course_sources(fixture_kb: KnowledgeBase) -> None:
    result = check(fixture_kb, 5, procedure="face-op", symptoms=["bruising"])
    (finding,) = result.findings
    assert finding.id == "not-described/bruising"
    assert finding.sources == ("src-b",)


def test_several_procedures_are_assessed_together(fixture_kb: KnowledgeBase) -> None:
    result = assess(
        procedures=[
            CaseProcedure("implant-op", SURGERY),
            CaseProcedure("face-op", SURGERY + dt.timedelta(days=80)),
        ],
        on=SURGERY + dt.timedelta(days=100),
        symptoms=["numbness", "swelling"],
        kb=fixture_kb,
    )
    ids = {f.id for f in result.findings}
    assert "face-op/expected/numbness" in ids  # numbness explained by the second procedure
    assert "implant-op/timing/swelling" in ids  # swelling late for the first
    assert "not-described/numbness" not in ids
    assert result.level is Level.SEE_SURGEON
    assert [t.day for t in result.procedures] == [100, 20]


def test_emergency_numbers_follow_the_patients_country(fixture_kb: KnowledgeBase) -> None:
    korea = check(fixture_kb, 3, symptoms=["chest-pain"], country="KR")
    assert korea.next_steps[0].en.startswith("Call 119 now")
    germany = check(fixture_kb, 3, symptoms=["chest-pain"], country="de")
    assert germany.next_steps[0].en.startswith("Call 112 now")
    unknown = check(fixture_kb, 3, symptoms=["chest-pain"])
    assert "119" in unknown.next_steps[0].en and "112" in unknown.next_steps[0].en


def test_upcoming_milestones_become_next_steps(fixture_kb: KnowledgeBase) -> None:
    result = check(fixture_kb, 2)
    assert any("Stitches out." in step.en and "2026-01-08" in step.en for step in result.next_steps)
    assert not any("Stitches" in step.en for step in check(fixture_kb, 30).next_steps)


def test_aliases_and_case_are_accepted(fixture_kb: KnowledgeBase) -> None:
    result = check(fixture_kb, 5, procedure="Implant-Alias", symptoms=[" Swelling "])
    assert result.procedures[0].procedure == "implant-op"
    assert result.symptoms == ("swelling",)


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"procedure": "implant-opp"}, UnknownIdError, "did you mean implant-op"),
        ({"symptoms": ["swellin"]}, UnknownIdError, "did you mean swelling"),
        ({"concerns": ["swelling"]}, InvalidInputError, "'swelling' is a symptom, not a concern"),
        ({"symptoms": ["lump"]}, InvalidInputError, "'lump' is a concern, not a symptom"),
        ({"temperature_c": 29.9}, InvalidInputError, "outside 30-45"),
        ({"temperature_c": 45.1}, InvalidInputError, "outside 30-45"),
        ({"country": "xx"}, UnknownIdError, "unknown country 'xx'"),
    ],
)
def test_bad_input_is_named(fixture_kb: KnowledgeBase, kwargs: dict, error: type, text: str) -> None:
    with pytest.raises(error, match=text):
        check(fixture_kb, 5, **kwargs)


def test_surgery_after_assessment_date_is_rejected(fixture_kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidInputError, match="after the assessment date"):
        check(fixture_kb, -1)


def test_no_procedure_is_rejected(fixture_kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidInputError, match="at least one procedure"):
        assess(procedures=[], on=SURGERY, kb=fixture_kb)


def test_every_finding_carries_sources_and_both_languages(fixture_kb: KnowledgeBase) -> None:
    result = check(
        fixture_kb,
        120,
        symptoms=["swelling", "chest-pain", "fluid-collection"],
        concerns=["asymmetry", "lump"],
        temperature_c=40.5,
    )
    assert len(result.findings) >= 6
    for finding in result.findings:
        assert finding.sources, finding.id
        assert finding.message.en and finding.message.ko, finding.id
        assert all(source in fixture_kb.sources for source in finding.sources)


def test_symptom_before_its_window_is_flagged(tmp_path) -> None:
    from tests.kbfactory import load_fixture, records

    data = records()
    data["procedures"][1]["expected"].append(
        {
            "item": "swelling",
            "from_day": 3,
            "until_day": 10,
            "message": {"en": "Late swelling.", "ko": "부기."},
            "cite": [{"source": "src-a", "locator": "s. 2"}],
        }
    )
    kb = load_fixture(tmp_path, data)
    early = check(kb, 1, procedure="face-op", symptoms=["swelling"])
    (finding,) = early.findings
    assert finding.kind is FindingKind.UNEXPECTED_TIMING
    assert "earlier than the sources describe as normal (from day 3)" in finding.message.en
    assert check(kb, 5, procedure="face-op", symptoms=["swelling"]).level is Level.EXPECTED
