"""Per-request account behaviour: the signed-in user's time zone and language, session expiry, and the
second sign-in step."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from revisio.accounts.selectors import SignInStep, sign_in_step


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            explicit = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            preferred = next((lang for lang in user.languages if lang in self.languages), None)
            if not explicit and preferred:
                translation.activate(preferred)
                request.LANGUAGE_CODE = preferred
        else:
            timezone.deactivate()
        return self.get_response(request)


# Session keys holding Unix times (whole seconds): when the password was entered, when the session last did anything.
SIGNED_IN_AT = "revisio_signed_in_at"
LAST_SEEN_AT = "revisio_last_seen_at"
# Writing the session on every request would cost a write per page; activity is recorded at most this often.
LAST_SEEN_RESOLUTION_SECONDS = 60
API_PREFIX = "/api/"


def session_times_start(request: HttpRequest) -> None:
    now = int(timezone.now().timestamp())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class SessionExpiryMiddleware:
    """End a session ``REVISIO_SESSION_SECONDS`` after sign-in however busy it is, and after
    ``REVISIO_SESSION_IDLE_SECONDS`` without a request. Django's own cookie age slides with every session
    write, so it cannot enforce the first; neither can a cookie enforce the second on a stolen cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            signed_in_at = request.session.get(SIGNED_IN_AT)
            last_seen_at = request.session.get(LAST_SEEN_AT, signed_in_at)
            if signed_in_at is None or last_seen_at is None:
                session_times_start(request)  # a session from before these keys existed: count from now
            elif now - signed_in_at >= settings.SESSION_COOKIE_AGE:
                self._end(request, _("You were signed out because your session is over. Sign in again."))
            elif now - last_seen_at >= settings.REVISIO_SESSION_IDLE_SECONDS:
                self._end(request, _("You were signed out after a while without activity. Sign in again."))
            elif now - last_seen_at >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, message: str) -> None:
        logout(request)
        if not request.path_info.startswith(API_PREFIX):
            messages.info(request, message)


class TwoFactorMiddleware:
    """Hold a half-signed-in session at the second factor.

    After the password, an account with an authenticator reaches only the code page, and a coordinator,
    clinician or staff member without one only the set-up page, until that step is done; sign-out, the
    sign-in and password-reset pages, the language switch and static files stay open. The JSON API treats
    such a session as no session at all, so only personal access tokens (which are not affected) work there.
    Precondition: runs after ``AuthenticationMiddleware`` and ``OTPMiddleware``.
    """

    OPEN = frozenset(
        {
            "accounts:login",
            "accounts:logout",
            "accounts:password_reset",
            "accounts:password_reset_done",
            "accounts:password_reset_confirm",
            "accounts:password_reset_complete",
            "set_language",
        }
    )
    STEP_PAGES = {
        SignInStep.NEEDS_CODE: ("accounts:two_factor_verify", frozenset({"accounts:two_factor_verify"})),
        SignInStep.NEEDS_SETUP: (
            "accounts:two_factor",
            frozenset({"accounts:two_factor", "accounts:two_factor_confirm"}),
        ),
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            verified = bool(getattr(user, "is_verified", lambda: False)())
            step = sign_in_step(user=user, verified=verified)  # type: ignore[arg-type]
            if step is not SignInStep.COMPLETE:
                if request.path_info.startswith(API_PREFIX):
                    request.user = AnonymousUser()
                else:
                    page, allowed = self.STEP_PAGES[step]
                    if not self._open(request, allowed):
                        return self._to(page, request)
        return self.get_response(request)

    def _open(self, request: HttpRequest, allowed: frozenset[str]) -> bool:
        if request.path_info.startswith(self.static_prefix):
            return True
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return False
        return name in self.OPEN or name in allowed

    @staticmethod
    def _to(page: str, request: HttpRequest) -> HttpResponse:
        url = reverse(page)
        if request.method == "GET":
            url += "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return redirect(url)
