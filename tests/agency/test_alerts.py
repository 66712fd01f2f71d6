"""Alerts: a check-in that raises a case to urgent or emergency, and a check-in missed at a milestone.

Made once per agency and trigger however often the job runs, only for agencies whose active share shows
the course of recovery, and e-mailed without a word about the patient's health.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from revisio.accounts.models import Agency, User
from revisio.agency import jobs
from revisio.agency.models import Alert, AlertKind, CaseAssignment
from revisio.agency.services import alerts_email_pending, missed_checkin_alerts
from revisio.cases.models import Case
from revisio.cases.services import case_share_create
from revisio.diary.services import checkin_add
from revisio.recovery.adapter import assess_case
from tests.agency.support import checkin_stored, coordinator_of, dashboard_url, shared_case
from tests.cast import client_for

pytestmark = pytest.mark.django_db

URGENT = {"temperature_c": "38.6"}  # a fever after surgery: urgent
EMERGENCY = {"symptoms": ["shortness-of-breath"]}


def _check_in(case: Case, capture: Any, **signs: Any) -> Any:
    """A check-in through the diary's service, with the jobs it queues run as they would be after commit."""
    with capture(execute=True):
        return checkin_add(case=case, user=case.owner, date=timezone.localdate(), **signs)


@pytest.fixture
def jobs_on(settings: Any) -> None:
    settings.REVISIO_JOBS_ENABLED = True
    settings.SITE_URL = "https://revisio.example.org"


# --- a check-in raises the level ----------------------------------------------------------------------


def test_an_urgent_check_in_alerts_the_agency_and_emails_its_coordinators(
    jobs_on: None, shared_case: Case, agency: Agency, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = coordinator_of(agency, "colleague@example.org")
    checkin = _check_in(shared_case, django_capture_on_commit_callbacks, **URGENT)
    assert checkin.level == "urgent"
    alert = Alert.objects.get()
    assert (alert.agency, alert.case, alert.kind, alert.level) == (
        agency,
        shared_case,
        AlertKind.LEVEL_RAISED,
        "urgent",
    )
    assert alert.trigger == f"checkin:{checkin.pk}" and alert.emailed_at is not None
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [carol.email, colleague.email]
    ), "nobody assigned: every coordinator of the agency"
    message = mail.outbox[0]
    body = f"{message.subject}\n{message.body}"
    link = f"https://revisio.example.org{reverse('agency:case', kwargs={'case_id': shared_case.pk})}?agency={agency.pk}"
    assert link in body
    for detail in ("urgent", "38.6", "fever", "Alice", "alice@", "Hips", "Example Clinic"):
        assert detail.lower() not in body.lower(), f"the e-mail names {detail!r}"


