"""What the audit tests share: reading a chain, and tampering with it as someone with database access."""

from __future__ import annotations

from typing import Any

from django.db import connection

from revisio.audit.models import AuditEntry


def chain_of(case: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(chain=f"case:{case.pk}").order_by("seq"))


def user_chain_of(user: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(chain=f"user:{user.pk}").order_by("seq"))


def new_entries(since: int) -> list[AuditEntry]:
    """Every entry written after the entry with ID ``since`` (0 for all), oldest first."""
    return list(AuditEntry.objects.filter(pk__gt=since).order_by("pk"))


def last_id() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Run ``sql`` as an administrator with database access would: on PostgreSQL with the append-only
    triggers switched off (DDL is transactional, so the test's rollback switches them on again)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditchainhead DISABLE TRIGGER USER")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditchainhead ENABLE TRIGGER USER")
