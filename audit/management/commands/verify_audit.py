"""Check the audit trail: exit 0 with a count if intact, 1 naming the first entry that does not fit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit import chain, heads, verification


class Command(BaseCommand):
    help = (
        "Verify the audit trail's keyed hash chain (needs AUDIT_CHAIN_KEYS). Exits 1 and names the first "
        "entry that does not fit. With --head FILE, also checks the trail still reaches every signed head "
        "in FILE (written by audit_head), so removing the newest entries is found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Do not seal committed entries first (normally sealed within moments of commit).",
        )
        parser.add_argument(
            "--head",
            type=Path,
            action="append",
            default=[],
            metavar="FILE",
            help="A file (or log) holding signed heads from audit_head; may be given more than once.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recorded = [head for path in options["head"] for head in self._heads(path)]
        if not options["no_seal"]:
            chain.seal_pending()
        result = verification.verify(heads=recorded)
        if not result.intact:
            raise CommandError(
                f"The audit trail has been tampered with: {result.problem}. "
                f"{result.checked} entries before it are intact.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"The audit trail is intact: {result.checked} entries checked."))
        if recorded:
            self.stdout.write(f"It reaches all {len(recorded)} recorded heads through the same entries.")
        if result.unkeyed:
            self.stdout.write(
                f"The first {result.unkeyed} entries were sealed before the chain was keyed (SHA-256 links); "
                "compare them with a head recorded at the time."
            )
        if result.unsealed:
            self.stdout.write(f"{result.unsealed} entries are not sealed yet (still being written).")
        self.stdout.write(f"Head of the chain: #{result.head_seq} {result.head_hash}")
        self.stdout.write("Record signed heads outside Confide (manage.py audit_head), so a cut is found.")

    def _heads(self, path: Path) -> list[heads.SignedHead]:
        try:
            found = heads.read(path.read_text(encoding="utf-8", errors="replace"))
        except OSError as error:
            raise CommandError(f"{path} cannot be read: {error.strerror}", returncode=2) from None
        if not found:
            raise CommandError(f"{path} holds no signed audit head.", returncode=2)
        forged = [head for head in found if not head.authentic]
        if forged:
            raise CommandError(
                f"The head recorded at {forged[0].time} in {path} is not signed with an audit key in "
                "AUDIT_CHAIN_KEYS: it was not made by Confide (or its key was removed).",
                returncode=1,
            )
        return found
