"""Thin adapters from Django's sign-in signals to the audit trail's services (no logic of their own)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from revisio.audit import services
from revisio.audit.models import Action


@receiver(user_logged_in, dispatch_uid="audit-sign-in")
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.account_event_record(user=user, action=Action.SIGN_IN, request=request)


@receiver(user_logged_out, dispatch_uid="audit-sign-out")
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.account_event_record(user=user, action=Action.SIGN_OUT, request=request)


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def _sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    address = credentials.get("username") or credentials.get("email") or ""
    services.sign_in_failed_record(address=str(address), request=request)
