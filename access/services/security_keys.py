"""
Passkeys and security keys: adding one (the WebAuthn ceremony, then a name, which
confirms it), using one to sign in or to confirm it's you, and removing one. Each is
audited as codes are: added, accepted, refused, removed.

django-otp-webauthn runs the ceremonies, with SecurityKeyHelper as its helper (told to
make our SecurityKey); the views that answer the browser's script are
access/views/security_keys.py. A key is a second factor only: the password comes first.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django_otp_webauthn.helpers import WebAuthnHelper
from webauthn.helpers.structs import RegistrationCredential
from webauthn.registration.verify_registration_response import VerifiedRegistration

from access.models import SecurityKey, User
from access.services import two_factor
from audit.models import Event, Tier
from audit.services import audit_event

ADDING = "Adding a security key or passkey"


class SecurityKeyHelper(WebAuthnHelper):
    """The library's helper, making our keys: unconfirmed until named, with a name to
    start from ("Passkey" for one that syncs between devices, else "Security key")."""

    def create_credential(
        self,
        user: AbstractBaseUser,
        response: VerifiedRegistration,
        parsed_credential: RegistrationCredential,
        original_data: dict[str, Any],
    ) -> SecurityKey:
        key: SecurityKey = super().create_credential(user, response, parsed_credential, original_data)
        key.name = "Passkey" if key.backup_eligible else "Security key"
        key.confirmed = False
        key.credential_id_sha256 = key.get_credential_id_sha256(key.credential_id)
        key.full_clean(exclude=["transports"])  # a key may name no transport
        return key


# --- adding ---------------------------------------------------------------------------------


@transaction.atomic
def security_key_confirm(*, actor: User, key: SecurityKey, name: str, request: HttpRequest) -> list[str]:
    """Name a key just added, which confirms it: from now on it signs the person in. When
    it is their first second factor (setting up at first sign-in), a set of backup codes
    is made and returned, to be shown once; otherwise none."""
    if key.user_id != actor.pk or key.confirmed:
        raise PermissionDenied
    first = not two_factor.has_device(actor)
    key.name, key.confirmed = name.strip(), True
    key.full_clean(exclude=["transports"])
    key.save()
    audit_event(
        actor=actor,
        event=Event.TWO_FACTOR_SET_UP,
        obj=actor,
        request=request,
        tier=Tier.NONE,
        reason="Security key or passkey added",
        additional_data={"key": str(key.pk)},
    )
    return two_factor.backup_codes_issue(user=actor, request=request) if first else []


@transaction.atomic
def security_key_remove(*, actor: User, key: SecurityKey, request: HttpRequest) -> None:
    """The key stops working at once; sessions it verified lose their verification
    within a minute (two_factor.session_standing)."""
    if key.user_id != actor.pk:
        raise PermissionDenied
    key_id = str(key.pk)
    key.delete()
    audit_event(
        actor=actor,
        event=Event.TWO_FACTOR_REMOVED,
        obj=actor,
        request=request,
        tier=Tier.NONE,
        reason="Security key or passkey removed",
        additional_data={"key": key_id},
    )


# --- the answers of the ceremonies ------------------------------------------------------------


@transaction.atomic
def security_key_accepted(*, user: User, key: SecurityKey, request: HttpRequest, purpose: str) -> None:
    audit_event(
        actor=user,
        event=Event.TWO_FACTOR_VERIFIED,
        obj=user,
        request=request,
        tier=Tier.NONE,
        reason=f"{purpose}, with a security key or passkey",
        additional_data={"key": str(key.pk)},
    )


@transaction.atomic
def security_key_refused(*, user: User, request: HttpRequest, purpose: str, why: str) -> None:
    """A key's answer that was not accepted (or a ceremony that failed): `why` is the
    library's code for it, such as "credential_not_found"."""
    audit_event(
        actor=user,
        event=Event.TWO_FACTOR_FAILED,
        obj=user,
        request=request,
        tier=Tier.NONE,
        reason=purpose,
        additional_data={"why": why},
    )
