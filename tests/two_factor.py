"""Two-factor for the tests of pages: sign in as people are once they have given a code."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from access.models import TOTPDevice, User
from access.services import two_factor


def device_of(user: User) -> TOTPDevice:
    """The person's authenticator, made for them if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return device


def verify_session(client: Client, user: User) -> TOTPDevice:
    """Mark the client's session as verified by the person's device, a code given now."""
    device = device_of(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[two_factor.VERIFIED_AT] = time.time()
    session[two_factor.CHECKED_AT] = time.time()
    session.save()
    return device


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or in a later 30-second step)."""
    return f"{totp(device.bin_key, step=30, digits=6, drift=steps_ahead):06d}"


class VerifiedClient(Client):
    """force_login signs in as a person who has just given their two-factor code."""

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        verify_session(self, user)
