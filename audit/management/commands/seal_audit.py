"""Seal committed audit entries into the chain (they are normally sealed on commit)."""

from typing import Any

from django.core.management.base import BaseCommand

from audit import chain


class Command(BaseCommand):
    help = "Seal committed audit entries that are not yet in the hash chain."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Sealed {chain.seal_pending()} entries.")
