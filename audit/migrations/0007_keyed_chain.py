"""The keyed chain: a row MAC on every entry and the id of the key that sealed it.

Entries already in the trail keep their unkeyed SHA-256 links. Entries written
but not yet sealed are sealed here the old way first, so every entry after this
migration is written with a row MAC and sealed with a key (stop the app servers
and their timed jobs while migrating: an older process would write entries with
no row MAC, which the new sealer keeps out of the chain).

The triggers change with the columns: sealing now also sets seal_key (once, as
it sets seq and the hashes); a new entry cannot arrive with one; and the row
MAC, like every other column, can never change.
"""

import datetime
import hashlib
import json
import uuid

from django.db import migrations, models

GENESIS = "0" * 64
HASH_COLUMNS = ("seq", "prev_hash", "entry_hash", "seal_key")
PREVIOUS_HASH_COLUMNS = ("seq", "prev_hash", "entry_hash")
# The columns of the unkeyed links, as audit/chain.py has them (copied: a
# migration does not import the app's code).
LEGACY_HASHED_COLUMNS = (
    "id", "content_type_id", "object_pk", "object_id", "object_repr", "serialized_data", "action",
    "changes_text", "changes", "actor_id", "cid", "remote_addr", "remote_port", "timestamp",
    "additional_data", "actor_email", "event", "child_id", "staff_member_id", "tier", "reason",
    "request_id", "seq",
)

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'entry_hash' - 'seal_key')
           = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'entry_hash' - 'seal_key') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION audit_entry_arrives_unsealed() RETURNS trigger AS $$
BEGIN
    NEW.seq := NULL;
    NEW.prev_hash := '';
    NEW.entry_hash := '';
    NEW.seal_key := '';
    NEW."timestamp" := now();
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
# As migrations 0003 and 0006 left them.
POSTGRES_PREVIOUS = """
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
CREATE OR REPLACE FUNCTION audit_entry_arrives_unsealed() RETURNS trigger AS $$
BEGIN
    NEW.seq := NULL;
    NEW.prev_hash := '';
    NEW.entry_hash := '';
    NEW."timestamp" := now();
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    "DROP TRIGGER IF EXISTS audit_entry_unsealed_on_insert",
]


def sqlite_triggers(columns, hash_columns):
    others = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in columns if c not in hash_columns)
    arrives_sealed = " OR ".join(
        ["NEW.seq IS NOT NULL"] + [f"NEW.{c} != ''" for c in hash_columns if c != "seq"]
    )
    return [
        """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END""",
        f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
           WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR {others}
           BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END""",
        f"""CREATE TRIGGER audit_entry_unsealed_on_insert BEFORE INSERT ON audit_auditentry
           WHEN {arrives_sealed}
           BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: a new entry cannot arrive sealed'); END""",
    ]


def _install(apps, schema_editor, *, postgres, hash_columns):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres, params=None)  # the % in it is not a parameter
    elif vendor == "sqlite":
        model = apps.get_model("audit", "AuditEntry")
        for statement in SQLITE_DROP + sqlite_triggers([f.column for f in model._meta.concrete_fields], hash_columns):
            schema_editor.execute(statement)


def install_keyed(apps, schema_editor):
    _install(apps, schema_editor, postgres=POSTGRES_UP, hash_columns=HASH_COLUMNS)


def install_previous(apps, schema_editor):
    _install(apps, schema_editor, postgres=POSTGRES_PREVIOUS, hash_columns=PREVIOUS_HASH_COLUMNS)


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, uuid.UUID | datetime.date):
        return str(value)
    return value


def seal_written_entries(apps, schema_editor):
    """Seal entries written before this migration with unkeyed links, as the
    sealer of the release before did."""
    model = apps.get_model("audit", "AuditEntry")
    alias = schema_editor.connection.alias
    head = model.objects.using(alias).filter(seq__gt=0).order_by("-seq").values_list("seq", "entry_hash").first()
    seq, prev = head if head else (0, GENESIS)
    for entry in model.objects.using(alias).filter(seq__isnull=True).order_by("id").iterator():
        seq += 1
        entry.seq = seq
        data = {name: _plain(getattr(entry, name)) for name in LEGACY_HASHED_COLUMNS}
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()
        entry_hash = hashlib.sha256(prev.encode() + b"\n" + canonical).hexdigest()
        model.objects.using(alias).filter(pk=entry.pk).update(seq=seq, prev_hash=prev, entry_hash=entry_hash)
        prev = entry_hash


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_insert_guard")]

    operations = [
        # Undone last: once the columns are gone, the triggers as they were.
        migrations.RunPython(migrations.RunPython.noop, install_previous),
        migrations.RunPython(seal_written_entries, migrations.RunPython.noop),
        migrations.AddField(
            model_name="auditentry",
            name="mac",
            field=models.CharField(blank=True, editable=False, max_length=160),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seal_key",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("mac", ""), _negated=True), fields=("mac",), name="audit_mac_once"
            ),
        ),
        migrations.RunPython(install_keyed, migrations.RunPython.noop),
    ]
