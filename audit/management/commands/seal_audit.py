"""Seal committed audit entries into the chain (they are normally sealed on commit).

Superseded by `manage.py run_due_jobs`, which runs the same sealing every
minute (the job audit.seal, audit/jobs.py) with the other timed jobs; kept for
sealing by hand."""

from typing import Any

from django.core.management.base import BaseCommand

from audit import chain


class Command(BaseCommand):
    help = (
        "Seal committed audit entries that are not yet in the hash chain. Superseded by "
        "run_due_jobs (job audit.seal), which seals every minute with the other timed jobs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Sealed {chain.seal_pending()} entries.")
