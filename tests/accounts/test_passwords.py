"""Weak passwords are refused wherever a password is chosen: sign-up, password change and password reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from revisio.accounts.models import User
from revisio.accounts.services import user_create
from tests.cast import PASSWORD, client_for

NAME, EMAIL = "Hyacinth Bucketworth", "marguerite.vanderbilt@example.org"
WEAK = {
    "too short (9 characters)": ("Zq7#kLm2x", "too short"),
    "common": ("qwertyuiop", "too common"),
    "all digits": ("8203917465", "entirely numeric"),
    "like the e-mail address": ("marguerite.vanderbilt", "too similar"),
    "like the name": ("bucketworth!", "too similar"),
}
STRONG = "plum orchard lantern 58"


@pytest.mark.parametrize(("password", "reason"), WEAK.values(), ids=WEAK.keys())
def test_sign_up_refuses(password: str, reason: str, db: None) -> None:
    response = Client().post(
        reverse("accounts:signup"),
        {
            "email": EMAIL,
            "display_name": NAME,
            "role": "patient",
            "password1": password,
            "password2": password,
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not User.objects.filter(email=EMAIL).exists()


def test_sign_up_accepts_a_strong_password(db: None) -> None:
    data = {"email": EMAIL, "display_name": NAME, "role": "patient", "time_zone": "UTC"}
    response = Client().post(reverse("accounts:signup"), data | {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    assert User.objects.get(email=EMAIL).check_password(STRONG)


@pytest.fixture
def hyacinth(db: None) -> User:
    return user_create(email=EMAIL, password=PASSWORD, display_name=NAME)


@pytest.mark.parametrize(("password", "reason"), WEAK.values(), ids=WEAK.keys())
def test_password_change_refuses(password: str, reason: str, hyacinth: User) -> None:
    response = client_for(hyacinth).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    hyacinth.refresh_from_db()
    assert hyacinth.check_password(PASSWORD)


def test_password_change_accepts_a_strong_password(hyacinth: User) -> None:
    client = client_for(hyacinth)
    data = {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG}
    response = client.post(reverse("accounts:password_change"), data)
    assert response.status_code == 302
    hyacinth.refresh_from_db()
    assert hyacinth.check_password(STRONG)
    assert client.get(reverse("accounts:profile")).status_code == 200  # this session stays signed in


def test_password_change_needs_the_current_password(hyacinth: User) -> None:
    data = {"old_password": "not my password", "new_password1": STRONG, "new_password2": STRONG}
    response = client_for(hyacinth).post(reverse("accounts:password_change"), data)
    assert response.status_code == 200
    hyacinth.refresh_from_db()
    assert hyacinth.check_password(PASSWORD)


def _reset_form(client: Client, user: User) -> str:
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    return str(client.get(link, follow=True).redirect_chain[-1][0])


@pytest.mark.parametrize(("password", "reason"), WEAK.values(), ids=WEAK.keys())
def test_password_reset_refuses(password: str, reason: str, hyacinth: User) -> None:
    client = Client()
    form = _reset_form(client, hyacinth)
    response = client.post(form, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert reason in response.content.decode()
    hyacinth.refresh_from_db()
    assert hyacinth.check_password(PASSWORD)


def test_password_reset_accepts_a_strong_password(hyacinth: User) -> None:
    client = Client()
    response = client.post(_reset_form(client, hyacinth), {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    hyacinth.refresh_from_db()
    assert hyacinth.check_password(STRONG)
