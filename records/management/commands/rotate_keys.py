"""
Re-encrypt every encrypted value and attachment with the current key.

Put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it),
restart the application, then run this. It works in batches, each its own
transaction, and skips what is already under the current key, so it can be
stopped and run again at any time. Remove an old key only once this reports
nothing left under it.
"""

from __future__ import annotations

from typing import Any

from auditlog.context import disable_auditlog
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from tqdm import tqdm

from audit.models import Event, Tier
from audit.services import audit_event
from crypto import core, rotation
from records.models import Attachment


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
        current = core.keyring().current_id
        tally = rotation.Tally()
        outcome = "interrupted"
        try:
            # Re-sealing changes no value: one summary entry below, not one per row.
            with disable_auditlog():
                for model in rotation.encrypted_models():
                    with self.progress(
                        model.objects.count(), str(model._meta.verbose_name_plural), options
                    ) as bar:
                        rotation.rotate_rows(
                            model,
                            current=current,
                            tally=tally,
                            batch_size=options["batch_size"],
                            everything=options["all"],
                            progress=bar.update,
                        )
                stale = rotation.stale_files(Attachment, current=current).count()
                with self.progress(stale, "attachments", options) as bar:
                    rotation.rotate_files(Attachment, current=current, tally=tally, progress=bar.update)
                known = set(Attachment.objects.values_list("stored_name", flat=True))
                tally.files_swept = rotation.sweep_orphans(
                    known=known, min_age_hours=options["orphan_age_hours"]
                )
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

    def progress(self, total: int, name: str, options: dict[str, Any]) -> tqdm[Any]:
        return tqdm(
            total=total,
            desc=name.capitalize(),
            unit="row",
            disable=options["no_progress"] or total == 0,
            file=self.stderr,
        )
