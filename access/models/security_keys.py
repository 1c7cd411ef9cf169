"""Passkeys and security keys (WebAuthn), a second factor beside the authenticator app.

django-otp-webauthn's own credential model would name keys in URLs by a sequential id and
keep the name people give a key ("the blue key on my lanyard") in plain text. Ours is a
UUID, and the name is sealed like any free text (crypto.fields, bound to its row). The
rest is what the library keeps: the credential's id (and its SHA-256, to find it), its
public key, sign count, transports and backup flags, none of them secret. A key is not
confirmed until its owner has named it; until then it cannot be used to sign in.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django_otp_webauthn.models import (
    AbstractWebAuthnAttestation,
    AbstractWebAuthnCredential,
    as_credential_descriptors,
)
from webauthn.helpers.structs import PublicKeyCredentialDescriptor

from crypto.fields import EncryptedCharField, EncryptedModel, EncryptedQuerySet

NAME_MAX_LENGTH = 64


class SecurityKeyQuerySet(EncryptedQuerySet["SecurityKey"]):
    def devices_for_user(self, user: Any, confirmed: bool | None = None) -> SecurityKeyQuerySet:
        keys = self.filter(user=user)
        return keys if confirmed is None else keys.filter(confirmed=bool(confirmed))

    def as_credential_descriptors(self) -> list[PublicKeyCredentialDescriptor]:
        return as_credential_descriptors(self)


class SecurityKey(EncryptedModel, AbstractWebAuthnCredential):
    """A security key (USB, NFC) or a passkey (a phone's, a computer's, a password manager's)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = EncryptedCharField(max_length=NAME_MAX_LENGTH, help_text="What its owner calls it.")

    objects = SecurityKeyQuerySet.as_manager()  # type: ignore[assignment,misc]

    class Meta(AbstractWebAuthnCredential.Meta):
        verbose_name = "security key or passkey"
        verbose_name_plural = "security keys and passkeys"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Security key {self.pk}"

    @classmethod
    def get_credential_descriptors_for_user(
        cls, user: AbstractBaseUser
    ) -> list[PublicKeyCredentialDescriptor]:
        """The person's confirmed keys, the most recently used first (the library's, less
        the keys added but never named, which cannot be used)."""
        keys = cls.objects.filter(user_id=user.pk, confirmed=True)
        return as_credential_descriptors(keys.order_by(models.F("last_used_at").desc(nulls_last=True)))


class SecurityKeyAttestation(AbstractWebAuthnAttestation):
    """What the key said of itself when it was added (the library asks for no attestation,
    so this is its authenticator data and the browser's client data: nothing personal)."""

    credential = models.OneToOneField(
        SecurityKey, on_delete=models.CASCADE, related_name="attestation", editable=False
    )

    class Meta(AbstractWebAuthnAttestation.Meta):
        verbose_name = "security key's attestation"
        verbose_name_plural = "security keys' attestations"
