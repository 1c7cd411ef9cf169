"""The trail is append-only and chained: tampering of any kind is found and named."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit import chain
from audit.models import AuditEntry, Event
from audit.services import audit_event
from records.models import Child, Room
from tests.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def triggers_disabled() -> Iterator[None]:
    """What an attacker with the database owner's rights could do. Rolled back with the test."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of this test's own inserts must run first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            yield
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditentry'"
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield
            for _name, sql in triggers:
                cursor.execute(sql)


def sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def make_entries(n: int) -> list[AuditEntry]:
    """A trail of exactly n sealed entries."""
    content_type = ContentType.objects.get_for_model(Child)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            content_type=content_type,
            object_pk=str(i),
            object_repr=f"child {i}",
            action=3,
            event=Event.VIEWED,
            reason=f"entry {i}",
        )
        for i in range(n)
    )
    chain.seal_pending()
    entries = list(AuditEntry.objects.order_by("seq"))
    assert len(entries) == n
    return entries


def verify_output() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


def test_an_untouched_chain_of_ten_thousand_entries_verifies() -> None:
    make_entries(10_000)
    code, output = verify_output()
    assert code == 0
    assert "The audit trail is intact: 10000 entries checked." in output


def test_entries_are_sealed_in_order_each_naming_the_one_before() -> None:
    entries = make_entries(5)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.entry_hash for a, b in zip(entries, entries[1:], strict=False))


