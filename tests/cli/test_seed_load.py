"""``revisio seed-load``: synthetic load data that is deterministic, complete, assessed and sign-in-able."""

from __future__ import annotations

import base64
import datetime as dt
import time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django_otp.oath import hotp

from revisio.accounts.models import Agency, Membership, Role, User
from revisio.cases.models import Case, CaseShare, active_share_filter
from revisio.demo.load import LOAD_DOMAIN, LoadResult, load_seed
from revisio.diary.models import CheckIn
from revisio.recovery.adapter import assess_case, emergency_country, stored_assessment
from revisio.recovery.vocabulary import vocabulary_for
from tests.accounts.support import browser, sign_in
from tests.cli.support import run

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 21)


def seed(**overrides: Any) -> LoadResult:
    arguments: dict[str, Any] = {"cases": 24, "checkins_per_case": 4, "seed": 5, "agencies": 3, "batch": 7}
    return load_seed(**(arguments | overrides), today=TODAY)


def snapshot(seed_number: int) -> dict[str, Any]:
    """Everything seeded for a seed, keyed by what a run draws (e-mail addresses and UUIDs, not serial IDs);
    share times are relative to the moment of the run, so only whether they are set is compared."""
    cases = Case.objects.filter(owner__email__startswith=f"patient-{seed_number}-").select_related("owner")
    return {
        "users": sorted(
            User.objects.filter(email__endswith=LOAD_DOMAIN, email__contains=f"-{seed_number}-").values_list(
                "email", "role", "languages", "country_of_residence", "current_country", "time_zone"
            )
        ),
        "cases": sorted(
            (
                str(case.pk),
                case.owner.email,
                case.title,
                case.clinic_name,
                case.clinic_country,
                case.surgeon_name,
                case.leaving_on,
                sorted((p.procedure, p.surgery_date, p.anaesthesia) for p in case.procedures.all()),
            )
            for case in cases.prefetch_related("procedures")
        ),
        "checkins": sorted(
            CheckIn.objects.filter(case__in=cases).values_list(
                "id", "case_id", "date", "symptoms", "concerns", "pain", "temperature_c", "notes", "level", "assessment"
            )
        ),
        "shares": sorted(
            (str(s.pk), str(s.case_id), s.agency.name, s.scope, s.revoked_at is None, s.expires_at is None)
            for s in CaseShare.objects.filter(case__in=cases).select_related("agency")
        ),
    }


class Discard(Exception):
    pass


def seeded_then_discarded(seed_number: int) -> dict[str, Any]:
    """The snapshot of a run of ``seed_number``, with the run rolled back afterwards."""
    try:
        with transaction.atomic():
            seed(seed=seed_number)
            taken = snapshot(seed_number)
            raise Discard
    except Discard:
        return taken


def test_same_seed_same_data_and_another_seed_other_data() -> None:
    first = seeded_then_discarded(5)
    again = seeded_then_discarded(5)
    other = seeded_then_discarded(6)
    assert len(first["checkins"]) == 24 * 4
    assert first == again, "the same seed on the same day must give the same rows"
    assert {row[0] for row in first["cases"]}.isdisjoint(row[0] for row in other["cases"])
    assert [row[2:] for row in first["cases"]] != [row[2:] for row in other["cases"]]


def test_counts_batches_and_integrity() -> None:
    result = seed()
    assert (result.cases, result.checkins, result.agencies) == (24, 96, 3)
    assert Case.objects.count() == 24 and CheckIn.objects.count() == 96
    assert CaseShare.objects.count() == result.shares
    assert 0 < result.shares <= 24
    assert Agency.objects.count() == 3
    # Each agency has its coordinator; every foreign key points at a row (PostgreSQL checks them at commit,
    # which a test never reaches: check_constraints() asks now).
    assert Membership.objects.filter(user__role=Role.COORDINATOR).count() == 3
    connection.check_constraints()
    for case in Case.objects.prefetch_related("procedures", "checkins"):
        procedures = list(case.procedures.all())
        checkins = list(case.checkins.all())
        assert procedures and len(checkins) == 4
        assert len({c.date for c in checkins}) == 4, "check-ins of a case fall on different days"
        assert all(min(p.surgery_date for p in procedures) <= c.date <= TODAY for c in checkins)


