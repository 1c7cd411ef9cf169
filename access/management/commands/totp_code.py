"""Print the current two-factor code of a demo account (README.md, "Demo logins").

Only for the demo: it refuses with DEBUG off (outside `make dev`) unless in local mode
(`make run`, loopback only), and for any account whose authenticator does not hold the
demo's published key. So it can never give the code of a real account: it prints only
what anyone could work out from the README."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp

from access.management.demo_two_factor import demo_key_hex
from access.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (DEBUG or local mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or settings.LOCAL):
            raise CommandError(
                "totp_code is for the demo only: it works with DEBUG on or in local mode (make run)."
            )
        username = options["username"]
        key = demo_key_hex(username)
        devices = TOTPDevice.objects.filter(user__username=username, confirmed=True)
        if key is None or not devices or any(device.key != key for device in devices):
            raise CommandError(f"{username} is not a demo account with the demo's published key.")
        self.stdout.write(f"{totp(bytes.fromhex(key), step=30, digits=6):06d}")
