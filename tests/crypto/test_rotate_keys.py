from __future__ import annotations

import base64
import datetime
import io
import os
import secrets
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEntry, Event
from crypto import attachments
from crypto import core as crypto
from crypto.rotation import encrypted_models
from records.models import Attachment, Child, Record
from records.selectors import child_search_filter
from records.services import attachment_create
from tests.factories import ChildCarerFactory, ChildFactory, RecordFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\nA letter about Ava\n%%EOF\n"


def new_key(key_id: str) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"


def key_ids_in_database() -> set[str]:
    ids = set()
    with connection.cursor() as cursor:
        for model in encrypted_models():
            columns = [f.column for f in model.encrypted_fields()]
            cursor.execute(f"SELECT {', '.join(columns)} FROM {model._meta.db_table}")  # noqa: S608
            ids |= {crypto.key_id_of(v) for row in cursor.fetchall() for v in row if v is not None}
    return ids


def rotate(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_keys", "--no-progress", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old_key(settings) -> str:
    settings.FIELD_ENCRYPTION_KEYS = new_key("old")
    return settings.FIELD_ENCRYPTION_KEYS


@pytest.fixture
def world_under_old_key(old_key, settings):
    link = ChildCarerFactory(restriction_note="No contact")
    StaffMemberFactory(address="1 Staff Street")
    records = RecordFactory.create_batch(3, child=link.child)
    attachment = attachment_create(
        actor=records[0].author, record=records[0], uploaded=SimpleUploadedFile("letter.pdf", PDF)
    )
    return link.child, attachment


def test_rotation_re_encrypts_every_value_and_attachment_with_the_new_key(
    settings, old_key, world_under_old_key
) -> None:
    child, attachment = world_under_old_key
    assert key_ids_in_database() == {"old"}
    settings.FIELD_ENCRYPTION_KEYS = f"{new_key('new')},{old_key}"

    output = rotate("--batch-size", "2")

    assert key_ids_in_database() == {"new"}
    attachment.refresh_from_db()
    assert attachment.key_id == "new"
    with attachments.default_storage.open(attachment.stored_name) as sealed:
        assert crypto.read_file_key_id(sealed) == "new"
    assert "Re-encrypted" in output and "1 attachments" in output
    # The old key can now be dropped: everything still opens without it.
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS.split(",")[0]
    reloaded = Child.objects.get(pk=child.pk)
    assert reloaded.first_name == "Ava" and reloaded.allergies == "Peanuts"
    assert (
        b"".join(attachments.open_plaintext(attachment_id=attachment.pk, stored_name=attachment.stored_name))
        == PDF
    )
    assert AuditEntry.objects.filter(event=Event.MAINTENANCE, reason__contains="finished").count() == 1


def test_old_values_still_read_while_rotation_is_half_done(settings, old_key, world_under_old_key) -> None:
    child, _ = world_under_old_key
    settings.FIELD_ENCRYPTION_KEYS = f"{new_key('new')},{old_key}"
    other = ChildFactory(first_name="Noah", last_name="Khan")  # written under the new key
    assert {Child.objects.get(pk=child.pk).first_name, Child.objects.get(pk=other.pk).first_name} == {
        "Ava",
        "Noah",
    }
    assert key_ids_in_database() == {"old", "new"}


def test_rotation_can_be_run_again_and_skips_what_is_done(settings, old_key, world_under_old_key) -> None:
    settings.FIELD_ENCRYPTION_KEYS = f"{new_key('new')},{old_key}"
    ChildFactory(first_name="Noah")  # already under the new key
    first = rotate()
    assert "2 children" not in first and "children: 1 rows re-encrypted" in first
    second = rotate()
    assert "Re-encrypted 0 rows and 0 attachments" in second
    assert old_key.split(":")[0] not in key_ids_in_database()


def test_rotation_does_not_change_when_a_record_was_last_updated(
    settings, old_key, world_under_old_key
) -> None:
    child, _ = world_under_old_key
    before = {r.pk: r.updated_at for r in Record.objects.all()}
    settings.FIELD_ENCRYPTION_KEYS = f"{new_key('new')},{old_key}"
    rotate()
    assert {r.pk: r.updated_at for r in Record.objects.all()} == before


def test_rotation_leaves_no_old_attachment_file_behind(
    settings, old_key, world_under_old_key, media_root: Path
) -> None:
    settings.FIELD_ENCRYPTION_KEYS = f"{new_key('new')},{old_key}"
    rotate()
    stored = [p for p in media_root.rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [Path(Attachment.objects.get().stored_name).name]


def test_all_recomputes_search_indexes_after_the_blind_index_key_changes(settings, old_key) -> None:
    child = ChildFactory(first_name="Ava", last_name="Smith")
    settings.BLIND_INDEX_KEY = new_key("b2")
    assert not Child.objects.filter(child_search_filter("ava smith")).exists()
    rotate("--all")
    assert list(Child.objects.filter(child_search_filter("ava smith"))) == [child]


def test_a_run_stopped_part_way_is_audited_and_the_next_run_finishes_it(settings, old_key) -> None:
    children = sorted(ChildFactory.create_batch(5), key=lambda c: c.pk)
    settings.FIELD_ENCRYPTION_KEYS = f"{new_key('new')},{old_key}"
    broken = children[2]
    column = Child._meta.get_field("allergies").column
    row_id = Child._meta.pk.get_db_prep_value(broken.pk, connection)
    with connection.cursor() as cursor:  # a damaged value stops the run at the third child
        cursor.execute(f"SELECT {column} FROM records_child WHERE id = %s", [row_id])  # noqa: S608
        original = cursor.fetchone()[0]
        cursor.execute(
            f"UPDATE records_child SET {column} = %s WHERE id = %s",  # noqa: S608
            [original[:-8] + "AAAAAAA=", row_id],
        )

    with pytest.raises(crypto.DecryptionError):
        rotate("--batch-size", "1")

    assert AuditEntry.objects.filter(reason__contains="interrupted").count() == 1
    rotated = [
        crypto.key_id_of(Child.objects.values_list("first_name", flat=True).get(pk=c.pk).token)
        for c in children
    ]
    assert rotated[:2] == ["new", "new"] and rotated[3:] == ["old", "old"]
    # Every row still reads while the keys are mixed.
    assert all(Child.objects.get(pk=c.pk).first_name == "Ava" for c in children if c != broken)

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE records_child SET {column} = %s WHERE id = %s", [original, row_id])  # noqa: S608
    rotate("--batch-size", "1")
    assert key_ids_in_database() == {"new"}


def test_sealed_files_no_attachment_refers_to_are_swept_once_old(
    settings, old_key, world_under_old_key, media_root: Path
) -> None:
    orphan = media_root / "attachments" / "left-behind.sealed"
    orphan.write_bytes(b"CFA1 sealed bytes of a rolled-back upload")
    fresh = media_root / "attachments" / "uploading-now.sealed"
    fresh.write_bytes(b"CFA1 an upload about to commit")
    old = datetime.datetime.now(tz=datetime.UTC).timestamp() - 3 * 3600
    os.utime(orphan, (old, old))

    output = rotate()

    assert not orphan.exists()
    assert fresh.exists()
    assert "removed 1 sealed files" in output
    assert Attachment.objects.get().stored_name.startswith("attachments/")
