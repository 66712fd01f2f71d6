"""Receivers for Django's authentication signals (connected in ``AccountsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from revisio.accounts.middleware import session_times_start


def session_clock_start(sender: object, request: HttpRequest | None, user: object, **kwargs: Any) -> None:
    """Every sign-in starts the session's absolute and idle clocks (``SessionExpiryMiddleware``)."""
    if request is not None and hasattr(request, "session"):
        session_times_start(request)
