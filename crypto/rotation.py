"""
Re-encrypting rows and sealed files under the current key, in batches.

Each batch is its own transaction and skips what is already under the current
key, so a rotation can be stopped and run again at any time. The command that
drives this (``rotate_keys``) lives with the files and writes the audit entry.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from crypto import attachments
from crypto.fields import BlindIndexField, EncryptedModel

# Told how many rows or files were done; what it returns is ignored.
Progress = Callable[[int], object]


def encrypted_models() -> list[type[EncryptedModel]]:
    """Every model with encrypted fields, in any app."""
    return [m for m in apps.get_models() if issubclass(m, EncryptedModel) and m.encrypted_fields()]


@dataclass
class Tally:
    rows_rewritten: int = 0
    rows_current: int = 0
    files_rewritten: int = 0
    files_current: int = 0
    files_swept: int = 0
    per_model: dict[str, int] = field(default_factory=dict)


def rotate_rows(
    model: type[EncryptedModel],
    *,
    current: str,
    tally: Tally,
    batch_size: int,
    everything: bool = False,
    progress: Progress = lambda n: None,
) -> None:
    """Re-seal every row of `model` holding a value under another key (or every
    row, with `everything`: after a change of blind-index key)."""
    encrypted = [f.attname for f in model.encrypted_fields()]
    indexes = [f.attname for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
    rewritten = 0
    last_pk = None
    while True:
        batch = model.objects.order_by("pk")
        if last_pk is not None:
            batch = batch.filter(pk__gt=last_pk)
        # Read the sealed tokens first: rows already under the current key
        # are skipped without being opened.
        sealed = list(batch.values_list("pk", *encrypted)[:batch_size])
        if not sealed:
            break
        last_pk = sealed[-1][0]
        stale = [
            row[0]
            for row in sealed
            if everything or any(v is not None and v.key_id != current for v in row[1:])
        ]
        with transaction.atomic():
            for instance in model.objects.filter(pk__in=stale).select_for_update():
                instance.save(update_fields=encrypted + indexes)
        rewritten += len(stale)
        tally.rows_current += len(sealed) - len(stale)
        progress(len(sealed))
    tally.rows_rewritten += rewritten
    tally.per_model[str(model._meta.verbose_name_plural)] = rewritten


def stale_files(model: type[models.Model], *, current: str) -> models.QuerySet[Any]:
    """Rows of a model of sealed files (``stored_name``, ``key_id``) under another key."""
    return model._default_manager.exclude(key_id=current).order_by("pk")


def rotate_files(
    model: type[models.Model], *, current: str, tally: Tally, progress: Progress = lambda n: None
) -> None:
    stale = stale_files(model, current=current)
    tally.files_current += model._default_manager.count() - stale.count()
    for pk in stale.values_list("pk", flat=True).iterator():
        old_name = rotate_file(model, pk, current=current)
        if old_name:
            tally.files_rewritten += 1
            attachments.delete_stored(old_name)
        progress(1)


def rotate_file(model: type[models.Model], pk: object, *, current: str) -> str | None:
    """Re-seal one file under a new name; returns the old name to delete."""
    with transaction.atomic():
        row: Any = model._default_manager.select_for_update().get(pk=pk)
        if row.key_id == current:
            return None
        data = b"".join(attachments.open_plaintext(attachment_id=pk, stored_name=row.stored_name))
        old_name: str = row.stored_name
        new_name, key_id, _digest = attachments.seal_and_store(attachment_id=pk, data=data)
        try:
            row.stored_name, row.key_id = new_name, key_id
            # The file name is re-sealed with the row, under the current key.
            row.save(update_fields=["stored_name", "key_id", "original_filename"])
        except BaseException:
            attachments.delete_stored(new_name)
            raise
    return old_name


def sweep_orphans(*, known: set[str], min_age_hours: float) -> int:
    """Remove sealed files no row refers to: left by a run stopped between
    re-sealing a file and deleting the old one, or by an upload whose
    transaction rolled back. Young files are left alone, since an upload in
    progress stores its file just before its row commits."""
    try:
        _dirs, names = default_storage.listdir(attachments.STORAGE_PREFIX)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - datetime.timedelta(hours=min_age_hours)
    removed = 0
    for name in names:
        path = f"{attachments.STORAGE_PREFIX}/{name}"
        if path not in known and default_storage.get_modified_time(path) < cutoff:
            attachments.delete_stored(path)
            removed += 1
    return removed
