"""Two-factor sign-in with an authenticator app (TOTP) and backup codes (django-otp)."""

from __future__ import annotations

import base64
import time
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp import models as totp_models
from django_otp.plugins.otp_totp.models import TOTPDevice

from revisio.accounts.models import ApiToken, User
from revisio.accounts.services import api_token_create
from revisio.cases.models import Case
from tests.accounts.support import (
    browser,
    code_at,
    enter_code,
    set_up_authenticator,
    sign_in,
    usable_code,
    wait_out_throttling,
)
from tests.cast import PASSWORD, client_for

VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor")


def signed_in_with_authenticator(user: User) -> tuple[Client, TOTPDevice, list[str]]:
    """``user`` set up an authenticator and signed out; returns a fresh browser that has entered the password."""
    first = browser()
    assert sign_in(first, user.email).status_code == 302
    device, codes = set_up_authenticator(first)
    first.post(reverse("accounts:logout"))
    client = browser()
    assert sign_in(client, user.email).status_code == 302
    return client, device, codes


# --- patients may opt in ------------------------------------------------------------------------------


def test_a_patient_without_an_authenticator_signs_in_with_the_password(alice: User, case: Case) -> None:
    client = browser()
    response = sign_in(client, alice.email)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_setting_up_shows_a_qr_code_and_the_secret_and_needs_a_current_code(alice: User) -> None:
    client = client_for(alice)
    page = client.get(SETUP)
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=alice)
    assert not device.confirmed
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    qr = html[html.index('<svg width="') : html.index("</svg>")]
    assert 'class="segno"' in qr and "style" not in qr  # inline SVG the style policy allows
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert client.get(SETUP).content.decode().count(secret[:4]) >= 1
    assert TOTPDevice.objects.filter(user=alice).count() == 1  # a reload keeps the same secret

    wrong = client.post(reverse("accounts:two_factor_confirm"), {"code": "000000", "password": PASSWORD})
    assert wrong.status_code == 400 and "This code is not right" in wrong.content.decode()
    wait_out_throttling(alice)
    no_password = client.post(reverse("accounts:two_factor_confirm"), {"code": code_at(device), "password": "nope"})
    assert no_password.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed

    done = client.post(reverse("accounts:two_factor_confirm"), {"code": code_at(device), "password": PASSWORD})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    assert "no-store" in done["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=alice).count() == 10
    # This session proved the code: it goes on without asking again.
    assert client.get(reverse("cases:list")).status_code == 200
    assert "two-factor-on" in client.get(SETUP).content.decode()


def test_backup_codes_are_shown_once(alice: User) -> None:
    client = client_for(alice)
    _device, codes = set_up_authenticator(client)
    page = client.get(SETUP).content.decode()
    assert not any(code in page for code in codes)
    assert "10 unused backup codes" in page


# --- the code step after the password -------------------------------------------------------------------


def test_after_the_password_a_code_is_due_before_anything_else(alice: User, case: Case) -> None:
    client, device, _codes = signed_in_with_authenticator(alice)
    case_url = reverse("cases:detail", args=[case.pk])
    for url in [case_url, reverse("cases:list"), reverse("accounts:profile"), reverse("accounts:tokens"), SETUP]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 401  # the API ignores a half-signed-in session
    assert client.get(VERIFY).status_code == 200

    done = enter_code(client, usable_code(device), next_url=case_url)
    assert done.status_code == 302 and done["Location"] == case_url
    assert client.get(case_url).status_code == 200
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 200


def test_sign_in_sends_a_person_with_an_authenticator_to_the_code_page(alice: User) -> None:
    first = client_for(alice)
    set_up_authenticator(first)
    response = Client().post(
        reverse("accounts:login") + "?next=/cases/", {"username": alice.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == f"{VERIFY}?next=%2Fcases%2F"


def test_a_wrong_code_is_refused(alice: User) -> None:
    client, device, _codes = signed_in_with_authenticator(alice)
    right = usable_code(device)
    response = enter_code(client, f"{(int(right) + 500_000) % 1_000_000:06d}")
    assert response.status_code == 400 and "This code is not right" in response.content.decode()
    assert client.get(reverse("cases:list"))["Location"].startswith(VERIFY)
    # django-otp makes the next try wait: even the right code is not checked at once.
    too_soon = enter_code(client, right)
    assert too_soon.status_code == 400 and "wait" in too_soon.content.decode()
    wait_out_throttling(alice)
    assert enter_code(client, right).status_code == 302
    assert client.get(reverse("cases:list")).status_code == 200


def test_a_code_cannot_be_used_twice(alice: User) -> None:
    client, device, _codes = signed_in_with_authenticator(alice)
    code = usable_code(device)
    assert enter_code(client, code).status_code == 302
    again = browser()
    sign_in(again, alice.email)
    assert enter_code(again, code).status_code == 400


def test_wrong_codes_count_towards_the_lockout(alice: User) -> None:
    client, device, _codes = signed_in_with_authenticator(alice)
    for attempt in range(4):
        wait_out_throttling(alice)
        assert enter_code(client, "000000").status_code == 400, attempt
    wait_out_throttling(alice)
    locked = enter_code(client, "000000")
    assert locked.status_code == 429 and "Too many failed attempts" in locked.content.decode()
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:login"))  # signed out
    assert sign_in(browser(), alice.email).status_code == 429  # and the password does not help for now
    assert device.user == alice


def test_a_backup_code_works_once(alice: User) -> None:
    client, _device, codes = signed_in_with_authenticator(alice)
    response = enter_code(client, codes[0].upper()[:4] + " " + codes[0].upper()[4:])  # as someone might type it
    assert response.status_code == 302
    assert client.get(reverse("cases:list")).status_code == 200
    assert StaticToken.objects.filter(device__user=alice).count() == 9

    client.post(reverse("accounts:logout"))
    again = browser()
    sign_in(again, alice.email)
    assert enter_code(again, codes[0]).status_code == 400
    wait_out_throttling(alice)
    assert enter_code(again, codes[1]).status_code == 302


def test_new_backup_codes_replace_the_old_ones(alice: User) -> None:
    client = client_for(alice)
    _device, old = set_up_authenticator(client)
    new = client.post(reverse("accounts:two_factor_backup_codes")).context["codes"]
    assert not set(old) & set(new)
    assert set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)) == set(new)


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """The clock django-otp's TOTP check reads (and only that one), set to the start of a 30-second step."""
    clock = SimpleNamespace(now=(int(time.time()) // 30) * 30 + 0.0)
    monkeypatch.setattr(totp_models, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def test_the_time_step_boundary(alice: User, bob: User, frozen_clock: SimpleNamespace) -> None:
    """At the first second of a step, the code of the step just ended is still accepted (a phone a little
    slow, or a code typed as it changed) but one two steps old is not; at the last moment of a step, the
    next step's code is accepted (a phone a little fast); a code once accepted is never accepted again."""
    start = frozen_clock.now
    slow = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client = client_for(alice, second_factor=False)
    assert enter_code(client, code_at(slow, start - 31)).status_code == 400  # two steps back
    wait_out_throttling(alice)
    assert enter_code(client, code_at(slow, start - 1)).status_code == 302  # the step just ended
    replay = client_for(alice, second_factor=False)
    assert enter_code(replay, code_at(slow, start - 1)).status_code == 400

    frozen_clock.now = start + 29.9
    fast = TOTPDevice.objects.create(user=bob, name="app", confirmed=True)
    client = client_for(bob, second_factor=False)
    assert enter_code(client, code_at(fast, start + 60)).status_code == 400  # two steps ahead
    wait_out_throttling(bob)
    assert enter_code(client, code_at(fast, start + 30)).status_code == 302  # the next step


# --- coordinators, clinicians and staff must use it ------------------------------------------------------


def test_a_coordinator_is_held_at_set_up_until_it_is_done(carol: User, shared_case: Case) -> None:
    _token, secret = api_token_create(user=carol, name="agency dashboard")
    client = browser()
    response = sign_in(client, carol.email)
    assert response.status_code == 302
    case_url = reverse("cases:detail", args=[shared_case.pk])
    for url in [reverse("cases:list"), case_url, reverse("accounts:profile"), reverse("accounts:tokens"), VERIFY]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(SETUP), url
    # Open: the set-up page, static files, the language switch and signing out.
    assert client.get(SETUP).status_code == 200
    assert client.get("/static/revisio/app.css").status_code != 302  # served by WhiteNoise when collected
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    # The API does not take the half-signed-in session, but her token works as before.
    assert client.get("/api/v1/cases").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(f"/api/v1/cases/{shared_case.pk}").status_code == 200
    # Nor can she make a token, which would skip the second factor for good.
    client.post(reverse("accounts:tokens"), {"name": "sneaky"})
    assert not ApiToken.objects.filter(name="sneaky").exists()

    set_up_authenticator(client)
    assert client.get(case_url).status_code == 200
    assert client.post(reverse("accounts:tokens"), {"name": "allowed"}).status_code == 200
    assert ApiToken.objects.filter(user=carol, name="allowed").exists()


def test_after_set_up_the_coordinator_continues_where_she_was_going(carol: User, shared_case: Case) -> None:
    client = browser()
    sign_in(client, carol.email)
    case_url = reverse("cases:detail", args=[shared_case.pk])
    held = client.get(case_url)
    assert held["Location"] == f"{SETUP}?next={case_url.replace('/', '%2F')}"
    page = client.get(held["Location"])
    device = TOTPDevice.objects.get(user=carol, confirmed=False)
    data = {"code": code_at(device), "password": PASSWORD, "next": page.context["next"]}
    done = client.post(reverse("accounts:two_factor_confirm"), data)
    assert f'href="{case_url}"' in done.content.decode()


def test_a_clinician_signing_up_must_set_it_up_first(db: None) -> None:
    client = Client()
    data = {"email": "dr.kim@example.org", "role": "clinician", "time_zone": "UTC"}
    client.post(reverse("accounts:signup"), data | {"password1": PASSWORD, "password2": PASSWORD})
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response["Location"].startswith(SETUP)


def test_turning_it_off_needs_the_password(alice: User) -> None:
    client = client_for(alice)
    set_up_authenticator(client)
    refused = client.post(reverse("accounts:two_factor_disable"), {"password": "not it"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
    assert client.post(reverse("accounts:two_factor_disable"), {"password": PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists() and not StaticDevice.objects.filter(user=alice).exists()
    again = browser()
    assert sign_in(again, alice.email).status_code == 302
    assert again.get(reverse("cases:list")).status_code == 200  # no code asked


def test_a_coordinator_who_turns_it_off_must_set_it_up_again(carol: User) -> None:
    client = client_for(carol)
    assert client.get(reverse("cases:list")).status_code == 200
    client.post(reverse("accounts:two_factor_disable"), {"password": PASSWORD})
    assert client.get(reverse("cases:list"))["Location"].startswith(SETUP)


# --- the admin ----------------------------------------------------------------------------------------------


def test_the_admin_needs_a_verified_session(erin: User) -> None:
    assert client_for(erin).get("/admin/").status_code == 200
    unverified = client_for(erin, second_factor=False)  # password only: held at the second factor
    response = unverified.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_the_admin_refuses_staff_even_if_the_middleware_let_them_through(erin: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorMiddleware")]
    response = client_for(erin, second_factor=False).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client_for(erin).get("/admin/").status_code == 200


def test_the_admin_sign_in_is_revisios_own(db: None) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