def test_every_checkin_stores_the_engines_assessment_of_its_inputs() -> None:
    seed(cases=30, checkins_per_case=5)
    levels = set()
    for checkin in CheckIn.objects.select_related("case__owner").prefetch_related("case__procedures"):
        procedures = list(checkin.case.procedures.all())
        symptoms, concerns = vocabulary_for([p.procedure for p in procedures])
        assert set(checkin.symptoms) <= {s.id for s in symptoms}
        assert set(checkin.concerns) <= {c.id for c in concerns}
        assert checkin.pain is None or 0 <= checkin.pain <= 10
        assert checkin.temperature_c is None or Decimal(30) <= checkin.temperature_c <= Decimal(45)
        expected = assess_case(
            procedures=procedures,
            on=checkin.date,
            symptoms=checkin.symptoms,
            concerns=checkin.concerns,
            temperature_c=checkin.temperature_c,
            country=emergency_country(checkin.case.owner.current_country),
        )
        assert checkin.assessment == stored_assessment(expected)
        assert (checkin.level, checkin.kb_version) == (expected.level.value, expected.kb_version)
        levels.add(checkin.level)
    assert len(levels) >= 2, f"a realistic mix has more than one level, got {levels}"


def test_only_the_printed_accounts_can_sign_in() -> None:
    result = seed()
    assert result.coordinator.password == result.patient.password
    usable = [u.email for u in User.objects.filter(email__endswith=LOAD_DOMAIN) if u.has_usable_password()]
    assert sorted(usable) == sorted([result.coordinator.email, result.patient.email])
    patient = browser()
    assert sign_in(patient, result.patient.email, result.patient.password).status_code == 302
    case = Case.objects.get(owner__email=result.patient.email, shares__agency__name=result.agency_name)
    assert patient.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    # The coordinator signs in with the password and a code from the printed authenticator secret.
    coordinator = browser()
    assert sign_in(coordinator, result.coordinator.email, result.coordinator.password).status_code == 302
    key = base64.b32decode(result.coordinator.totp_secret)
    code = f"{hotp(key, int(time.time()) // 30, digits=6):06d}"
    assert coordinator.post(reverse("accounts:two_factor_verify"), {"code": code}).status_code == 302
    assert coordinator.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_the_first_agency_is_the_largest_and_sees_the_printed_patients_case() -> None:
    result = seed(cases=60, agencies=4)
    shares = CaseShare.objects.filter(active_share_filter())
    by_agency = {a.name: shares.filter(agency=a).count() for a in Agency.objects.all()}
    assert by_agency[result.agency_name] == max(by_agency.values())
    assert shares.filter(agency__name=result.agency_name, case__owner__email=result.patient.email).exists()


def test_cli_prints_the_logins_and_refuses_the_same_seed_twice(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "seed-load", "--cases", "6", "--checkins-per-case", "2", "--seed", "9")
    assert code == 0, err
    assert "Added 6 cases, 12 check-ins" in out
    assert f"coordinator: coordinator-9-000@{LOAD_DOMAIN}" in out and f"patient: patient-9-0000000@{LOAD_DOMAIN}" in out
    assert "password: " in out and "authenticator secret: " in out
    code, _, err = run(capsys, "seed-load", "--cases", "6", "--checkins-per-case", "2", "--seed", "9")
    assert code == 2 and "already holds seed-load data for seed 9" in err
    assert Case.objects.count() == 6


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--cases", "0", "--checkins-per-case", "2"], "--cases: 0 is outside 1-10,000,000"),
        (["--cases", "many", "--checkins-per-case", "2"], "'many' is not a whole number"),
        (["--cases", "5", "--checkins-per-case", "400"], "400 is outside 0-365"),
        (["--cases", "5", "--checkins-per-case", "2", "--agencies", "0"], "--agencies: 0 is outside"),
        (["--checkins-per-case", "2"], "the following arguments are required: --cases"),
    ],
)
def test_bad_arguments_exit_2_with_the_fix(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, _, err = run(capsys, "seed-load", *argv)
    assert code == 2
    assert message in err
    assert not Case.objects.exists()


def test_check_ins_are_never_in_the_future_even_with_one_a_day() -> None:
    # 30 check-ins a case need 30 different days since the operation: the operations are dated far enough back.
    seed(cases=5, checkins_per_case=30)
    assert CheckIn.objects.count() == 150
    assert not CheckIn.objects.filter(date__gt=TODAY).exists()