def test_the_assigned_coordinator_alone_is_emailed(
    jobs_on: None, shared_case: Case, agency: Agency, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = coordinator_of(agency, "colleague@example.org")
    CaseAssignment.objects.create(case=shared_case, agency=agency, coordinator=colleague)
    _check_in(shared_case, django_capture_on_commit_callbacks, **EMERGENCY)
    assert [message.to for message in mail.outbox] == [[colleague.email]]


def test_other_agencies_and_photos_only_shares_get_nothing(
    jobs_on: None, case: Case, agency: Agency, carol: User, dan: User, django_capture_on_commit_callbacks: Any
) -> None:
    case_share_create(case=case, agency=agency, scope="photos")  # a share that shows no levels
    _check_in(case, django_capture_on_commit_callbacks, **EMERGENCY)
    assert not Alert.objects.exists()
    assert mail.outbox == []
    assert dan.memberships.get().agency.alerts.count() == 0


def test_a_deidentified_share_is_alerted(
    jobs_on: None, case: Case, agency: Agency, carol: User, django_capture_on_commit_callbacks: Any
) -> None:
    case_share_create(case=case, agency=agency, scope="deidentified")
    _check_in(case, django_capture_on_commit_callbacks, **URGENT)
    assert Alert.objects.filter(agency=agency).count() == 1


def test_only_a_rise_to_urgent_or_emergency_alerts(shared_case: Case, agency: Agency, carol: User) -> None:
    def alerts_after(level: str) -> int:
        checkin = checkin_stored(shared_case, level, days_ago=0)
        jobs.checkin_alerts(str(checkin.pk))
        return Alert.objects.count()

    assert alerts_after("see-surgeon") == 0, "not a red flag"
    assert alerts_after("urgent") == 1, "see-surgeon to urgent"
    assert alerts_after("urgent") == 1, "urgent again is no rise"
    assert alerts_after("emergency") == 2, "urgent to emergency"
    assert alerts_after("urgent") == 2, "a fall is no rise"
    assert alerts_after("expected") == 2
    assert alerts_after("urgent") == 3, "expected to urgent"


def test_the_job_run_twice_makes_one_alert_and_one_email(shared_case: Case, agency: Agency, carol: User) -> None:
    checkin = checkin_stored(shared_case, "emergency", days_ago=0)
    jobs.checkin_alerts(str(checkin.pk))
    jobs.checkin_alerts(str(checkin.pk))
    assert Alert.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_check_in_deleted_before_the_job_ran_makes_nothing(shared_case: Case, carol: User) -> None:
    checkin = checkin_stored(shared_case, "emergency", days_ago=0)
    checkin_id = str(checkin.pk)
    checkin.delete()
    jobs.checkin_alerts(checkin_id)
    assert not Alert.objects.exists()


def test_an_email_that_fails_is_sent_by_a_later_run(
    shared_case: Case, agency: Agency, carol: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("revisio.agency.services.send_mail", refuse)
    jobs.checkin_alerts(str(checkin_stored(shared_case, "urgent", days_ago=0).pk))
    alert = Alert.objects.get()
    assert alert.emailed_at is None, "the alert is kept, not the claim that it was e-mailed"
    monkeypatch.undo()
    assert alerts_email_pending() == 1
    assert len(mail.outbox) == 1
    assert alerts_email_pending() == 0


# --- a check-in missed at a milestone -----------------------------------------------------------------


def _due_in_window(case: Case, today: dt.date, days: int = 7) -> set[dt.date]:
    course = assess_case(
        procedures=list(case.procedures.all()), on=today, symptoms=[], concerns=[], temperature_c=None, country=None
    )
    return {
        m.date_from
        for t in course.procedures
        for m in t.milestones
        if today - dt.timedelta(days=days) < m.date_from <= today
    }


def test_a_milestone_passed_without_a_check_in_alerts_the_sharing_agency_once(
    alice: User, agency: Agency, carol: User, dan: User
) -> None:
    today = timezone.localdate()
    case = shared_case(agency, alice, title="Hips", operated_days_ago=16)
    shared_case(None, alice, title="Not shared", operated_days_ago=16)
    due = _due_in_window(case, today)
    assert due, "the fixture needs a milestone that fell due in the last week"
    made = missed_checkin_alerts(today)
    assert {(a.agency, a.case, a.kind) for a in made} == {(agency, case, AlertKind.CHECKIN_MISSED)}
    assert {a.due_on for a in made} == due
    assert missed_checkin_alerts(today) == [], "a second run makes nothing new"
    assert Alert.objects.count() == len(due)
    assert len(mail.outbox) == len(due) and mail.outbox[0].to == [carol.email]
    assert not Alert.objects.filter(agency__memberships__user=dan).exists()


def test_a_check_in_since_the_milestone_means_nothing_was_missed(alice: User, agency: Agency, carol: User) -> None:
    today = timezone.localdate()
    case = shared_case(agency, alice, title="Hips", operated_days_ago=16)
    checkin_stored(case, "expected", days_ago=(today - min(_due_in_window(case, today))).days)
    assert missed_checkin_alerts(today) == []


def test_a_check_in_before_the_milestone_does_not_count(alice: User, agency: Agency, carol: User) -> None:
    today = timezone.localdate()
    case = shared_case(agency, alice, title="Hips", operated_days_ago=16)
    checkin_stored(case, "expected", days_ago=(today - min(_due_in_window(case, today))).days + 1)
    assert len(missed_checkin_alerts(today)) == len(_due_in_window(case, today))


def test_photos_only_shares_and_old_milestones_make_no_alert(alice: User, agency: Agency, carol: User) -> None:
    shared_case(agency, alice, title="Photos only", operated_days_ago=16, scope="photos")
    shared_case(agency, alice, title="Long ago", operated_days_ago=400)
    assert missed_checkin_alerts(timezone.localdate()) == []


def test_the_command_makes_the_alerts_and_says_how_many(
    alice: User, agency: Agency, carol: User, capsys: pytest.CaptureFixture[str]
) -> None:
    today = timezone.localdate()
    case = shared_case(agency, alice, title="Hips", operated_days_ago=16)
    call_command("agency_alerts", "--today", today.isoformat())
    expected = len(_due_in_window(case, today))
    assert f"{expected} new missed check-in alert(s)" in capsys.readouterr().out
    call_command("agency_alerts")
    assert "0 new missed check-in alert(s)" in capsys.readouterr().out
    assert Alert.objects.count() == expected
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("agency_alerts", "--today", "21/11/2026")
    with pytest.raises(CommandError, match="--days"):
        call_command("agency_alerts", "--days", "0")


# --- alerts on the dashboard --------------------------------------------------------------------------


def test_unread_alerts_are_on_the_dashboard_until_marked_read(
    shared_case: Case, agency: Agency, carol: User, dan: User
) -> None:
    jobs.checkin_alerts(str(checkin_stored(shared_case, "emergency", days_ago=0).pk))
    alert = Alert.objects.get()
    client = client_for(carol)
    response = client.get(dashboard_url())
    assert [a.pk for a in response.context["alerts"]] == [alert.pk]
    # Another agency's coordinator can neither see nor mark it.
    assert client_for(dan).get(dashboard_url()).context["alerts"] == []
    assert (
        client_for(dan).post(reverse("agency:alerts_read"), {"agency": agency.pk, "alert": alert.pk}).status_code == 404
    )
    client_for(dan).post(reverse("agency:alerts_read"), {"alert": alert.pk})
    alert.refresh_from_db()
    assert alert.read_at is None
    response = client.post(reverse("agency:alerts_read"), {"agency": agency.pk, "alert": alert.pk})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.read_at is not None and alert.read_by == carol
    assert client.get(dashboard_url()).context["alerts"] == []


def test_mark_all_read_and_a_post_without_an_alert(shared_case: Case, agency: Agency, carol: User) -> None:
    for level in ("urgent", "emergency"):
        jobs.checkin_alerts(str(checkin_stored(shared_case, level, days_ago=0).pk))
    client = client_for(carol)
    assert client.post(reverse("agency:alerts_read"), {}).status_code == 302  # says what to choose; changes nothing
    assert Alert.objects.filter(read_at__isnull=True).count() == 2
    client.post(reverse("agency:alerts_read"), {"agency": agency.pk, "all": "1"})
    assert Alert.objects.filter(read_at__isnull=True).count() == 0


def test_a_photos_only_agency_sees_no_level_in_an_alert(alice: User, agency: Agency, carol: User) -> None:
    """An alert made while the share showed levels, after the patient narrowed it to photos only."""
    case = shared_case(agency, alice, title="Hips")
    jobs.checkin_alerts(str(checkin_stored(case, "emergency", days_ago=0).pk))
    case.shares.update(scope="photos")
    alerts = client_for(carol).get(dashboard_url()).context["alerts"]
    assert [a.level for a in alerts] == [""]


def test_a_patient_never_sees_agency_alerts(shared_case: Case, alice: User, carol: User) -> None:
    jobs.checkin_alerts(str(checkin_stored(shared_case, "emergency", days_ago=0).pk))
    assert client_for(alice).get(dashboard_url()).status_code == 404
    assert client_for(alice).post(reverse("agency:alerts_read"), {"all": "1"}).status_code == 404
    assert Alert.objects.filter(read_at__isnull=True).count() == 1
