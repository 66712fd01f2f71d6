"""When something went wrong, in a real browser: six months after a breast augmentation in Seoul the
patient, home in the UK, writes to the clinic in English and Korean, hears nothing for a month, and the
plan opens the Korean routes; she ticks a step off and works out K-medi's fee."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from revisio.cases.models import Case
from revisio.cases.services import ProcedureInput, case_create, device_add
from revisio.diary.services import checkin_add
from revisio.escalation.models import Communication
from tests.browser.conftest import screenshot
from tests.cast import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()


def six_months_on() -> Case:
    today = timezone.localdate()
    user = make_user("hana@example.org", current_country="GB", languages=["en"])
    case = case_create(
        owner=user,
        title="Breasts, Seoul",
        clinic_name="Example Plastic Surgery Clinic",
        clinic_country="KR",
        surgeon_name="Dr Example",
        procedures=[ProcedureInput("breast-augmentation", today - dt.timedelta(days=185))],
    )
    device_add(case=case, device_type="breast-implant", fill="silicone-gel", placement="submuscular")
    checkin_add(case=case, user=user, date=today - dt.timedelta(days=35), concerns=["asymmetry"], pain=1)
    return case


def test_escalation_journey(page) -> None:  # type: ignore[no-untyped-def]
    case = six_months_on()
    sign_in(page, "hana@example.org")
    page.get_by_role("link", name="Breasts, Seoul").click()

    # The case page carries the checklist; the first step is to tell the surgeon.
    summary = page.get_by_test_id("plan-summary")
    expect(summary.locator("[data-step=contact-surgeon]")).to_be_visible()

    # Write to the clinic: English and Korean side by side, her own words marked as not translated.
    summary.get_by_role("link", name="Write to the clinic").click()
    page.get_by_label("Can you see me, or recommend a doctor near me?").check()
    page.fill("#id_free_text", "The left implant sits higher than the right.")
    page.get_by_role("button", name="Show the message").click()
    pair = page.get_by_test_id("message-pair")
    expect(pair.locator("section[lang=en] textarea")).to_contain_text("The left implant sits higher")
    expect(pair.locator("section[lang=ko] textarea")).to_contain_text("환자가 직접 쓴 내용(번역되지 않음)")
    screenshot(page, "10-message-to-the-clinic")
    page.get_by_role("button", name="I sent it: save it in the log").click()
    expect(page.get_by_text("The message is saved in the log as sent today.")).to_be_visible()

    # A month on, no answer (the log entry is moved back 30 days as if she had sent it then).
    Communication.objects.filter(case=case).update(occurred_on=timezone.localdate() - dt.timedelta(days=30))
    page.goto(f"{page.base_url}/cases/{case.pk}/plan/")
    plan = page.get_by_test_id("plan")
    for step in ("ask-khidi-for-help", "apply-k-medi", "apply-kca", "second-opinion", "plan-revision"):
        expect(plan.locator(f"[data-step={step}]")).to_be_visible()
    expect(plan.locator("[data-step=ask-khidi-for-help]")).to_contain_text("1577-7129")
    expect(plan.locator("[data-step=apply-k-medi]")).to_contain_text(re.compile(r"by .*20\d\d"))  # the time limit
    expect(page.get_by_test_id("emergency-numbers")).to_contain_text("999")

    # She asks KHIDI for help and ticks the step off.
    plan.locator("[data-step=ask-khidi-for-help] button.tick").click()
    expect(plan.locator("[data-step=ask-khidi-for-help]")).to_have_class(re.compile(r"\bdone\b"))
    screenshot(page, "09-escalation-plan")

    # K-medi's fee for a claim of 30 million won.
    page.get_by_role("link", name="Complaints and mediation").first.click()
    page.fill("#id_claim", "30000000")
    page.get_by_role("button", name="Calculate").click()
    expect(page.get_by_test_id("fee")).to_contain_text("72,000")
    screenshot(page, "11-complaints-and-mediation")
