"""
Re-encrypt every encrypted value and attachment with the current key.

Put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it),
restart the application, then run this. It works in batches, each its own
transaction, and skips what is already under the current key, so it can be
stopped and run again at any time. Remove an old key only once this reports
nothing left under it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import disable_auditlog
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from audit.models import Event, Tier
from audit.services import audit_event
from records import attachments, crypto
from records.fields import BlindIndexField, EncryptedModel
from records.models import Attachment


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


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields and attachments with the current key (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--all",
            action="store_true",
            help="Rewrite every row, even those already under the current key "
            "(use after changing BLIND_INDEX_KEY, to recompute search indexes).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        parser.add_argument(
            "--orphan-age-hours",
            type=float,
            default=1.0,
            help="Remove sealed files that no attachment refers to, once they are this old (default 1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        current = crypto.keyring().current_id
        tally = Tally()
        outcome = "interrupted"
        try:
            # Re-sealing changes no value: one summary entry below, not one per row.
            with disable_auditlog():
                for model in encrypted_models():
                    self.rotate_rows(model, current, tally, options)
                self.rotate_files(current, tally, options)
                tally.files_swept = self.sweep_orphans(options["orphan_age_hours"])
            outcome = "finished"
        finally:
            # One entry per run, written even when the run stops part way.
            with transaction.atomic():
                audit_event(
                    actor=None,
                    event=Event.MAINTENANCE,
                    obj=Attachment,
                    tier=Tier.NONE,
                    reason=(
                        f"Key rotation to {current!r} {outcome}: {tally.rows_rewritten} rows and "
                        f"{tally.files_rewritten} attachments re-encrypted, "
                        f"{tally.files_swept} orphaned files removed."
                    ),
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Current key: {current}. Re-encrypted {tally.rows_rewritten} rows and "
                f"{tally.files_rewritten} attachments; {tally.rows_current} rows and "
                f"{tally.files_current} attachments were already under it."
            )
        )
        for name, count in tally.per_model.items():
            self.stdout.write(f"  {name}: {count} rows re-encrypted")
        if tally.files_swept:
            self.stdout.write(f"  removed {tally.files_swept} sealed files that no attachment refers to")

    def sweep_orphans(self, min_age_hours: float) -> int:
        """Remove sealed files no attachment refers to: left by a run stopped
        between re-sealing a file and deleting the old one, or by an upload
        whose transaction rolled back. Young files are left alone, since an
        upload in progress stores its file just before its row commits."""
        try:
            _dirs, names = default_storage.listdir(attachments.STORAGE_PREFIX)
        except FileNotFoundError:
            return 0
        known = set(Attachment.objects.values_list("stored_name", flat=True))
        cutoff = timezone.now() - datetime.timedelta(hours=min_age_hours)
        removed = 0
        for name in names:
            path = f"{attachments.STORAGE_PREFIX}/{name}"
            if path not in known and default_storage.get_modified_time(path) < cutoff:
                attachments.delete_stored(path)
                removed += 1
        return removed

    def rotate_rows(
        self, model: type[EncryptedModel], current: str, tally: Tally, options: dict[str, Any]
    ) -> None:
        encrypted = [f.attname for f in model.encrypted_fields()]  # type: ignore[attr-defined]
        indexes = [f.attname for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
        total = model.objects.count()
        progress = tqdm(
            total=total,
            desc=model._meta.verbose_name_plural.capitalize(),
            unit="row",
            disable=options["no_progress"] or total == 0,
            file=self.stderr,
        )
        rewritten = 0
        last_pk = None
        while True:
            batch = model.objects.order_by("pk")
            if last_pk is not None:
                batch = batch.filter(pk__gt=last_pk)
            # Read the sealed tokens first: rows already under the current key
            # are skipped without being opened.
            sealed = list(batch.values_list("pk", *encrypted)[: options["batch_size"]])
            if not sealed:
                break
            last_pk = sealed[-1][0]
            stale = [
                row[0]
                for row in sealed
                if options["all"] or any(v is not None and v.key_id != current for v in row[1:])
            ]
            with transaction.atomic():
                for instance in model.objects.filter(pk__in=stale).select_for_update():
                    instance.save(update_fields=encrypted + indexes)
            rewritten += len(stale)
            tally.rows_current += len(sealed) - len(stale)
            progress.update(len(sealed))
        progress.close()
        tally.rows_rewritten += rewritten
        tally.per_model[model._meta.verbose_name_plural] = rewritten

    def rotate_files(self, current: str, tally: Tally, options: dict[str, Any]) -> None:
        stale = Attachment.objects.exclude(key_id=current).order_by("pk")
        total = stale.count()
        tally.files_current += Attachment.objects.count() - total
        progress = tqdm(
            total=total,
            desc="Attachments",
            unit="file",
            disable=options["no_progress"] or total == 0,
            file=self.stderr,
        )
        for pk in stale.values_list("pk", flat=True).iterator():
            old_name = self.rotate_file(pk, current)
            if old_name:
                tally.files_rewritten += 1
                attachments.delete_stored(old_name)
            progress.update(1)
        progress.close()

    def rotate_file(self, pk: Any, current: str) -> str | None:
        """Re-seal one attachment under a new name; returns the old name to delete."""
        with transaction.atomic():
            attachment = Attachment.objects.select_for_update().get(pk=pk)
            if attachment.key_id == current:
                return None
            data = b"".join(attachments.open_plaintext(attachment_id=pk, stored_name=attachment.stored_name))
            old_name = attachment.stored_name
            new_name, key_id, _digest = attachments.seal_and_store(attachment_id=pk, data=data)
            try:
                attachment.stored_name, attachment.key_id = new_name, key_id
                attachment.save(update_fields=["stored_name", "key_id", "original_filename"])
            except BaseException:
                attachments.delete_stored(new_name)
                raise
        return old_name