def test_a_changed_entry_is_named() -> None:
    entries = make_entries(6)
    with triggers_disabled():
        sql("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["nothing to see", entries[3].pk])
    code, message = verify_output()
    assert code == 1
    assert f"entry #4 (id {entries[3].pk}," in message and "has been changed" in message


def test_a_removed_entry_is_named() -> None:
    entries = make_entries(6)
    with triggers_disabled():
        sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    code, message = verify_output()
    assert code == 1
    assert "entry #3 is missing" in message and f"id {entries[3].pk}" in message


def test_an_inserted_entry_is_named() -> None:
    entries = make_entries(6)
    forged = AuditEntry(
        content_type=entries[0].content_type,
        object_pk="x",
        object_repr="x",
        action=3,
        event=Event.VIEWED,
        reason="forged",
        timestamp=entries[2].timestamp,
    )
    with triggers_disabled():
        # Make room after #3 and put a forged entry there, hashed as the real ones are
        # (by someone who holds the audit key as well as the owner's rights).
        for entry in reversed(entries[3:]):
            sql("UPDATE audit_auditentry SET seq = seq + 1 WHERE id = %s", [entry.pk])
        forged.seq, forged.prev_hash, forged.seal_key = 4, entries[2].entry_hash, entries[2].seal_key
        AuditEntry.objects.bulk_create([forged])
        forged = AuditEntry.objects.get(reason="forged")
        sql(
            "UPDATE audit_auditentry SET entry_hash = %s WHERE id = %s",
            [chain.link(forged, forged.prev_hash), forged.pk],
        )
    code, message = verify_output()
    assert code == 1
    assert f"id {forged.pk}" in message and "was inserted" in message


def test_two_reordered_entries_are_named() -> None:
    entries = make_entries(6)
    a, b = entries[2], entries[3]
    with triggers_disabled():
        sql("UPDATE audit_auditentry SET seq = -1 WHERE id = %s", [a.pk])
        sql("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [a.seq, b.pk])
        sql("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [b.seq, a.pk])
    code, message = verify_output()
    assert code == 1
    assert "out of order" in message and f"id {a.pk}" in message and f"id {b.pk}" in message


def test_the_database_refuses_to_change_or_delete_an_entry() -> None:
    entries = make_entries(2)
    user = UserFactory()
    audit_event(actor=user, event=Event.VIEWED, obj=user, tier="")  # not sealed yet: sealing waits for commit
    assert AuditEntry.objects.filter(seq__isnull=True).exists()
    for statement, params in [
        ("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", [entries[0].pk]),
        ("DELETE FROM audit_auditentry WHERE id = %s", [entries[0].pk]),
        # Even an unsealed entry may only be sealed, not edited.
        ("UPDATE audit_auditentry SET reason = 'x', seq = 99 WHERE seq IS NULL", []),
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            sql(statement, params)
    assert AuditEntry.objects.filter(reason="x").count() == 0
    # Sealing, the one change allowed, still works.
    assert chain.seal_pending() >= 1


def test_the_database_refuses_to_empty_the_trail() -> None:
    make_entries(1)
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        statement = "TRUNCATE audit_auditentry"
    else:
        statement = "DELETE FROM audit_auditentry"  # SQLite's truncate
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql(statement)
    assert AuditEntry.objects.count() == 1


def test_the_orm_cannot_delete_or_flush_the_trail() -> None:
    make_entries(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    with pytest.raises(CommandError, match="append-only"):
        call_command("auditlogflush", "--yes")
    assert AuditEntry.objects.count() == 2


def test_sealing_happens_when_the_transaction_commits(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user = UserFactory()
        audit_event(actor=user, event=Event.VIEWED, obj=user, tier="")
        audit_event(actor=user, event=Event.VIEWED, obj=user, tier="")
        assert AuditEntry.objects.filter(seq__isnull=True).exists()
    assert len(callbacks) == 1  # one sealing per transaction, however many entries
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()


def test_a_busy_process_seals_in_batches_and_nothing_is_left_out(
    settings, django_capture_on_commit_callbacks
) -> None:
    settings.AUDIT_SEAL_INTERVAL_SECONDS = 3600
    chain._last_sealed.clear()  # as in a freshly started process
    with django_capture_on_commit_callbacks(execute=True):
        user = UserFactory()
        audit_event(actor=user, event=Event.VIEWED, obj=user, tier="")
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            audit_event(actor=user, event=Event.VIEWED, obj=user, tier="")
    # The first commit sealed; the next two wait for a later sealing.
    assert AuditEntry.objects.filter(seq__isnull=True).count() == 2
    call_command("seal_audit", stdout=io.StringIO())
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()
    assert verify_output()[0] == 0


def test_model_changes_are_recorded_with_encrypted_fields_shown_only_as_changed() -> None:
    child = ChildFactory(first_name="Ava", last_name="Smith", allergies="Peanuts")
    child.allergies = "Peanuts and sesame"
    oaks = Room.objects.create(site=child.site, name="Oaks")
    child.room = oaks
    child.save()
    created = AuditEntry.objects.get(event=Event.CREATED, object_pk=str(child.pk))
    updated = AuditEntry.objects.get(event=Event.UPDATED, object_pk=str(child.pk))
    assert created.child_id == updated.child_id == child.pk
    assert updated.changes["allergies"] == ["[changed]", "[changed]"]
    assert updated.changes["room"] == [None, str(oaks.pk)]
    assert "first_name" not in updated.changes  # unchanged fields are not listed
    everything = json.dumps(list(AuditEntry.objects.values()), default=str)
    for secret in ["Ava", "Smith", "Peanuts", "sesame", "cf1$"]:
        assert secret not in everything
    assert isinstance(Child.objects.get(pk=child.pk), Child)


def test_a_new_entry_cannot_arrive_already_sealed() -> None:
    entries = make_entries(2)
    forged = AuditEntry(
        content_type=entries[0].content_type,
        object_pk="x",
        object_repr="x",
        action=3,
        event=Event.VIEWED,
        tier="",
        seq=3,
        prev_hash=entries[1].entry_hash,
        entry_hash="f" * 64,
    )
    if connection.vendor == "postgresql":
        AuditEntry.objects.bulk_create([forged])  # accepted, but arrives unsealed
        assert AuditEntry.objects.get(object_pk="x").seq is None
    else:
        with pytest.raises(DatabaseError, match="cannot arrive sealed"), transaction.atomic():
            AuditEntry.objects.bulk_create([forged])


def test_a_backdated_entry_is_named() -> None:
    entries = make_entries(4)
    with triggers_disabled():
        sql(
            "UPDATE audit_auditentry SET timestamp = %s WHERE id = %s",
            [entries[2].timestamp - datetime.timedelta(days=30), entries[2].pk],
        )
        backdated = AuditEntry.objects.get(pk=entries[2].pk)
        sql(
            "UPDATE audit_auditentry SET entry_hash = %s WHERE id = %s",
            [chain.link(backdated, backdated.prev_hash), backdated.pk],
        )
        sql(
            "UPDATE audit_auditentry SET prev_hash = %s WHERE id = %s",
            [chain.link(backdated, backdated.prev_hash), entries[3].pk],
        )
        follower = AuditEntry.objects.get(pk=entries[3].pk)
        sql(
            "UPDATE audit_auditentry SET entry_hash = %s WHERE id = %s",
            [chain.link(follower, follower.prev_hash), follower.pk],
        )
    code, message = verify_output()
    assert code == 1
    assert f"id {entries[2].pk}" in message and "backdated" in message
