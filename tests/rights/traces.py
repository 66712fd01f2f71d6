"""Looking for anything left of a deleted account: every row of every model, and the media folder."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models

from revisio.accounts.models import User
from revisio.cases.models import Case

_TEXT = (models.CharField, models.TextField, models.JSONField)


def _blanked(row: dict[str, object]) -> bool:
    """A redacted audit entry or a forgotten chain keeps the chain's name (which holds the case's random
    ID) so the hash chain still verifies, and nothing else."""
    return bool(row.get("redacted") or row.get("forgotten"))


def row_traces(*, user_id: int, email: str, case_ids: list[uuid.UUID], keep_audit_actor: bool = False) -> list[str]:
    """Every row that still points at the user or one of the cases (foreign keys, many-to-many through
    rows, UUID columns), holds the e-mail address or a case ID in a text or JSON column, or is a session
    of the user. ``keep_audit_actor``: entries of what the person did to *other* patients' cases may
    keep their account ID (the audit trail's design; see ``revisio.rights.erasure``)."""
    found = []
    needles = [email.lower()] + [str(c) for c in case_ids] + [c.hex for c in case_ids]
    for model in apps.get_models(include_auto_created=True):
        label, manager = model._meta.label, model._base_manager
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is User and manager.filter(**{field.attname: user_id}).exists():
                found.append(f"{label}.{field.name} points at the user")
            if target is Case and manager.filter(**{f"{field.attname}__in": case_ids}).exists():
                found.append(f"{label}.{field.name} points at a case")
            if isinstance(field, models.UUIDField) and manager.filter(**{f"{field.attname}__in": case_ids}).exists():
                found.append(f"{label}.{field.name} holds a case ID")
        text = [f.attname for f in model._meta.concrete_fields if isinstance(f, _TEXT) and not f.is_relation]
        flags = [f for f in ("redacted", "forgotten") if any(x.name == f for x in model._meta.concrete_fields)]
        if not text:
            continue
        for row in manager.values("pk", *text, *flags):
            if _blanked(row):
                continue
            dumped = json.dumps(row, default=str, ensure_ascii=False).lower()
            found += [f"{label} row {row['pk']} holds {needle!r}" for needle in needles if needle in dumped]
    for session in Session.objects.all():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            found.append(f"session {session.session_key[:6]}… is the user's")
    if apps.is_installed("revisio.audit") and not keep_audit_actor:
        entry = apps.get_model("audit", "AuditEntry")
        if entry._base_manager.filter(actor_id=user_id, redacted=False).exists():
            found.append("an audit entry still names the user as its actor")
    return found


def media_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")} if root.exists() else set()
