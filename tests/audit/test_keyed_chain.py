"""The keyed chain: entries Confide did not write are caught, the key can be
rotated, and a signed head recorded elsewhere finds a trail cut short."""

from __future__ import annotations

import base64
import importlib
import io
import secrets
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q

from audit import chain, heads, selectors, verification
from audit.models import AuditEntry, Event
from audit.services import audit_event
from crypto.core import audit_keyring
from jobs import registry, runner
from tests.audit.test_chain import make_entries, sql, triggers_disabled, verify_output
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def new_key(key_id: str) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"


def insert_row(like: AuditEntry, **values: object) -> int:
    """INSERT a row straight into the table, as someone with the application's
    database login could (the triggers as they are): columns copied from `like`."""
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    unsealed = {"seq": None, "prev_hash": "", "entry_hash": "", "seal_key": ""}
    row = {f.attname: getattr(like, f.attname) for f in fields} | unsealed | values
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    params = [f.get_db_prep_save(row[f.attname], connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO audit_auditentry ({columns}) VALUES ({marks}) RETURNING id",  # noqa: S608
            params,
        )
        return int(cursor.fetchone()[0])


def add_entries(n: int) -> list[AuditEntry]:
    """n more sealed entries; the whole chain, in order."""
    content_type = ContentType.objects.get_for_model(AuditEntry)
    AuditEntry.objects.bulk_create(
        AuditEntry(content_type=content_type, object_pk=str(i), action=3, event=Event.VIEWED)
        for i in range(n)
    )
    chain.seal_pending()
    return list(AuditEntry.objects.filter(seq__gt=0).order_by("seq"))


def verify_with_heads(*paths: Path) -> tuple[int, str]:
    out = io.StringIO()
    args = [arg for path in paths for arg in ("--head", str(path))]
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


def record_head(path: Path) -> heads.SignedHead:
    out = io.StringIO()
    call_command("audit_head", stdout=out)
    line = out.getvalue().strip()
    with path.open("a") as file:
        file.write(f"Nov 30 09:00:00 host confide: {line}\n")  # as syslog would keep it
    [head] = heads.read(line)
    return head


# --- links and row MACs ------------------------------------------------------------


def test_each_link_is_an_hmac_under_the_key_that_sealed_it() -> None:
    entries = make_entries(3)
    ring = audit_keyring()
    assert {e.seal_key for e in entries} == {ring.current_id}
    assert all(chain.link(e, e.prev_hash) == e.entry_hash for e in entries)
    assert all(chain.digest(e, e.prev_hash) != e.entry_hash for e in entries)  # not a plain hash


def test_every_way_of_writing_an_entry_gives_it_a_row_mac() -> None:
    user = UserFactory()  # django-auditlog's entry, through save()
    audit_event(actor=user, event=Event.VIEWED, obj=user, tier="")  # audit.services' lean INSERT
    add_entries(1)  # bulk_create
    entries = list(AuditEntry.objects.all())
    assert len(entries) >= 3 and all(chain.row_mac_valid(e) for e in entries)
    assert len({e.mac for e in entries}) == len(entries)


def test_without_the_key_the_chain_cannot_be_checked(settings) -> None:
    make_entries(2)
    settings.AUDIT_CHAIN_KEYS = new_key("other")
    code, message = verify_output()
    assert code == 1
    assert "was sealed with the audit key" in message and "not in AUDIT_CHAIN_KEYS" in message


def test_a_rotated_key_seals_new_entries_and_the_old_one_still_verifies_its_own(settings) -> None:
    old = make_entries(2)
    old_id = old[0].seal_key
    settings.AUDIT_CHAIN_KEYS = f"{new_key('a2')},{settings.AUDIT_CHAIN_KEYS}"
    entries = add_entries(2)
    assert [e.seal_key for e in entries] == [old_id, old_id, "a2", "a2"]
    assert verify_output()[0] == 0


# --- rows Confide did not write --------------------------------------------------------


def test_a_row_inserted_in_sql_is_kept_out_of_the_chain_and_reported() -> None:
    entries = make_entries(3)
    forged_id = insert_row(entries[0], reason="Kim opened Ava's file", mac="")
    assert chain.seal_pending() == 0
    forged = AuditEntry.objects.get(pk=forged_id)
    assert forged.seq == -forged_id and forged.entry_hash == ""  # set aside, not chained
    assert chain.head_of(AuditEntry, "default")[0] == 3  # the chain did not grow
    code, message = verify_output()
    assert code == 1
    assert f"entry id {forged_id}" in message and "was not written by Confide" in message
    assert "kept out of the chain (forged)" in message
    assert forged_id not in set(selectors.entries(Q()).values_list("pk", flat=True))  # no page shows it


def test_a_row_with_a_made_up_mac_is_refused_too() -> None:
    entries = make_entries(1)
    key_id = audit_keyring().current_id
    forged_id = insert_row(entries[0], reason="forged", mac=f"{key_id}:{'0' * 32}:{'f' * 64}")
    chain.seal_pending()
    assert AuditEntry.objects.get(pk=forged_id).seq == -forged_id


def test_a_row_copied_with_its_mac_is_refused_by_the_database() -> None:
    entries = make_entries(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_row(entries[0])  # a replay: the same columns, the same MAC


def test_a_forged_row_not_yet_sealed_is_reported() -> None:
    entries = make_entries(2)
    forged_id = insert_row(entries[0], reason="forged", mac="")
    out = io.StringIO()
    with pytest.raises(CommandError, match=f"entry id {forged_id}.*not yet sealed.*forged"):
        call_command("verify_audit", "--no-seal", stdout=out)


def test_a_forged_row_sealed_into_the_chain_anyway_still_fails(monkeypatch) -> None:
    """Sealed by a sealer that did not check (an old release, a bug) with the key:
    the link is good, the row MAC is not, and verify_audit says so."""
    entries = make_entries(2)
    forged_id = insert_row(entries[0], reason="forged", mac="")
    with monkeypatch.context() as patched:
        patched.setattr(chain, "row_mac_valid", lambda entry: True)
        assert chain.seal_pending() == 1
    forged = AuditEntry.objects.get(pk=forged_id)
    assert forged.seq == 3 and chain.link(forged, forged.prev_hash) == forged.entry_hash
    code, message = verify_output()
    assert code == 1
    assert f"entry #3 (id {forged_id}," in message and "was not written by Confide" in message


def test_an_unkeyed_seal_after_keyed_ones_is_a_forgery() -> None:
    entries = make_entries(3)
    last = entries[2]
    with triggers_disabled():
        sql(
            "UPDATE audit_auditentry SET seal_key = '', entry_hash = %s WHERE id = %s",
            [chain.digest(last, last.prev_hash), last.pk],
        )
    code, message = verify_output()
    assert code == 1 and "unkeyed seal after keyed entries" in message


def test_entries_sealed_before_the_chain_was_keyed_verify_as_they_were() -> None:
    """As the migration leaves a trail: unkeyed links first, keyed ones after."""
    entries = make_entries(4)
    with triggers_disabled():
        prev = chain.GENESIS
        for entry in entries[:2]:
            entry.prev_hash, entry.seal_key, entry.mac = prev, "", ""
            prev = chain.digest(entry, prev)
            sql(
                "UPDATE audit_auditentry SET prev_hash = %s, entry_hash = %s, seal_key = '', mac = '' "
                "WHERE id = %s",
                [entry.prev_hash, prev, entry.pk],
            )
        for entry in entries[2:]:
            entry.prev_hash = prev
            prev = chain.link(entry, prev)
            sql(
                "UPDATE audit_auditentry SET prev_hash = %s, entry_hash = %s WHERE id = %s",
                [entry.prev_hash, prev, entry.pk],
            )
    code, output = verify_output()
    assert code == 0, output
    assert "The first 2 entries were sealed before the chain was keyed" in output


def test_the_migration_seals_old_entries_with_the_columns_the_chain_hashes() -> None:
    migration = importlib.import_module("audit.migrations.0007_keyed_chain")
    assert migration.LEGACY_HASHED_COLUMNS == chain.HASHED_COLUMNS


# --- signed heads -------------------------------------------------------------------


def test_the_head_is_signed_and_names_the_newest_entry(tmp_path: Path) -> None:
    entries = make_entries(3)
    head = record_head(tmp_path / "heads.log")
    assert (head.seq, head.entry_hash) == (3, entries[2].entry_hash)
    assert head.key_id == audit_keyring().current_id and head.authentic
    assert head.time.endswith("Z")
    code, output = verify_with_heads(tmp_path / "heads.log")
    assert code == 0 and "reaches all 1 recorded heads" in output


def test_removing_the_newest_entries_is_found_against_an_earlier_head(tmp_path: Path) -> None:
    heads_file = tmp_path / "heads.log"
    make_entries(6)
    record_head(heads_file)
    entries = add_entries(3)
    with triggers_disabled():  # the table's owner can
        sql("DELETE FROM audit_auditentry WHERE seq >= 5")
    assert verify_output()[0] == 0  # what is left still links up
    code, message = verify_with_heads(heads_file)
    assert code == 1
    assert "the trail ends at #4, but the head recorded at" in message and "names #6" in message
    assert "truncated" in message
    assert len(entries) == 9


def test_a_rewritten_tail_is_found_against_an_earlier_head(tmp_path: Path) -> None:
    """Even by someone holding the key and the owner's rights, who relinks every entry after."""
    heads_file = tmp_path / "heads.log"
    entries = make_entries(5)
    record_head(heads_file)
    with triggers_disabled():
        changed = entries[2]
        changed.reason = "nothing to see"
        sql(
            "UPDATE audit_auditentry SET reason = %s, mac = %s WHERE id = %s",
            [changed.reason, chain.row_mac(changed), changed.pk],
        )
        prev = entries[1].entry_hash
        for entry in AuditEntry.objects.filter(seq__gte=3).order_by("seq"):
            entry.prev_hash = prev
            prev = chain.link(entry, prev)
            sql(
                "UPDATE audit_auditentry SET prev_hash = %s, entry_hash = %s WHERE id = %s",
                [entry.prev_hash, prev, entry.pk],
            )
    assert verify_output()[0] == 0
    code, message = verify_with_heads(heads_file)
    assert code == 1
    assert "entry #5" in message and "has been rewritten" in message


def test_a_head_not_signed_by_confide_is_refused(tmp_path: Path) -> None:
    entries = make_entries(2)
    forged = heads.SignedHead(2, entries[1].entry_hash, "2026-11-30T09:00:00Z", "a1", "0" * 64)
    (tmp_path / "heads.log").write_text(f"{forged}\n")
    code, message = verify_with_heads(tmp_path / "heads.log")
    assert code == 1 and "not signed with an audit key" in message


def test_a_missing_head_file_is_an_error_of_its_own(tmp_path: Path) -> None:
    code, message = verify_with_heads(tmp_path / "nowhere.log")
    assert code == 2 and "cannot be read" in message


def test_no_head_is_signed_for_a_newest_entry_that_does_not_verify() -> None:
    entries = make_entries(2)
    with triggers_disabled():
        sql("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match="does not verify"):
        call_command("audit_head", stdout=io.StringIO())


def test_the_head_job_appends_to_the_file_named_by_the_setting(settings, tmp_path: Path) -> None:
    job = registry.get("audit.head")
    settings.AUDIT_HEAD_FILE = ""
    [result] = runner.run_due(jobs=[job], force=[job.name])
    assert result.summary == ""
    make_entries(2)
    settings.AUDIT_HEAD_FILE = str(tmp_path / "heads.txt")
    for _ in range(2):
        [result] = runner.run_due(jobs=[job], force=[job.name])
    assert result.summary == "head #2 written"
    written = heads.read((tmp_path / "heads.txt").read_text())
    assert [h.seq for h in written] == [2, 2] and all(h.authentic for h in written)


def test_sealing_still_refuses_to_change_a_set_aside_row() -> None:
    entries = make_entries(1)
    forged_id = insert_row(entries[0], reason="forged", mac="")
    chain.seal_pending()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql("UPDATE audit_auditentry SET seq = 99 WHERE id = %s", [forged_id])


def test_verification_result_counts_what_it_checked() -> None:
    make_entries(4)
    result = verification.verify()
    assert (result.checked, result.head_seq, result.unkeyed, result.intact) == (4, 4, 0, True)
