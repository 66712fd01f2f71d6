"""The strict Content Security Policy holds in a real browser: the conftest's listener catches a violation,
and the pages with their own script (sign-up), an inline SVG QR code (two-factor set-up) and the API docs
(Swagger UI, served from ninja's bundled files) work without one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.cast import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_listener_reports_an_inline_script(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.append(s); }"
    )
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.ran") is None  # the policy refused it
    page.wait_for_timeout(200)  # the report crosses from the browser to the test asynchronously
    assert any("script-src" in violation for violation in page.csp_violations), page.csp_violations
    page.csp_violations.clear()  # expected here; any other test fails on one


def test_signup_script_runs_from_a_file(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/accounts/signup/")
    # signup.js sets the browser's own zone (the context runs in Europe/London) in place of UTC.
    expect(page.locator("#id_time_zone")).to_have_value("Europe/London")


def test_two_factor_setup_shows_the_qr_code(page) -> None:  # type: ignore[no-untyped-def]
    make_user("hana@example.org")
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", "hana@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{page.base_url}/accounts/two-factor/")
    expect(page.get_by_test_id("totp-qr").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("totp-secret")).to_be_visible()


def test_api_docs_work_under_the_policy(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/api/v1/docs")
    expect(page.get_by_text("Revisio API").first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()  # the operations, read from /api/v1/openapi.json
