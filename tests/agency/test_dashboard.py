"""The agency dashboard: who may open it, what it lists, in which order, filtered and paged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from revisio.accounts.models import Agency, User
from revisio.accounts.services import agency_member_add
from revisio.agency.models import CaseAssignment
from revisio.agency.selectors import PAGE_SIZE
from revisio.cases.models import CaseShare
from tests.agency.support import coordinator_of, dashboard_url, row_titles, shared_case, step_stored
from tests.cast import client_for, make_user

pytestmark = pytest.mark.django_db


# --- who may open it ---------------------------------------------------------------------------------


def test_patients_clinicians_and_staff_get_404_and_visitors_sign_in(
    alice: User, dave: User, erin: User, carol: User
) -> None:
    for person in (alice, dave, erin):
        assert client_for(person).get(dashboard_url()).status_code == 404, person.email
    response = client_for(None).get(dashboard_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_coordinator_never_sees_another_agencys_cases(alice: User, agency: Agency, carol: User, dan: User) -> None:
    shared_case(agency, alice, title="Seoul Care's case", level="urgent")
    other = Agency.objects.get(name="Other Agency")
    shared_case(other, alice, title="Other Agency's case", level="monitor")
    assert row_titles(client_for(carol).get(dashboard_url())) == ["Seoul Care's case"]
    assert row_titles(client_for(dan).get(dashboard_url())) == ["Other Agency's case"]
    # Naming the other agency in the URL does not help.
    assert client_for(carol).get(dashboard_url(other)).status_code == 404
    assert client_for(carol).get(dashboard_url(agency="not-a-number")).status_code == 404


def test_revoked_expired_and_clinician_shares_are_not_listed(
    alice: User, agency: Agency, carol: User, dave: User
) -> None:
    revoked = shared_case(agency, alice, title="Revoked")
    CaseShare.objects.filter(case=revoked).update(revoked_at=timezone.now())
    expired = shared_case(agency, alice, title="Expired")
    CaseShare.objects.filter(case=expired).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    from revisio.cases.services import case_share_create

    case_share_create(case=shared_case(None, alice, title="Shared with a clinician only"), clinician=dave)
    shared_case(agency, alice, title="Active")
    assert row_titles(client_for(carol).get(dashboard_url())) == ["Active"]


def test_a_coordinator_of_two_agencies_picks_one(alice: User, agency: Agency, carol: User, dan: User) -> None:
    other = Agency.objects.get(name="Other Agency")
    agency_member_add(agency=other, user=carol)
    shared_case(agency, alice, title="At Seoul Care")
    shared_case(other, alice, title="At Other")
    client = client_for(carol)
    assert row_titles(client.get(dashboard_url())) == ["At Other"], "the first agency by name is the default"
    response = client.get(dashboard_url(agency))
    assert row_titles(response) == ["At Seoul Care"]
    assert b'data-testid="agency-switch"' in response.content


# --- order --------------------------------------------------------------------------------------------


def test_sorted_by_level_then_time_since_check_in_then_next_due_step(alice: User, agency: Agency, carol: User) -> None:
    today = timezone.localdate()
    shared_case(agency, alice, title="monitor, yesterday", level="monitor", checked_in_days_ago=1)
    shared_case(agency, alice, title="emergency", level="emergency", checked_in_days_ago=0)
    shared_case(agency, alice, title="urgent, 2 days", level="urgent", checked_in_days_ago=2)
    shared_case(agency, alice, title="urgent, 9 days", level="urgent", checked_in_days_ago=9)
    shared_case(agency, alice, title="see-surgeon", level="see-surgeon", checked_in_days_ago=30)
    late = shared_case(agency, alice, title="monitor, yesterday, step due soon", level="monitor", checked_in_days_ago=1)
    step_stored(case=late, step="contact-surgeon", first_suggested_on=today, due_on=today)
    done = shared_case(agency, alice, title="monitor, yesterday, step done", level="monitor", checked_in_days_ago=1)
    step_stored(
        case=done, step="contact-surgeon", first_suggested_on=today, due_on=today - dt.timedelta(days=5), done_on=today
    )
    shared_case(agency, alice, title="no check-in yet")
    assert row_titles(client_for(carol).get(dashboard_url())) == [
        "emergency",
        "urgent, 9 days",
        "urgent, 2 days",
        "see-surgeon",
        "monitor, yesterday, step due soon",  # an open step due beats none; a step done does not count
        "monitor, yesterday",
        "monitor, yesterday, step done",
        "no check-in yet",
    ]


def test_the_latest_check_in_counts_not_the_worst(alice: User, agency: Agency, carol: User) -> None:
    from tests.agency.support import checkin_stored

    recovered = shared_case(agency, alice, title="was urgent, now expected", level="urgent", checked_in_days_ago=5)
    checkin_stored(recovered, "expected", days_ago=0)
    shared_case(agency, alice, title="monitor", level="monitor")
    response = client_for(carol).get(dashboard_url())
    assert row_titles(response) == ["monitor", "was urgent, now expected"]
    assert response.context["rows"][1].days_since_checkin == 0


def test_the_next_step_shows_its_title_and_date(alice: User, agency: Agency, carol: User) -> None:
    today = timezone.localdate()
    case = shared_case(agency, alice, title="Hips", level="see-surgeon")
    step_stored(case=case, step="contact-surgeon", first_suggested_on=today, due_on=today)
    response = client_for(carol).get(dashboard_url())
    assert response.context["rows"][0].next_step_due == today
    assert response.context["rows"][0].next_step_title is not None, "contact-surgeon is a knowledge-base step"


# --- scopes -------------------------------------------------------------------------------------------


def test_a_deidentified_share_shows_no_name(agency: Agency, carol: User) -> None:
    patient = make_user("hana.kim@example.org")  # shown as "Hana.Kim"
    shared_case(agency, patient, title="Hana's hips", level="urgent", scope="deidentified")
    response = client_for(carol).get(dashboard_url())
    html = response.content.decode()
    assert "Hana" not in html and "hana.kim" not in html
    assert response.context["rows"][0].latest_level == "urgent", "a de-identified share still shows the level"


def test_a_photos_only_share_shows_no_level_and_sorts_as_unknown(alice: User, agency: Agency, carol: User) -> None:
    shared_case(agency, alice, title="Photos only", level="emergency", scope="photos")
    shared_case(agency, alice, title="Monitor", level="monitor")
    response = client_for(carol).get(dashboard_url())
    assert row_titles(response)[0] == "Monitor", "a level the share hides must not show through the order"
    hidden = response.context["rows"][1]
    assert hidden.latest_level is None and hidden.latest_checkin_date is None and hidden.listed_procedures == []
    assert "level-emergency" not in response.content.decode()


# --- filters ------------------------------------------------------------------------------------------


def test_filter_by_procedure_clinic_coordinator_and_language(agency: Agency, carol: User) -> None:
    korean = make_user("minji@example.org", languages=["ko", "en"])
    english = make_user("emma@example.org", languages=["en"])
    colleague = coordinator_of(agency, "colleague@example.org")
    breasts = shared_case(
        agency, korean, title="Breasts", procedure="breast-augmentation", clinic_name="Gangnam Clinic"
    )
    shared_case(agency, english, title="Hips", clinic_name="Busan Clinic")
    CaseAssignment.objects.create(case=breasts, agency=agency, coordinator=colleague)
    client = client_for(carol)
    assert row_titles(client.get(dashboard_url(procedure="breast-augmentation"))) == ["Breasts"]
    assert row_titles(client.get(dashboard_url(clinic="busan"))) == ["Hips"]
    assert row_titles(client.get(dashboard_url(coordinator=str(colleague.pk)))) == ["Breasts"]
    assert row_titles(client.get(dashboard_url(coordinator="none"))) == ["Hips"]
    assert row_titles(client.get(dashboard_url(language="ko"))) == ["Breasts"]
    assert sorted(row_titles(client.get(dashboard_url(language="en")))) == ["Breasts", "Hips"]


def test_a_filter_naming_something_not_on_offer_is_a_400_that_says_so(alice: User, agency: Agency, carol: User) -> None:
    shared_case(agency, alice, title="Hips")
    response = client_for(carol).get(dashboard_url(coordinator="999999"))
    assert response.status_code == 400
    assert response.context["form"].errors["coordinator"]
    assert row_titles(response) == []


def test_a_coordinator_of_another_agency_is_not_offered_as_a_filter(agency: Agency, carol: User, dan: User) -> None:
    response = client_for(carol).get(dashboard_url(coordinator=str(dan.pk)))
    assert response.status_code == 400


# --- pages and queries --------------------------------------------------------------------------------


def test_fifty_to_a_page(alice: User, agency: Agency, carol: User) -> None:
    for n in range(PAGE_SIZE + 3):
        shared_case(agency, alice, title=f"Case {n:02}", level="monitor", checked_in_days_ago=n, operated_days_ago=90)
    client = client_for(carol)
    first = client.get(dashboard_url())
    assert len(first.context["rows"]) == PAGE_SIZE
    assert row_titles(first)[0] == f"Case {PAGE_SIZE + 2:02}", "the longest since a check-in first"
    second = client.get(dashboard_url(page="2"))
    assert row_titles(second) == ["Case 02", "Case 01", "Case 00"]
    assert client.get(dashboard_url(page="not-a-page")).status_code == 200


def _dashboard_queries(client: object, count: int, agency: Agency, owner: User, colleague: User) -> int:
    today = timezone.localdate()
    levels = ["expected", "monitor", "see-surgeon", "urgent", "emergency"]
    for n in range(count):
        case = shared_case(
            agency,
            owner,
            title=f"Case {n}",
            level=levels[n % 5],
            checked_in_days_ago=n % 9,
            scope=["full", "deidentified", "photos"][n % 3],
        )
        CaseAssignment.objects.create(case=case, agency=agency, coordinator=colleague)
        step_stored(case=case, step="contact-surgeon", first_suggested_on=today, due_on=today)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(dashboard_url())  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert len(response.context["rows"]) == count
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_cases(agency: Agency, carol: User) -> None:
    colleague = coordinator_of(agency, "colleague@example.org")
    client = client_for(carol)
    small = _dashboard_queries(client, 5, agency, make_user("p5@example.org"), colleague)
    CaseShare.objects.all().delete()
    large = _dashboard_queries(client, 50, agency, make_user("p50@example.org"), colleague)
    assert large == small, f"{small} queries for 5 cases but {large} for 50"
    assert small <= 15, f"{small} queries for one page of the dashboard"


def test_the_clinic_filter_finds_the_directory_clinic_the_patient_marked(
    alice: User, agency: Agency, carol: User
) -> None:
    from revisio.directory.models import Clinic, TreatingClinic

    case = shared_case(agency, alice, title="Marked", clinic_name="what she typed")
    clinic = Clinic.objects.create(name_en="Gangnam Beauty Clinic", name_ko="강남뷰티의원", city="Seoul", country="KR")
    TreatingClinic.objects.create(case=case, clinic=clinic, set_by=alice)
    shared_case(agency, alice, title="Unmarked", clinic_name="Busan Clinic")
    client = client_for(carol)
    assert row_titles(client.get(dashboard_url(clinic="강남"))) == ["Marked"]
    response = client.get(dashboard_url(clinic="gangnam beauty"))
    assert row_titles(response) == ["Marked"]
    assert response.context["rows"][0].listed_clinic == str(clinic), "the directory's name is shown"
