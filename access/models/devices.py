"""Signing in: two-factor devices, the browsers people signed in with, and device resets.

django-otp's own TOTP and static-token models keep the secret key and the backup codes
in plain text. Ours keep the key encrypted (crypto.fields, bound to its row) and the
backup codes hashed, so a copy of the database gives no second factor.
"""

from __future__ import annotations

import secrets
import time
import uuid
from base64 import b32encode
from binascii import unhexlify
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from access.models.people import User
from crypto.fields import EncryptedCharField, EncryptedModel, EncryptedQuerySet, EncryptedTextField

# TOTP as authenticator apps expect it (RFC 6238 defaults): 30-second steps, 6 digits.
STEP_SECONDS = 30
DIGITS = 6
# A code from the step before or after is accepted too (a phone's clock a little out).
TOLERANCE = 1
# Backup codes: how many at a time, and their length (letters and digits that cannot be confused).
BACKUP_CODE_COUNT = 10
BACKUP_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_CODE_LENGTH = 10


def random_device_id() -> int:
    """django-otp names a device by an integer id, and an encrypted value is bound to
    its row's key before the row is written: so the id is chosen here, at random."""
    return secrets.randbelow(2**62) + 1


def random_totp_key() -> str:
    """20 random bytes, hex-encoded (as django-otp's TOTP device keeps them)."""
    return secrets.token_hex(20)


class TOTPDeviceQuerySet(EncryptedQuerySet["TOTPDevice"]):
    def devices_for_user(self, user: Any, confirmed: bool | None = None) -> TOTPDeviceQuerySet:
        devices = self.filter(user=user)
        return devices if confirmed is None else devices.filter(confirmed=bool(confirmed))


class TOTPDevice(EncryptedModel, TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (or hardware OATH token): time-based codes from a secret
    key shared once, through the QR code. Not confirmed until a first code is given."""

    id = models.BigIntegerField(primary_key=True, default=random_device_id, editable=False)
    key = EncryptedCharField(max_length=80, default=random_totp_key)
    drift = models.SmallIntegerField(default=0)
    # The step of the latest code accepted: a code is never accepted twice.
    last_t = models.BigIntegerField(default=-1)

    objects = TOTPDeviceQuerySet.as_manager()  # type: ignore[assignment,misc]

    class Meta(Device.Meta):
        verbose_name = "authenticator"

    def __str__(self) -> str:
        return f"Authenticator {self.pk}"

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    @property
    def base32_key(self) -> str:
        """The key as people type it into an app, without padding."""
        return b32encode(self.bin_key).decode().rstrip("=")

    def config_url(self, issuer: str) -> str:
        """The otpauth:// address the QR code holds (Google's key URI format)."""
        label = quote(f"{issuer}:{self.user.get_username()}")
        params = urlencode(
            {"secret": self.base32_key, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS}
        )
        return f"otpauth://totp/{label}?{params}&period={STEP_SECONDS}"

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token: Any) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            code = int(str(token).strip())
        except ValueError:
            verified = False
        else:
            totp = TOTP(self.bin_key, STEP_SECONDS, 0, DIGITS, self.drift)
            totp.time = time.time()
            verified = totp.verify(code, TOLERANCE, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified


class BackupCodeDevice(ThrottlingMixin, Device):
    """A person's printed backup codes, each good once. Only their hashes are kept."""

    class Meta(Device.Meta):
        verbose_name = "backup codes"

    def __str__(self) -> str:
        return f"Backup codes {self.pk}"

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token: Any) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        typed = normalise_backup_code(str(token))
        for code in self.codes.filter(used_at__isnull=True):
            if typed and check_password(typed, code.code_hash):
                code.used_at = timezone.now()
                code.save(update_fields=["used_at"])
                self.throttle_reset()
                return True
        self.throttle_increment()
        return False


def normalise_backup_code(typed: str) -> str:
    return "".join(c for c in typed.lower() if c.isalnum())


def new_backup_code() -> str:
    return "".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=200)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Backup code {self.pk}"

    @classmethod
    def hashed(cls, device: BackupCodeDevice, code: str) -> BackupCode:
        return cls(device=device, code_hash=make_password(normalise_backup_code(code)))


class TrustedBrowser(models.Model):
    """A browser someone signed in with: its signed cookie lets it sign in while an
    attacker at the same address is locked out. It has its own failure counter, so it
    cannot be used to guess a password either."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="trusted_browsers")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)
    failures = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Trusted browser {self.pk}"

    @property
    def is_exhausted(self) -> bool:
        return self.failures >= settings.SIGNIN_TRUSTED_BROWSER_FAILURE_LIMIT


class TwoFactorReset(EncryptedModel):
    """Asking to clear a person's lost two-factor devices: asked by one manager (or the
    technical admin), done only when a second person at the site confirms it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="two_factor_resets")
    reason = EncryptedTextField()
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")), name="two_factor_reset_not_by_the_person"
            ),
            models.CheckConstraint(
                condition=~models.Q(confirmed_by=models.F("requested_by")),
                name="two_factor_reset_confirmed_by_a_second_person",
            ),
            models.CheckConstraint(
                condition=~models.Q(confirmed_by=models.F("user")),
                name="two_factor_reset_not_confirmed_by_them",
            ),
        ]

    def __str__(self) -> str:
        return f"Two-factor reset {self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.confirmed_at is None and self.cancelled_at is None
