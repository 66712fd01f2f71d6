"""The agency dashboard in a real browser: a coordinator signs in with two factors, sees her agency's
shared cases most urgent first with the unread alert on top, opens a case's panel from the alert,
assigns herself and a translator, leaves a note, and marks the alert read."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from revisio.accounts.models import Agency
from revisio.agency import jobs
from revisio.agency.models import AgencyNote, Alert, CaseAssignment
from revisio.directory.models import Translator
from tests.accounts.support import usable_code
from tests.agency.support import checkin_stored, coordinator_of, shared_case, step_stored
from tests.browser.conftest import screenshot
from tests.browser.test_sharing_journey import sign_in
from tests.cast import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agency_dashboard(page) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    agency = Agency.objects.create(name="Seoul Care Agency", country="KR")
    mina = coordinator_of(agency, "mina@example.org")  # shown as "Mina"
    authenticator = TOTPDevice.objects.create(user=mina, name="Authenticator app", confirmed=True)
    joon = coordinator_of(agency, "joon@example.org")
    Translator.objects.create(name="Jisoo Park", languages=["ko", "en"], agency=agency)
    hana = Translator.objects.create(name="Hana Lee", languages=["ko", "en", "ru"])
    patients = [
        ("emma@example.org", "Breasts, Gangnam", "breast-augmentation", "Gangnam Beauty Clinic", "emergency", 0),
        ("lucy@example.org", "Hips, Seoul", "hourglass-hip", "Example Plastic Surgery", "urgent", 3),
        ("sara@example.org", "Nose", "rhinoplasty", "Apgujeong Clinic", "see-surgeon", 6),
        ("anna@example.org", "Eyelids", "double-eyelid-surgery", "Sinsa Eye Clinic", "monitor", 2),
        ("olga@example.org", "Face lift", "facelift", "Cheongdam Clinic", "expected", 1),
    ]
    cases = {}
    for email, title, procedure, clinic, level, days_ago in patients:
        owner = make_user(email, languages=["en"])
        cases[title] = shared_case(
            agency, owner, title=title, procedure=procedure, clinic_name=clinic, operated_days_ago=40
        )
        checkin = checkin_stored(cases[title], level, days_ago=days_ago)
        if level == "emergency":
            jobs.checkin_alerts(str(checkin.pk))  # as the diary's job does after a check-in
    step_stored(
        case=cases["Nose"], step="contact-surgeon", first_suggested_on=today, due_on=today + dt.timedelta(days=2)
    )
    shared_case(agency, make_user("mei@example.org"), title="Tummy", operated_days_ago=10, scope="deidentified")
    CaseAssignment.objects.create(case=cases["Hips, Seoul"], agency=agency, coordinator=joon, translator=hana)

    sign_in(page, "mina@example.org")
    page.fill("#id_code", usable_code(authenticator))
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile("two-factor"))
    page.get_by_role("link", name="Agency dashboard").click()
    expect(page.get_by_role("heading", name="Agency dashboard: Seoul Care Agency")).to_be_visible()
    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(6)
    expect(rows.first).to_contain_text("Breasts, Gangnam")
    expect(rows.nth(1)).to_contain_text("Hips, Seoul")
    expect(page.get_by_test_id("alert")).to_have_count(1)
    expect(page.get_by_test_id("cases")).not_to_contain_text("mei@")  # de-identified
    screenshot(page, "15-agency-dashboard")

    page.get_by_label("Clinic").fill("apgujeong")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nose")

    page.goto(f"{page.base_url}/agency/")
    page.get_by_test_id("alert").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Breasts, Gangnam")).to_be_visible()
    assignment = page.get_by_test_id("assignment")
    assignment.get_by_label("Coordinator").select_option(label="Mina")
    assignment.get_by_label("Translator").select_option(label="Jisoo Park")
    assignment.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved who is on this case.")).to_be_visible()
    page.get_by_label("Note for your agency").fill("Called Emma; the clinic sees her tomorrow at 10.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_test_id("notes")).to_contain_text("the clinic sees her tomorrow")
    page.get_by_test_id("alerts").get_by_role("button", name="Mark read").click()
    expect(page.get_by_test_id("alerts")).to_have_count(0)

    assignment_row = CaseAssignment.objects.get(case=cases["Breasts, Gangnam"])
    assert (assignment_row.coordinator, str(assignment_row.translator)) == (mina, "Jisoo Park")
    assert AgencyNote.objects.get().author == mina
    assert Alert.objects.get().read_by == mina
