"""``manage check`` fails when the audit middleware is missing: accesses would then be recorded without
where they came from, and a download's entry would not say what was downloaded."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

MIDDLEWARE = "revisio.audit.middleware.AuditMiddleware"


@register(Tags.security)
def audit_middleware_installed(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [Error(f"{MIDDLEWARE} is not in MIDDLEWARE", hint="add it after AuthenticationMiddleware", id="audit.E001")]
