"""How django-axes identifies a sign-in attempt, and the record of failures it keeps.

A lockout is per e-mail address *and* client address (``AXES_LOCKOUT_PARAMETERS``): an attacker guessing one
person's password from one place is stopped, while the person can still sign in from elsewhere, and no one
can lock everybody out of an account from a single machine.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max
from django.http import HttpRequest


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The e-mail address an attempt was for, lower-cased as accounts store it, so that ``Alice@`` and
    ``alice@`` count as the same account."""
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = getattr(request, "POST", {}).get("username", "")
    return str(raw or "").strip().lower()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind a trusted proxy (``REVISIO_BEHIND_PROXY``) the last
    ``X-Forwarded-For`` entry, which that proxy appended. Earlier entries come from the client and could be
    forged to dodge the lockout, so they are never used."""
    if getattr(settings, "REVISIO_BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and _is_ip(forwarded[-1]):
            return forwarded[-1]
    remote = request.META.get("REMOTE_ADDR")
    return remote if remote and _is_ip(remote) else None


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_locked_out(request: HttpRequest, *, email: str) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": email}))


def failure_record(request: HttpRequest, *, email: str) -> bool:
    """Count a failed second step (a wrong code) like a wrong password; True if that locked the account
    out from this address. Precondition: ``request`` went through ``AxesMiddleware``'s stack."""
    user_login_failed.send(sender=__name__, credentials={"username": email}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def failures_forget(request: HttpRequest, *, email: str) -> None:
    """Forget failed attempts for this address and e-mail after a complete sign-in (password and, when the
    account has one, the second factor). A correct password alone does not, or someone who knows it could
    reset the count of wrong codes again and again."""
    AxesProxyHandler.reset_attempts(ip_address=client_ip(request), username=email)


def failures_forget_everywhere(*, email: str) -> None:
    """After a password reset the owner of the mailbox has proved who they are: unlock from every address."""
    AxesProxyHandler.reset_attempts(username=email)


def lockout_ends_at(request: HttpRequest, *, email: str) -> dt.datetime | None:
    """When the latest failure for this e-mail and address stops counting (aware UTC), or None."""
    latest = AccessAttempt.objects.filter(username=email, ip_address=client_ip(request)).aggregate(
        latest=Max("attempt_time")
    )["latest"]
    cool_off = get_cool_off(request)
    if latest is None or cool_off is None:
        return None
    ends: dt.datetime = latest + cool_off
    return ends
