"""Print the audit chain's signed head, to be kept outside Confide (docs/audit.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit import chain, heads


class Command(BaseCommand):
    help = (
        "Seal what is committed, then print the chain's signed head (place, hash, time, HMAC signature) "
        "on one line. Send it somewhere the database's administrators cannot change (a file elsewhere, "
        "syslog, e-mail to the data-protection lead) on a schedule; verify_audit --head checks against it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        chain.seal_pending()
        try:
            head = heads.current()
        except heads.HeadError as error:
            raise CommandError(f"No head signed: {error}.", returncode=1) from None
        self.stdout.write(str(head))
