"""New audit entries arrive unsealed, and on PostgreSQL dated by the database.

Only the sealing step may give an entry its place in the chain; an INSERT that
brings its own seq or hashes is refused (or, on PostgreSQL, has them cleared).
On PostgreSQL the entry's time is the database's, so the application's user
cannot backdate an entry.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION audit_entry_arrives_unsealed() RETURNS trigger AS $$
BEGIN
    NEW.seq := NULL;
    NEW.prev_hash := '';
    NEW.entry_hash := '';
    NEW."timestamp" := now();
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_unsealed_on_insert BEFORE INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_arrives_unsealed();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_entry_unsealed_on_insert ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_arrives_unsealed();
"""
SQLITE_UP = """
CREATE TRIGGER audit_entry_unsealed_on_insert BEFORE INSERT ON audit_auditentry
WHEN NEW.seq IS NOT NULL OR NEW.prev_hash != '' OR NEW.entry_hash != ''
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: a new entry cannot arrive sealed'); END
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_entry_unsealed_on_insert"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_protect_actors")]

    operations = [migrations.RunPython(install, remove)]
