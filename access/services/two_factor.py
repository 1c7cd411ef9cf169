"""
Two-factor: who must have it, setting up an authenticator, backup codes, checking a
code, and what the session remembers of it.

A session is *verified* once a code from one of the person's devices was given in it
(django-otp's session key, which its admin site reads too); the *step-up* time is ours
(django-otp records none): when the latest code was given. It is kept in the session,
and the session key is cycled whenever a code is accepted.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device

from access import policy
from access.models import (
    MANAGEMENT,
    SAFEGUARDING_LEADS,
    BackupCode,
    BackupCodeDevice,
    Role,
    SecurityKey,
    TOTPDevice,
    User,
)
from access.models.devices import BACKUP_CODE_COUNT, DIGITS, new_backup_code
from audit.models import Event, Tier
from audit.services import audit_event

# The roles that need two-factor whatever the organisation decides.
SENIOR_ROLES = (*MANAGEMENT, *SAFEGUARDING_LEADS, Role.HR, Role.ADMIN)
# Session keys of ours: when the latest code was given, and when the session's
# standing (verified, or not needing a code) was last checked against the database.
VERIFIED_AT = "_confide_code_at"
CHECKED_AT = "_confide_2fa_checked_at"
EXEMPT = "_confide_2fa_exempt"
RECHECK_SECONDS = 60
# An authenticator not confirmed within a day of being shown is forgotten.
UNCONFIRMED_DAYS = 1


# --- who ------------------------------------------------------------------------------


def is_required(user: User) -> bool:
    """Every member of staff (a live staff-role membership), the senior roles and
    Django admin users; with TWO_FACTOR_REQUIRED_FOR=senior, only the senior roles and
    admin users. Parents and trustees may choose it."""
    if user.is_staff or user.is_superuser:
        return True
    facts = policy.facts_of(user)
    if facts.sites_with(*SENIOR_ROLES):
        return True
    return settings.TWO_FACTOR_REQUIRED_FOR == "all" and bool(facts.staff_site_ids)


def totp_device_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-created_at").first()


def has_device(user: User) -> bool:
    """An authenticator app, or a security key or passkey (access/services/security_keys.py)."""
    return has_app(user) or has_security_key(user)


def has_app(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_security_key(user: User) -> bool:
    return SecurityKey.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    return BackupCode.objects.filter(device__user=user, device__confirmed=True, used_at__isnull=True).count()


# --- setting up -------------------------------------------------------------------------


@transaction.atomic
def totp_enrol_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up: one not yet confirmed, kept while the page is reloaded."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-created_at").first()
    if device is None:
        device = TOTPDevice(user=user, name="Authenticator app", confirmed=False)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def totp_enrol_confirm(*, user: User, device: TOTPDevice, code: str, request: HttpRequest) -> list[str]:
    """Confirm a new authenticator with its first code; it replaces any earlier one, and
    a fresh set of backup codes is made. Returns the backup codes (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"code": "This set-up has expired. Start again."})
    if not device.verify_token(code):
        audit_event(
            actor=user,
            event=Event.TWO_FACTOR_FAILED,
            obj=user,
            request=request,
            tier=Tier.NONE,
            reason="Setting up an authenticator",
        )
        raise ValidationError(
            {"code": "That code is not right. Check the app shows Confide, and type the 6 digits."}
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    audit_event(
        actor=user,
        event=Event.TWO_FACTOR_SET_UP,
        obj=user,
        request=request,
        tier=Tier.NONE,
        reason="Authenticator set up",
    )
    return backup_codes_issue(user=user, request=request)


@transaction.atomic
def backup_codes_issue(*, user: User, request: HttpRequest | None) -> list[str]:
    """A new set of single-use backup codes; the old ones stop working. Only their
    hashes are kept: the codes are returned to be shown (and printed) once."""
    BackupCodeDevice.objects.filter(user=user).delete()
    device = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    codes = [new_backup_code() for _ in range(BACKUP_CODE_COUNT)]
    BackupCode.objects.bulk_create([BackupCode.hashed(device, code) for code in codes])
    audit_event(
        actor=user,
        event=Event.TWO_FACTOR_SET_UP,
        obj=user,
        request=request,
        tier=Tier.NONE,
        reason=f"{len(codes)} new backup codes",
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def purge_unconfirmed() -> int:
    """Authenticators shown and security keys added but never confirmed (a key is
    confirmed by naming it), a day on. Counts the devices, not what they held."""
    cutoff = timezone.now() - datetime.timedelta(days=UNCONFIRMED_DAYS)
    apps, _ = TOTPDevice.objects.filter(confirmed=False, created_at__lte=cutoff).delete()
    keys = SecurityKey.objects.filter(confirmed=False, created_at__lte=cutoff)
    removed_keys = keys.count()
    keys.delete()
    return apps + removed_keys


# --- giving a code ------------------------------------------------------------------------


@transaction.atomic
def code_verify(*, user: User, code: str, request: HttpRequest, purpose: str) -> Device | None:
    """The device a code belongs to (an authenticator's code, or an unused backup code,
    which is then used up), or None. Each answer is audited; devices slow down after
    failures (1, 2, 4, 8 … seconds)."""
    typed = code.strip()
    candidates: list[Device] = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
    if not (typed.isdigit() and len(typed) == DIGITS):
        candidates = list(BackupCodeDevice.objects.select_for_update().filter(user=user, confirmed=True))
    for device in candidates:
        if device.verify_token(typed):
            used = "a backup code" if isinstance(device, BackupCodeDevice) else "the authenticator"
            audit_event(
                actor=user,
                event=Event.TWO_FACTOR_VERIFIED,
                obj=user,
                request=request,
                tier=Tier.NONE,
                reason=f"{purpose}, with {used}",
            )
            return device
    audit_event(
        actor=user, event=Event.TWO_FACTOR_FAILED, obj=user, request=request, tier=Tier.NONE, reason=purpose
    )
    return None


def is_throttled(user: User) -> bool:
    """Whether the person's devices refuse codes for a moment after failures."""
    devices: list[Device] = [*TOTPDevice.objects.filter(user=user, confirmed=True)]
    return bool(devices) and all(not d.verify_is_allowed()[0] for d in devices)


# --- the session ----------------------------------------------------------------------------


def mark_verified(request: HttpRequest, device: Device) -> None:
    """A code was just given: the session is verified by this device, the step-up
    time is now, and the session key is cycled."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session[VERIFIED_AT] = time.time()
    request.session[CHECKED_AT] = time.time()
    request.session.pop(EXEMPT, None)


def verified_recently(request: HttpRequest) -> bool:
    """A code was given in this session within TWO_FACTOR_STEP_UP_MINUTES."""
    given = request.session.get(VERIFIED_AT)
    if not isinstance(given, int | float) or not is_verified(request.session):
        return False
    return 0 <= time.time() - given <= settings.TWO_FACTOR_STEP_UP_MINUTES * 60


def is_verified(session: SessionBase) -> bool:
    return bool(session.get(DEVICE_ID_SESSION_KEY))


def session_standing(request: HttpRequest, user: User) -> str:
    """ "verified", "exempt" (no code needed), "code" (must give one) or "set_up" (must set
    up an authenticator first). Read from the session; checked against the database at
    most once a minute, so a device reset takes effect within a minute."""
    session = request.session
    now = time.time()
    fresh = now - float(session.get(CHECKED_AT, 0)) <= RECHECK_SECONDS
    if is_verified(session) and fresh:
        return "verified"
    if session.get(EXEMPT) and fresh:
        return "exempt"
    device_id: Any = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(str(device_id)) if device_id else None
    if device is not None and device.user_id == user.pk and device.confirmed:
        session[CHECKED_AT] = now
        return "verified"
    session.pop(DEVICE_ID_SESSION_KEY, None)
    if has_device(user):
        return "code"
    if is_required(user):
        return "set_up"
    session[EXEMPT], session[CHECKED_AT] = True, now
    return "exempt"


def people_with_device(people: list[User]) -> set[Any]:
    apps = TOTPDevice.objects.filter(user__in=people, confirmed=True).order_by().values_list("user_id")
    keys = SecurityKey.objects.filter(user__in=people, confirmed=True).order_by().values_list("user_id")
    return {user_id for (user_id,) in apps.union(keys)}
