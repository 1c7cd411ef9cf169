"""Audit entries are append-only: the database refuses UPDATE, DELETE and TRUNCATE.

The one change allowed is sealing: setting seq, prev_hash and entry_hash once,
on an entry that has none yet, with every other column unchanged.
"""

from django.db import migrations

HASH_COLUMNS = ("seq", "prev_hash", "entry_hash")

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'entry_hash')
           = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'entry_hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_entry_no_change ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


def sqlite_up(columns: list[str]) -> list[str]:
    others = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in columns if c not in HASH_COLUMNS)
    return [
        """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END""",
        f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
           WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR {others}
           BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END""",
    ]


SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)  # the % in it is not a parameter
    elif vendor == "sqlite":
        model = apps.get_model("audit", "AuditEntry")
        for statement in sqlite_up([f.column for f in model._meta.concrete_fields]):
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_fields")]

    operations = [migrations.RunPython(install, remove)]
