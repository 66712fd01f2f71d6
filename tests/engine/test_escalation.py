"""The escalation plan for realistic situations: which steps, in which order, due when, and from which sources.

Each case state is built from a real assessment of the same check-in, so the level, the complications and the
final-result dates are the knowledge base's, not numbers made up for the test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import pytest

from revisio import kb
from revisio.engine import CaseProcedure, assess
from revisio.engine.escalation import (
    NO_ANSWER_DAYS,
    Application,
    CaseState,
    PlannedStep,
    ProcedureDates,
    complications_in,
    plan,
)

TODAY = dt.date(2026, 11, 21)
BASE = kb.load()


def state(
    *,
    procedure: str = "breast-augmentation",
    days_ago: int,
    symptoms: Sequence[str] = (),
    concerns: Sequence[str] = (),
    temperature_c: float | None = None,
    surgery_country: str = "kr",
    current_country: str,
    **rest: object,
) -> CaseState:
    surgery = TODAY - dt.timedelta(days=days_ago)
    result = assess(
        procedures=[CaseProcedure(procedure, surgery)],
        on=TODAY,
        symptoms=symptoms,
        concerns=concerns,
        temperature_c=temperature_c,
        country=current_country if current_country in BASE.countries else None,
    )
    timing = result.procedures[0]
    reported = bool(symptoms or concerns)
    return CaseState(
        today=TODAY,
        procedures=(ProcedureDates(procedure, surgery, timing.final_result_from, timing.revision_not_before),),
        level=result.level,
        concern_since=TODAY if reported else None,
        complications=complications_in(f.id for f in result.findings),
        surgery_country=surgery_country,
        current_country=current_country,
        **rest,  # type: ignore[arg-type]
    )


def ids(steps: Sequence[PlannedStep]) -> list[str]:
    return [s.id for s in steps]


def step(steps: Sequence[PlannedStep], step_id: str) -> PlannedStep:
    return next(s for s in steps if s.id == step_id)


def assert_traced(steps: Sequence[PlannedStep]) -> None:
    """Every step, and every body it names, rests on source records of the knowledge base."""
    assert steps
    for planned in steps:
        assert planned.sources, planned.id
        assert set(planned.sources) <= set(BASE.sources), planned.id
        record = BASE.steps[planned.id]
        assert planned.title.en == record.title.en and planned.title.ko == record.title.ko
        for body in planned.bodies:
            assert BASE.complaint_bodies[body].summary.cite, body


def test_red_flag_abroad_puts_care_first_with_the_local_emergency_number() -> None:
    # Ten days after a breast augmentation in Seoul, home in the UK, feverish with spreading redness.
    steps = plan(
        state(
            days_ago=10,
            symptoms=["fever", "spreading-redness"],
            temperature_c=38.6,
            current_country="gb",
        )
    )

    assert_traced(steps)
    assert ids(steps)[0] == "get-care-now"
    care = step(steps, "get-care-now")
    assert care.due == TODAY
    assert any("999" in fact.en for fact in care.facts)
    # Back home the records are requested from abroad (they were not collected), and the surgeon is told.
    assert ids(steps)[1:3] == ["request-records-from-abroad", "contact-surgeon"]
    assert "home-country-care" in ids(steps)
    # Nothing about mediation yet: the surgeon has not even been asked.
    assert not {"apply-k-medi", "apply-kca", "ask-khidi-for-help"} & set(ids(steps))


def test_red_flag_without_a_known_country_names_every_emergency_number() -> None:
    steps = plan(state(days_ago=10, symptoms=["fever", "spreading-redness"], temperature_c=38.6, current_country="zz"))

    facts = step(steps, "get-care-now").facts[0].en
    for country in BASE.countries.values():
        assert country.emergency.number in facts


def test_asymmetry_at_three_weeks_is_time_records_and_a_question_not_a_complaint() -> None:
    # Still in Seoul, flying home in five days, worried one side sits higher.
    leaving = TODAY + dt.timedelta(days=5)
    current = state(days_ago=21, concerns=["asymmetry"], current_country="kr", leaving_on=leaving)
    steps = plan(current)

    assert_traced(steps)
    assert current.level is kb.Level.MONITOR
    assert ids(steps) == ["collect-records-before-leaving", "contact-surgeon", "wait-and-remeasure"]
    assert step(steps, "collect-records-before-leaving").due == leaving
    assert step(steps, "collect-records-before-leaving").documents  # which records to ask for
    assert step(steps, "wait-and-remeasure").due == current.procedures[0].final_result_from
    assert current.procedures[0].final_result_from > TODAY


def test_asymmetry_at_six_months_with_no_reply_for_thirty_days_opens_the_korean_routes() -> None:
    contacted = TODAY - dt.timedelta(days=30)
    current = state(days_ago=182, concerns=["asymmetry"], current_country="us", contacted_on=contacted)
    steps = plan(current)

    assert_traced(steps)
    assert (TODAY - contacted).days >= NO_ANSWER_DAYS
    assert ids(steps) == [
        "request-records-from-abroad",
        "ask-khidi-for-help",
        "apply-k-medi",
        "apply-kca",
        "second-opinion",
        "plan-revision",
    ]
    khidi = step(steps, "ask-khidi-for-help")
    assert khidi.bodies == ("khidi-medical-korea-support-center",)
    assert contacted.isoformat() in khidi.facts[0].en
    # K-medi's limitation: the earlier of three years from learning of the damage and ten from the operation.
    kmedi = step(steps, "apply-k-medi")
    limitation = BASE.complaint_bodies["k-medi"].limitation
    assert limitation is not None and limitation.years_from_knowledge == 3 and limitation.years_from_act == 10
    assert kmedi.due == dt.date(2029, 11, 21)
    assert "k-medi" in kmedi.bodies and "2029-11-21" in kmedi.facts[0].en
    assert step(steps, "apply-kca").bodies == ("korea-consumer-agency",)
    # The result can be judged (final-result date passed), and a revision can be planned now.
    assert step(steps, "plan-revision").due == TODAY
    assert "wait-and-remeasure" not in ids(steps)


def test_an_answer_from_the_clinic_keeps_the_case_with_the_surgeon() -> None:
    contacted = TODAY - dt.timedelta(days=30)
    answered = TODAY - dt.timedelta(days=20)
    steps = plan(
        state(days_ago=182, concerns=["asymmetry"], current_country="us", contacted_on=contacted, answered_on=answered)
    )

    assert not {"ask-khidi-for-help", "apply-k-medi", "apply-kca"} & set(ids(steps))
    assert "second-opinion" in ids(steps)


def test_silence_shorter_than_the_wait_is_not_yet_escalated() -> None:
    contacted = TODAY - dt.timedelta(days=NO_ANSWER_DAYS - 1)
    steps = plan(state(days_ago=182, concerns=["asymmetry"], current_country="us", contacted_on=contacted))

    assert "apply-k-medi" not in ids(steps)


def test_once_k_medi_is_filed_the_clinic_response_window_is_due() -> None:
    filed = TODAY - dt.timedelta(days=3)
    steps = plan(
        state(
            days_ago=182,
            concerns=["asymmetry"],
            current_country="us",
            contacted_on=TODAY - dt.timedelta(days=40),
            applications=(Application("k-medi", "filed", filed),),
        )
    )

    assert_traced(steps)
    consent = BASE.complaint_bodies["k-medi"].consent
    assert consent is not None and consent.response_days == 14
    assert step(steps, "k-medi-clinic-response").due == filed + dt.timedelta(days=14)
    assert "apply-k-medi" not in ids(steps)
    # One route at a time: K-medi dismisses a case already before the Consumer Agency's committee.
    assert "apply-kca" not in ids(steps)


def test_a_dismissed_k_medi_application_points_to_the_consumer_agency() -> None:
    steps = plan(
        state(
            days_ago=182,
            concerns=["asymmetry"],
            current_country="us",
            contacted_on=TODAY - dt.timedelta(days=60),
            applications=(Application("k-medi", "dismissed", TODAY - dt.timedelta(days=30)),),
        )
    )

    assert "apply-kca" in ids(steps)
    assert "k-medi-clinic-response" not in ids(steps)


def test_an_open_consumer_agency_case_keeps_k_medi_off_the_plan() -> None:
    steps = plan(
        state(
            days_ago=182,
            concerns=["asymmetry"],
            current_country="us",
            contacted_on=TODAY - dt.timedelta(days=60),
            applications=(Application("korea-consumer-agency", "filed", TODAY - dt.timedelta(days=10)),),
        )
    )

    assert not {"apply-k-medi", "apply-kca"} & set(ids(steps))
    assert "ask-khidi-for-help" in ids(steps)  # the clinic is still silent


def test_ruptured_implant_two_years_on_is_reported_to_the_device_regulators() -> None:
    # A new lump two years after a breast augmentation in Korea; the patient lives in the UK.
    current = state(days_ago=730, concerns=["lump"], current_country="gb", has_implants=True)
    steps = plan(current)

    assert_traced(steps)
    assert "implant-rupture" in current.complications
    assert ids(steps)[0] == "get-care-now"  # a lump is an urgent sign: care comes before paperwork
    report = step(steps, "report-device-problem")
    assert "mhra-yellow-card" in report.bodies
    assert all(BASE.complaint_bodies[b].kind is kb.models.BodyKind.DEVICE_REPORTING for b in report.bodies)
    assert {"contact-surgeon", "second-opinion", "plan-revision"} <= set(ids(steps))
    assert step(steps, "plan-revision").due == TODAY  # the revision window opened long ago


def test_device_reporting_needs_an_implant() -> None:
    steps = plan(state(days_ago=730, concerns=["lump"], current_country="gb", has_implants=False))

    assert "report-device-problem" not in ids(steps)


def test_no_problem_reported_means_no_steps_beyond_records() -> None:
    steps = plan(state(days_ago=3, current_country="kr", leaving_on=TODAY + dt.timedelta(days=4)))

    assert ids(steps) == ["collect-records-before-leaving"]


def test_collected_records_are_not_asked_for_again() -> None:
    steps = plan(
        state(
            days_ago=182,
            concerns=["asymmetry"],
            current_country="us",
            records_collected=True,
            imaging_collected=True,
        )
    )

    assert not {"collect-records-before-leaving", "request-records-from-abroad"} & set(ids(steps))


def test_a_step_without_a_knowledge_base_record_is_never_shown() -> None:
    trimmed = dataclasses.replace(BASE, steps={k: v for k, v in BASE.steps.items() if k != "contact-surgeon"})

    steps = plan(state(days_ago=21, concerns=["asymmetry"], current_country="kr"), kb=trimmed)

    assert "contact-surgeon" not in ids(steps)
    assert steps  # the others still are


@pytest.mark.parametrize("leap", [dt.date(2024, 2, 29)])
def test_limitation_from_the_29th_of_february(leap: dt.date) -> None:
    current = CaseState(
        today=dt.date(2024, 4, 1),
        procedures=(ProcedureDates("breast-augmentation", dt.date(2023, 6, 1)),),
        level=kb.Level.SEE_SURGEON,
        concern_since=leap,
        surgery_country="kr",
        current_country="kr",
        contacted_on=dt.date(2024, 3, 1),
        records_collected=True,
        imaging_collected=True,
    )

    assert step(plan(current), "apply-k-medi").due == dt.date(2027, 2, 28)


def test_complications_are_read_from_sign_findings_only() -> None:
    assert complications_in(
        ["breast-augmentation/sign/capsular-contracture/implant-hardening", "sign/hematoma/x", "a/timing/swelling"]
    ) == {"capsular-contracture", "hematoma"}


def test_device_reporting_is_left_out_where_no_regulator_is_known() -> None:
    # The knowledge base holds no Korean device-reporting route (no source was found for one).
    steps = plan(state(days_ago=730, concerns=["lump"], current_country="kr", has_implants=True))

    assert "report-device-problem" not in ids(steps)
