"""On PostgreSQL, the database itself refuses to change or delete audit entries.

The one UPDATE let through is redaction (``audit.services.forget_case``/``forget_user``): it needs the
transaction-local setting ``revisio.audit_redaction = on``, must blank every content column and mark the
entry redacted, and must leave the place, time and hashes as they were. A chain's head may only move on
by one, to an entry that exists with that hash, or be marked forgotten. SQLite has no such triggers: there
the models' own refusals are the only guard (docs/audit.md).
"""

from django.db import migrations

ENTRY_GUARD = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND current_setting('revisio.audit_redaction', true) = 'on'
        AND NOT OLD.redacted AND NEW.redacted AND NEW.redacted_at IS NOT NULL
        AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.chain = OLD.chain AND NEW.seq = OLD.seq
        AND NEW.content_sha256 = OLD.content_sha256 AND NEW.entry_sha256 = OLD.entry_sha256
        AND NEW.actor_id IS NULL AND NEW.status IS NULL AND NEW.detail = '{}'::jsonb
        AND NEW.actor_kind = '' AND NEW.actor_role = '' AND NEW.action = '' AND NEW.route = ''
        AND NEW.method = '' AND NEW.object_type = '' AND NEW.object_id = '' AND NEW.part = ''
        AND NEW.ip = '' AND NEW.user_agent = '' AND NEW.token = ''
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % of entry % refused', TG_OP, OLD.id;
END;
$$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();

CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.chain = OLD.chain AND (
        (NEW.seq = OLD.seq + 1 AND NEW.forgotten = OLD.forgotten AND EXISTS (
            SELECT 1 FROM audit_auditentry e
            WHERE e.chain = NEW.chain AND e.seq = NEW.seq AND e.entry_sha256 = NEW.entry_sha256))
        OR (NEW.seq = OLD.seq AND NEW.entry_sha256 = OLD.entry_sha256 AND NEW.forgotten AND NOT OLD.forgotten)
    ) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit chain heads only move forward: % of head % refused', TG_OP, OLD.chain;
END;
$$;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
"""

DROP_GUARD = """
DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_auditchainhead;
DROP FUNCTION IF EXISTS audit_head_forward_only();
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


def _on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: RAISE uses % itself

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(ENTRY_GUARD), _on_postgresql(DROP_GUARD))]
