"""Unlock an account locked out by failed sign-ins, for the technical admin (audited).

Managers unlock people at their own settings on the "Sign-in help" page."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from access.models import User
from access.services import lockout


class Command(BaseCommand):
    help = "Unlock an account locked out by failed sign-ins, everywhere (the audit trail records it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("No account has that username.")
        removed = lockout.sign_in_unlock(actor=None, user=user)
        self.stdout.write(
            f"{user.get_username()} is unlocked ({removed} records of failed attempts removed)."
        )
