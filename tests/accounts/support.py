"""Signing in through the real pages, and codes computed from an authenticator's key as the app would."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from revisio.accounts.models import User
from tests.cast import PASSWORD

HOME_IP = "203.0.113.7"  # documentation addresses (RFC 5737)
OTHER_IP = "198.51.100.9"


def browser(ip: str = HOME_IP) -> Client:
    return Client(REMOTE_ADDR=ip)


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra: str) -> HttpResponse:
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, **extra)  # type: ignore[arg-type]


def code_at(device: TOTPDevice, when: float | None = None) -> str:
    """The six digits the authenticator shows at Unix time ``when`` (now by default)."""
    step = int(((time.time() if when is None else when) - device.t0) // device.step)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def usable_code(device: TOTPDevice) -> str:
    """The code of the current step, or of the next one if the current step's code was used already (a code
    is accepted once; the next step's code is within the tolerance of one step)."""
    device.refresh_from_db()
    now_step = int((time.time() - device.t0) // device.step)
    step = max(now_step, device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def enter_code(client: Client, code: str, next_url: str = "") -> HttpResponse:
    data = {"code": code, "next": next_url} if next_url else {"code": code}
    return client.post(reverse("accounts:two_factor_verify"), data)


def wait_out_throttling(user: User) -> None:
    """As if the person waited after wrong codes: django-otp makes each next try wait 1, 2, 4... seconds."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user, throttling_failure_timestamp__isnull=False).update(
            throttling_failure_timestamp=timezone.now() - dt.timedelta(days=1)
        )


def set_up_authenticator(client: Client, password: str = PASSWORD) -> tuple[TOTPDevice, list[str]]:
    """Go through the set-up page as a person would; returns the confirmed device and the backup codes."""
    page = client.get(reverse("accounts:two_factor"))
    assert page.status_code == 200, page.status_code
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    done = client.post(reverse("accounts:two_factor_confirm"), {"code": code_at(device), "password": password})
    assert done.status_code == 200, done.content.decode()[:2000]
    device.refresh_from_db()
    assert device.confirmed
    return device, list(done.context["codes"])


def settings_under(data_dir: Path, env: dict[str, str], *names: str) -> dict[str, Any]:
    """Settings as a fresh process reads them from ``env`` (with a data folder of its own), as JSON values."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("REVISIO_")}
    clean |= {"REVISIO_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "revisio.web.settings", **env}
    script = (
        "import json, sys\n"
        "from django.conf import settings\n"
        "print(json.dumps({name: getattr(settings, name, None) for name in sys.argv[1:]}, default=str))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *names], env=clean, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
