"""Entries cannot be changed or deleted: by the models everywhere, and on PostgreSQL by the database itself,
except through redaction (blank content, hashes kept)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from revisio.accounts.models import User
from revisio.audit.models import AppendOnlyError, AuditChainHead, AuditEntry
from revisio.cases.models import Case
from tests.cast import client_for

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no triggers here: the models are the only guard"
)


@pytest.fixture
def entry(alice: User, case: Case) -> AuditEntry:
    client_for(alice).get(reverse("cases:detail", args=[case.pk]))
    return AuditEntry.objects.filter(chain=f"case:{case.pk}").latest("seq")


def test_the_models_refuse_changes_and_deletions(entry: AuditEntry) -> None:
    entry.action = "write"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="write")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["action"])
    entry.refresh_from_db()
    assert entry.action == "read"


def _refused(sql: str, params: list[object]) -> None:
    refusal = r"append-only|only move forward"
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@postgresql_only
def test_postgresql_refuses_updates_and_deletes(entry: AuditEntry) -> None:
    _refused("UPDATE audit_auditentry SET action = 'write' WHERE id = %s", [entry.pk])
    _refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    # A redaction-shaped update without the redaction setting, and one with it that keeps content:
    blank = (
        "UPDATE audit_auditentry SET redacted = true, redacted_at = now(), actor_id = NULL, actor_kind = '',"
        " actor_role = '', action = '', route = '', method = '', object_type = '', object_id = '', part = '',"
        " ip = '', user_agent = '', token = '', status = NULL, detail = '{}' WHERE id = %s"
    )
    _refused(blank, [entry.pk])
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('revisio.audit_redaction', 'on', true)")
        _refused("UPDATE audit_auditentry SET redacted = true, redacted_at = now() WHERE id = %s", [entry.pk])
        _refused(blank.replace("redacted = true,", "redacted = true, content_sha256 = 'x',"), [entry.pk])
        with connection.cursor() as cursor:
            cursor.execute(blank, [entry.pk])  # the one change allowed
    entry.refresh_from_db()
    assert entry.redacted and entry.is_blank


@postgresql_only
def test_postgresql_keeps_chain_heads_moving_forward_only(entry: AuditEntry) -> None:
    head = AuditChainHead.objects.get(pk=entry.chain)
    _refused("UPDATE audit_auditchainhead SET seq = seq - 1 WHERE chain = %s", [head.chain])
    _refused("UPDATE audit_auditchainhead SET seq = seq + 1 WHERE chain = %s", [head.chain])  # no such entry
    _refused("DELETE FROM audit_auditchainhead WHERE chain = %s", [head.chain])
    head.refresh_from_db()
    assert (head.seq, head.entry_sha256) == (entry.seq, entry.entry_sha256)
