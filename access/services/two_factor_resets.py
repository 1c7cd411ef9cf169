"""
Resetting a person's two-factor when they lose their phone: asked by one manager (or
the technical admin) at one of the person's sites, done only when a second person
confirms it: another manager there, or in a small setting the chair, the
data-protection lead or the proprietor (CONFIRMERS). Never by the person themself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from access import policy
from access.models import (
    CONFIRMERS,
    MANAGERS,
    BackupCodeDevice,
    Role,
    SecurityKey,
    TOTPDevice,
    TwoFactorReset,
    User,
)
from audit.models import Event, Tier
from audit.services import audit_event

# Who may ask for a reset: a manager or the technical admin at one of the person's sites.
REQUESTERS = (*MANAGERS, Role.ADMIN)


def sites_of(user: User) -> set[object]:
    return set(user.memberships.live().values_list("site_id", flat=True))


def may_request_reset(actor: User, user: User) -> bool:
    return actor.pk != user.pk and bool(sites_of(user) & policy.facts_of(actor).sites_with(*REQUESTERS))


def may_confirm_reset(actor: User, reset: TwoFactorReset) -> bool:
    if actor.pk in (reset.user_id, reset.requested_by_id) or not reset.is_pending:
        return False
    return bool(sites_of(reset.user) & policy.facts_of(actor).sites_with(*CONFIRMERS))


@transaction.atomic
def two_factor_reset_request(
    *, actor: User, user: User, reason: str, request: HttpRequest | None = None
) -> TwoFactorReset:
    if not may_request_reset(actor, user):
        raise PermissionDenied
    if TwoFactorReset.objects.filter(
        user=user, confirmed_at__isnull=True, cancelled_at__isnull=True
    ).exists():
        raise ValidationError("A reset for this person is already waiting for a second person to confirm it.")
    reset = TwoFactorReset(user=user, requested_by=actor, reason=reason.strip())
    reset.full_clean()
    reset.save()
    _audit(actor, reset, request, "Reset asked for; waiting for a second person")
    return reset


@transaction.atomic
def two_factor_reset_confirm(
    *, actor: User, reset: TwoFactorReset, request: HttpRequest | None = None
) -> None:
    """The second person confirms: the person's authenticators, security keys, passkeys
    and backup codes go, and they set up a new second factor at their next sign-in (sessions they have lose
    their verification within a minute)."""
    reset = TwoFactorReset.objects.select_for_update().get(pk=reset.pk)
    if not may_confirm_reset(actor, reset):
        raise PermissionDenied
    TOTPDevice.objects.filter(user=reset.user).delete()
    SecurityKey.objects.filter(user=reset.user).delete()
    BackupCodeDevice.objects.filter(user=reset.user).delete()
    reset.confirmed_by, reset.confirmed_at = actor, timezone.now()
    reset.save(update_fields=["confirmed_by", "confirmed_at"])
    _audit(actor, reset, request, "Reset confirmed by a second person; devices removed")


@transaction.atomic
def two_factor_reset_cancel(
    *, actor: User, reset: TwoFactorReset, request: HttpRequest | None = None
) -> None:
    reset = TwoFactorReset.objects.select_for_update().get(pk=reset.pk)
    allowed = actor.pk == reset.requested_by_id or may_confirm_reset(actor, reset)
    if not reset.is_pending or not allowed:
        raise PermissionDenied
    reset.cancelled_by, reset.cancelled_at = actor, timezone.now()
    reset.save(update_fields=["cancelled_by", "cancelled_at"])
    _audit(actor, reset, request, "Reset cancelled")


def _audit(actor: User, reset: TwoFactorReset, request: HttpRequest | None, reason: str) -> None:
    audit_event(
        actor=actor,
        event=Event.TWO_FACTOR_RESET,
        obj=reset.user,
        request=request,
        tier=Tier.NONE,
        reason=reason,
        additional_data={"reset": str(reset.pk), "asked_by": str(reset.requested_by_id)},
    )
