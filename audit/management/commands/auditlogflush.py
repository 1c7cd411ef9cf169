"""django-auditlog's flush command, disabled: the audit trail is append-only."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Disabled. Audit entries are never deleted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*")
        parser.add_argument("-y", "--yes", action="store_true")
        parser.add_argument("-b", "--before-date")

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(
            "The audit trail is append-only: entries are never flushed. "
            "Retention of old entries is a separate, audited process."
        )
