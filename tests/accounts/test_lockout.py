"""Repeated failed sign-ins lock one e-mail address from one client address for a while (django-axes)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from revisio.accounts.models import User
from revisio.accounts.services import api_token_create
from tests.accounts.support import HOME_IP, OTHER_IP, browser, settings_under, sign_in

LIMIT = 5  # REVISIO_LOCKOUT_FAILURES' default


def fail(client: Client, email: str, times: int = LIMIT) -> list[int]:
    return [sign_in(client, email, "not the password at all").status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_account_from_that_address(alice: User) -> None:
    client = browser()
    assert fail(client, alice.email, LIMIT - 1) == [200] * (LIMIT - 1)  # the form again, with an error
    last = sign_in(client, alice.email, "still not it")
    assert last.status_code == 429
    page = last.content.decode()
    assert "Too many failed attempts" in page
    assert re.search(r"Try again after \d\d:\d\d UTC", page)
    assert "reset your password" in page and reverse("accounts:password_reset") in page
    # Even the right password is refused now, with the same page (never a 500), and nobody is signed in.
    right = sign_in(client, alice.email)
    assert right.status_code == 429 and "Too many failed attempts" in right.content.decode()
    assert client.get(reverse("cases:list")).status_code == 302


def test_the_time_shown_is_when_the_lockout_ends(alice: User) -> None:
    client = browser()
    fail(client, alice.email)
    page = sign_in(client, alice.email).content.decode()
    ends = AccessAttempt.objects.get(username=alice.email).attempt_time + dt.timedelta(minutes=15)
    assert f"Try again after {ends.astimezone(dt.UTC):%H:%M} UTC" in page


def test_the_lockout_is_per_address_and_account(alice: User, bob: User) -> None:
    fail(browser(HOME_IP), alice.email)
    assert sign_in(browser(HOME_IP), alice.email).status_code == 429
    assert sign_in(browser(OTHER_IP), alice.email).status_code == 302  # alice, elsewhere
    assert sign_in(browser(HOME_IP), bob.email).status_code == 302  # someone else, same address


def test_capitals_in_the_address_count_as_the_same_account(alice: User) -> None:
    client = browser()
    variants = [
        "ALICE@example.org",
        "Alice@Example.org",
        " alice@EXAMPLE.org",
        "aLiCe@example.org",
        "alice@example.ORG",
    ]
    for variant in variants:
        sign_in(client, variant, "wrong password here")
    assert sign_in(client, alice.email).status_code == 429


def test_signing_in_works_again_after_the_cool_off(alice: User) -> None:
    client = browser()
    fail(client, alice.email)
    assert sign_in(client, alice.email).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=15, seconds=1))
    assert sign_in(client, alice.email).status_code == 302
    assert client.get(reverse("cases:list")).status_code == 200


def test_a_complete_sign_in_forgets_earlier_failures(alice: User) -> None:
    client = browser()
    fail(client, alice.email, LIMIT - 1)
    assert sign_in(client, alice.email).status_code == 302
    client.post(reverse("accounts:logout"))
    assert fail(client, alice.email, LIMIT - 1) == [200] * (LIMIT - 1)  # a fresh count, not locked at once


def test_password_reset_still_works_and_lifts_the_lockout(alice: User) -> None:
    client = browser()
    fail(client, alice.email)
    assert sign_in(client, alice.email).status_code == 429
    assert client.post(reverse("accounts:password_reset"), {"email": alice.email}).status_code == 302
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    form_page = client.get(link, follow=True)
    new_password = "a brand new passphrase 93"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")
    assert sign_in(client, alice.email, new_password).status_code == 302


def test_api_tokens_are_not_affected_by_a_lockout(alice: User) -> None:
    _token, secret = api_token_create(user=alice, name="script")
    fail(browser(), alice.email)
    assert sign_in(browser(), alice.email).status_code == 429
    assert Client(REMOTE_ADDR=HOME_IP, HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/cases").status_code == 200
    bad = Client(REMOTE_ADDR=HOME_IP, HTTP_AUTHORIZATION="Bearer rv_" + "x" * 40).get("/api/v1/cases")
    assert bad.status_code == 401


@pytest.mark.argon2
def test_passwords_are_still_checked_with_argon2(alice: User) -> None:
    assert alice.password.startswith("argon2")
    assert sign_in(browser(), alice.email).status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(alice: User, settings: pytest.FixtureRequest) -> None:
    """The client writes the first X-Forwarded-For entries itself; only the last one, added by the trusted
    proxy, counts, so rotating forged entries does not dodge the lockout."""
    settings.REVISIO_BEHIND_PROXY = True  # type: ignore[attr-defined]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(LIMIT):
        sign_in(Client(**proxy), alice.email, "wrong password here", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {HOME_IP}")
    assert sign_in(Client(**proxy), alice.email, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {HOME_IP}").status_code == 429
    assert sign_in(Client(**proxy), alice.email, HTTP_X_FORWARDED_FOR=OTHER_IP).status_code == 302


def test_without_a_proxy_forwarded_addresses_are_ignored(alice: User) -> None:
    for n in range(LIMIT):
        sign_in(browser(), alice.email, "wrong password here", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in(browser(), alice.email, HTTP_X_FORWARDED_FOR=OTHER_IP).status_code == 429


# The next two run in this order: the first leaves alice locked out, the second must not see it. Axes keeps its
# state in the database, which every test rolls back.
def test_isolation_first_locks_alice_out(alice: User) -> None:
    fail(browser(), alice.email)
    assert sign_in(browser(), alice.email).status_code == 429


def test_isolation_second_starts_clean(alice: User) -> None:
    assert AccessAttempt.objects.count() == 0
    assert sign_in(browser(), alice.email).status_code == 302


def test_lockout_settings_come_from_the_environment(tmp_path: Path) -> None:
    default = settings_under(tmp_path, {}, "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", "AXES_LOCKOUT_PARAMETERS")
    assert default == {
        "AXES_FAILURE_LIMIT": 5,
        "AXES_COOLOFF_TIME": str(dt.timedelta(minutes=15)),
        "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
    }
    env = {"REVISIO_LOCKOUT_FAILURES": "3", "REVISIO_LOCKOUT_MINUTES": "60"}
    custom = settings_under(tmp_path, env, "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME")
    assert custom == {"AXES_FAILURE_LIMIT": 3, "AXES_COOLOFF_TIME": str(dt.timedelta(hours=1))}


def test_the_limit_follows_the_setting(alice: User, settings: pytest.FixtureRequest) -> None:
    settings.AXES_FAILURE_LIMIT = 2  # type: ignore[attr-defined]
    client = browser()
    assert fail(client, alice.email, 1) == [200]
    assert sign_in(client, alice.email, "wrong password here").status_code == 429
    assert sign_in(client, alice.email).status_code == 429
