"""Sharing with a clinician, in a real browser: the patient makes a de-identified invitation link, a
surgeon abroad signs in with two factors, accepts it, sees the case without the patient's name and
leaves a second opinion; the patient reads it, sees on "Who looked at my case" that the surgeon
opened it, and stops sharing, after which the surgeon's next visit finds nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from revisio.accounts.models import Role
from revisio.cases.services import ProcedureInput, case_create
from revisio.diary.services import PhotoInput, checkin_add
from tests.accounts.support import usable_code
from tests.browser.conftest import screenshot
from tests.cast import PASSWORD, jpeg, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()


def test_sharing_journey(page) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    patient = make_user("hana@example.org", current_country="GB", languages=["en"])  # shown as "Hana"
    case = case_create(
        owner=patient,
        title="Hips, Seoul",
        clinic_name="Example Plastic Surgery Clinic",
        clinic_country="KR",
        notes="Private: my sister's phone number",
        procedures=[ProcedureInput("fat-transfer-hips", today - dt.timedelta(days=70))],
    )
    checkin_add(
        case=case,
        user=patient,
        date=today - dt.timedelta(days=2),
        concerns=["asymmetry"],
        pain=2,
        photos=[PhotoInput(jpeg(320, 480), "back", "hips")],
    )
    surgeon = make_user("lee@example.org", Role.CLINICIAN)  # shown as "Lee"
    authenticator = TOTPDevice.objects.create(user=surgeon, name="Authenticator app", confirmed=True)

    # The patient makes a de-identified link for the surgeon.
    sign_in(page, "hana@example.org")
    page.get_by_role("link", name="Hips, Seoul").click()
    page.get_by_role("link", name="Sharing").click()
    invite_form = page.locator(f"form[action='/cases/{case.pk}/invites/new/']")
    invite_form.get_by_label("What they see").select_option("deidentified")
    invite_form.get_by_label("For whom (only you see this)").fill("Dr Lee, second opinion")
    invite_form.get_by_role("button", name="Make a link").click()
    link = page.get_by_test_id("new-invite-link").locator("input").input_value()
    assert "/invites/" in link
    screenshot(page, "12-sharing")
    sign_out(page)

    # The surgeon signs in with the password and the authenticator's code, then accepts.
    sign_in(page, "lee@example.org")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.fill("#id_code", usable_code(authenticator))
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile("two-factor"))  # signed in: the next page may load
    page.goto(link)
    page.get_by_test_id("accept-invite").click()

    # De-identified: no name, title, clinic notes or documents; the photos are behind the gallery.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Shared case")
    body = page.locator("main")
    for private in ("Hana", "Hips, Seoul", "sister", "hana@example.org"):
        expect(body).not_to_contain_text(private)
    page.fill("#id_opinion_text", "The left hip is still swollen at ten weeks; judge the shape after twelve.")
    page.get_by_role("button", name="Send the opinion").click()
    expect(page.get_by_test_id("opinions")).to_contain_text("judge the shape after twelve")
    screenshot(page, "13-de-identified-case-for-a-clinician")
    shared_url = page.url
    sign_out(page)

    # The patient reads the opinion and sees who looked.
    sign_in(page, "hana@example.org")
    page.get_by_role("link", name="Hips, Seoul").click()
    expect(page.get_by_test_id("opinions")).to_contain_text("Lee")
    page.get_by_role("link", name="Who looked at my case").click()
    log = page.get_by_test_id("audit-log")
    expect(log).to_contain_text("Lee")
    screenshot(page, "14-who-looked-at-my-case")

    # She stops sharing: at once, the surgeon's next visit finds nothing.
    page.goto(f"{page.base_url}/cases/{case.pk}/sharing/")
    page.get_by_role("button", name="Stop sharing").click()
    expect(page.locator("table").first).to_contain_text("stopped")
    sign_out(page)
    sign_in(page, "lee@example.org")
    page.fill("#id_code", usable_code(authenticator))
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile("two-factor"))  # signed in: the next page may load
    response = page.goto(shared_url)
    assert response is not None and response.status == 404
