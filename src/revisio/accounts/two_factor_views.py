"""Two-factor sign-in: setting up an authenticator app, backup codes, turning it off, and the code step
after the password. ``TwoFactorMiddleware`` decides which of these pages a half-signed-in session may reach."""

from __future__ import annotations

import base64
import math
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from revisio.accounts import lockout, selectors, services
from revisio.accounts.forms import CodeForm, ConfirmDeviceForm, PasswordForm
from revisio.accounts.models import User
from revisio.accounts.selectors import SignInStep
from revisio.accounts.views import locked_out, next_url, password_failure_counts, session_is_verified
from revisio.web.errors import Conflict, InvalidInput


def qr_svg(device: TOTPDevice) -> SafeString:
    """The device's ``otpauth://`` address as an inline SVG QR code: drawn with fill and stroke attributes only,
    so the strict style policy allows it."""
    code = segno.make(device.config_url, error="m", micro=False)
    svg = code.svg_inline(scale=5, dark="#1d2330", light="#ffffff", title=_("QR code for your authenticator app"))
    return mark_safe(svg)  # segno escapes the title; the rest is path data it generated


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps ask for it when typed by hand: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _setup_page(request: HttpRequest, form: ConfirmDeviceForm | None = None, status: int = 200) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    # Reading the page makes (or reuses) the pending authenticator: it is idempotent, and harmless until confirmed.
    device = services.totp_device_start(user=user)
    context = {
        "enabled": False,
        "required": selectors.two_factor_required(user),
        "qr": qr_svg(device),
        "secret": secret_text(device),
        "form": form or ConfirmDeviceForm(user=user),
        "next": request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, ""),
    }
    return _private(render(request, "accounts/two_factor.html", context, status=status))


def _private(response: HttpResponse) -> HttpResponse:
    """The page shows a secret (the authenticator key or backup codes): no cache may keep a copy."""
    add_never_cache_headers(response)
    return response


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The "Two-factor sign-in" page of the profile: set-up while off, status and controls while on."""
    user: User = request.user  # type: ignore[assignment]
    if not selectors.two_factor_enabled(user):
        return _setup_page(request)
    context = {
        "enabled": True,
        "required": selectors.two_factor_required(user),
        "codes_left": selectors.backup_codes_left(user=user),
        "disable_form": PasswordForm(user=user),
    }
    return render(request, "accounts/two_factor.html", context)


@sensitive_post_parameters("password", "code")
@login_required
@require_POST
def two_factor_confirm(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if selectors.two_factor_enabled(user):
        return redirect("accounts:two_factor")  # confirmed already, perhaps in another tab
    form = ConfirmDeviceForm(request.POST, user=user)
    if not form.is_valid():
        return password_failure_counts(request, form) or _setup_page(request, form, status=400)
    try:
        device, codes = services.totp_device_confirm(user=user, code=form.cleaned_data["code"])
    except InvalidInput as error:
        form.add_error("code", error.message)
        return _setup_page(request, form, status=400)
    except Conflict as error:
        messages.info(request, error.message)
        return redirect("accounts:two_factor")
    # The session now has both factors: a new session key, so an id known before cannot ride on it.
    request.session.cycle_key()
    otp_login(request, device)
    messages.success(request, _("Two-factor sign-in is on."))
    return _private(render(request, "accounts/backup_codes.html", {"codes": codes, "next": next_url(request)}))


def _verified_or_verify(request: HttpRequest) -> HttpResponse | None:
    if session_is_verified(request):
        return None
    return redirect(reverse("accounts:two_factor_verify") + "?" + urlencode({REDIRECT_FIELD_NAME: request.path}))


@login_required
@require_POST
def backup_codes_replace(request: HttpRequest) -> HttpResponse:
    if refused := _verified_or_verify(request):
        return refused
    try:
        codes = services.backup_codes_replace(user=request.user)  # type: ignore[arg-type]
    except Conflict as error:
        messages.info(request, error.message)
        return redirect("accounts:two_factor")
    messages.success(request, _("New backup codes are made; the old ones no longer work."))
    context = {"codes": codes, "next": reverse("accounts:two_factor")}
    return _private(render(request, "accounts/backup_codes.html", context))


@sensitive_post_parameters("password")
@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    if refused := _verified_or_verify(request):
        return refused
    user: User = request.user  # type: ignore[assignment]
    form = PasswordForm(request.POST, user=user)
    if not form.is_valid():
        if response := password_failure_counts(request, form):
            return response
        context = {
            "enabled": True,
            "required": selectors.two_factor_required(user),
            "codes_left": selectors.backup_codes_left(user=user),
            "disable_form": form,
        }
        return render(request, "accounts/two_factor.html", context, status=400)
    services.two_factor_disable(user=user)
    if selectors.two_factor_required(user):
        messages.warning(request, _("Two-factor sign-in is off. Your role needs it: set up an authenticator app now."))
    else:
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts:two_factor")


def _wrong_code_message(check: services.CodeCheck) -> str:
    if check.retry_at is not None:
        seconds = max(1, math.ceil((check.retry_at - timezone.now()).total_seconds()))
        return _("Too many wrong codes in a row: wait %(seconds)s seconds, then try again.") % {"seconds": seconds}
    return _("This code is not right. Try the code your app shows now, or a backup code.")


@sensitive_post_parameters("code")
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code step after the password. Wrong codes count towards the same lockout as wrong passwords, and
    each device also makes the next try wait longer after each wrong code (django-otp's throttling)."""
    user: User = request.user  # type: ignore[assignment]
    verified = bool(getattr(user, "is_verified", lambda: False)())
    step = selectors.sign_in_step(user=user, verified=verified)
    if step is SignInStep.NEEDS_SETUP:
        return redirect(reverse("accounts:two_factor") + "?" + urlencode({REDIRECT_FIELD_NAME: next_url(request)}))
    if step is SignInStep.COMPLETE:
        return redirect(next_url(request))
    if lockout.is_locked_out(request, email=user.email):
        logout(request)
        return locked_out(request, None, {"username": user.email})
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        check = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        if check.device is not None:
            request.session.cycle_key()
            otp_login(request, check.device)
            lockout.failures_forget(request, email=user.email)
            if isinstance(check.device, StaticDevice):
                messages.warning(request, _backup_code_used_message(user))
            return redirect(next_url(request))
        if check.retry_at is None and lockout.failure_record(request, email=user.email):
            logout(request)
            return locked_out(request, None, {"username": user.email})
        form.add_error("code", _wrong_code_message(check))
        status = 400
    context: dict[str, Any] = {
        "form": form,
        "next": request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, ""),
    }
    return render(request, "accounts/two_factor_verify.html", context, status=status)


def _backup_code_used_message(user: User) -> str:
    left = selectors.backup_codes_left(user=user)
    return ngettext(
        "You signed in with a backup code; it cannot be used again. %(left)s is left: make new ones on the "
        "two-factor page.",
        "You signed in with a backup code; it cannot be used again. %(left)s are left: make new ones on the "
        "two-factor page if you are running out.",
        left,
    ) % {"left": left}
