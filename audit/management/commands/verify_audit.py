"""Check the audit trail's hash chain: exit 0 with a count if intact, 1 naming the first bad entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit import chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain. Exits 1 and names the first entry that does not fit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Do not seal committed entries first (normally sealed within moments of commit).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_seal"]:
            chain.seal_pending()
        result = chain.verify()
        if not result.intact:
            raise CommandError(
                f"The audit trail has been tampered with: {result.problem}. "
                f"{result.checked} entries before it are intact.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"The audit trail is intact: {result.checked} entries checked."))
        if result.unsealed:
            self.stdout.write(f"{result.unsealed} entries are not sealed yet (still being written).")
        self.stdout.write(f"Head of the chain: {result.head_hash}")
        self.stdout.write("Keep a copy of the head outside Confide, so the chain cannot be rewritten unseen.")
