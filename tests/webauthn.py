"""A security key in software, for the tests of the pages: it answers django-otp-webauthn's
questions as a real key would (a P-256 key pair, "none" attestation), so adding a key and
signing in with one are tested on the server without a browser. The browser journey
(tests/browser/test_security_keys.py) uses Chromium's virtual authenticator instead."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.test import Client
from django.urls import reverse

from access.models import SecurityKey, User

UP, UV, AT = 0x01, 0x04, 0x40  # authenticator data flags: user present, verified, credential data


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftKey:
    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(32)
        self.sign_count = 0
        self.origin = settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]
        self.rp_id = settings.OTP_WEBAUTHN_RP_ID

    def cose_public_key(self) -> bytes:
        numbers = self.private.public_key().public_numbers()
        x, y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: x, -3: y})

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin}).encode()

    def create(self, options: dict[str, Any]) -> dict[str, Any]:
        """The answer to navigator.credentials.create(options)."""
        client_data = self._client_data("webauthn.create", options["challenge"])
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id
        auth_data = (
            hashlib.sha256(options["rp"]["id"].encode()).digest()
            + bytes([UP | UV | AT])
            + self.sign_count.to_bytes(4, "big")
            + attested
            + self.cose_public_key()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["usb"],
            },
            "clientExtensionResults": {"credProps": {"rk": False}},
        }

    def get(self, options: dict[str, Any]) -> dict[str, Any]:
        """The answer to navigator.credentials.get(options)."""
        self.sign_count += 1
        client_data = self._client_data("webauthn.get", options["challenge"])
        auth_data = (
            hashlib.sha256(options["rpId"].encode()).digest()
            + bytes([UP])
            + self.sign_count.to_bytes(4, "big")
        )
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.private.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
            },
            "clientExtensionResults": {},
        }

    def saved_for(self, user: User, name: str = "Test key") -> SecurityKey:
        """This key, as if added and named already."""
        return SecurityKey.objects.create(
            user=user,
            name=name,
            credential_id=self.credential_id,
            public_key=self.cose_public_key(),
            credential_id_sha256=SecurityKey.get_credential_id_sha256(self.credential_id),
            aaguid="00000000-0000-0000-0000-000000000000",
            confirmed=True,
        )


def post_json(client: Client, name: str, data: dict[str, Any] | None = None, query: str = "") -> Any:
    return client.post(reverse(name) + query, data=json.dumps(data or {}), content_type="application/json")


def add_key(client: Client, key: SoftKey) -> Any:
    """The browser's two questions when a key is added; the answer to the second."""
    options = post_json(client, "security_key_add_begin").json()
    return post_json(client, "security_key_add_complete", key.create(options))


def use_key(client: Client, key: SoftKey, query: str = "") -> Any:
    """The browser's two questions when a key is used; the answer to the second."""
    options = post_json(client, "security_key_verify_begin").json()
    return post_json(client, "security_key_verify_complete", key.get(options), query)
