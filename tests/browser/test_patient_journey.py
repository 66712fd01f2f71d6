"""A patient's journey in a real browser: sign up, record a case, check in with a photo and a
warning sign, read it in Korean; another patient cannot open the case."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from revisio.demo.images import silhouette_back_view
from tests.browser.conftest import screenshot
from tests.cast import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/accounts/signup/")
    page.fill("#id_email", email)
    page.fill("#id_display_name", "Mina")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.select_option("#id_current_country", "KR")
    screenshot(page, "01-sign-up")
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()


def test_patient_journey(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_up(page, "mina@example.org")

    # A case with two procedures done the same day, 10 days ago.
    page.get_by_role("link", name="New case").click()
    surgery = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    page.select_option("#id_procedures-0-procedure", "fat-transfer-hips")
    page.fill("#id_procedures-0-surgery_date", surgery)
    page.select_option("#id_procedures-1-procedure", "liposuction")
    page.fill("#id_procedures-1-surgery_date", surgery)
    page.fill("#id_title", "Hips and waist, Seoul")
    page.fill("#id_clinic_name", "Example Clinic")
    page.select_option("#id_clinic_country", "KR")
    screenshot(page, "02-new-case")
    page.get_by_role("button", name="Create the case").click()
    expect(page.get_by_role("heading", name="Hips and waist, Seoul")).to_be_visible()
    expect(page.locator(".procedures li")).to_have_count(2)

    # A check-in with a photo and a warning sign: swelling growing fast on one side.
    page.get_by_role("link", name="Add a check-in").click()
    page.check("input[name=symptoms][value=rapid-swelling-one-side]")
    page.check("input[name=symptoms][value=bruising]")
    page.fill("#id_temperature_c", "37.4")
    photo = tmp_path / "hips-back.jpg"
    photo.write_bytes(silhouette_back_view(hip_left=0.9, hip_right=1.15))
    page.set_input_files("#id_photos-0-image", str(photo))
    page.select_option("#id_photos-0-view", "back")
    page.select_option("#id_photos-0-body_area", "hips")
    screenshot(page, "03-check-in-form")
    page.get_by_role("button", name="Save the check-in").click()
    level = page.get_by_test_id("checkin-level")
    expect(level).to_have_attribute("data-level", re.compile("urgent|emergency"))
    expect(page.get_by_test_id("emergency-numbers")).to_contain_text("119")  # she is in Korea
    screenshot(page, "04-check-in-result")

    page.get_by_role("link", name=re.compile("Hips and waist")).click()
    expect(page.get_by_test_id("current-level")).to_have_attribute("data-level", re.compile("urgent|emergency"))
    expect(page.locator(".photo-strip img")).to_have_count(1)
    screenshot(page, "05-case-page")

    # The same page in Korean.
    page.select_option("#language-select", "ko")
    page.get_by_test_id("language-apply").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    with translation.override("ko"):
        what_to_do = translation.gettext("What to do now")
    assert what_to_do != "What to do now", "the Korean catalogue is not compiled"
    expect(page.get_by_role("heading", name=what_to_do)).to_be_visible()
    expect(page.get_by_test_id("current-level")).to_contain_text(re.compile("긴급|응급"))
    expect(page.get_by_text("골반 지방이식").first).to_be_visible()
    screenshot(page, "06-case-page-korean")
    case_url = page.url

    # Another patient cannot open it by its address.
    page.context.clear_cookies()
    make_user("jun@example.org")
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", "jun@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    response = page.goto(case_url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    assert "Hips and waist" not in page.content()
