"""Signing off information shared by families: recorded, signed by senior staff, key people told."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import KeyWorkerAssignment, User
from audit.models import Event
from audit.services import audit_event
from records.models import (
    Addendum,
    Child,
    Record,
)
from records.services.entries import addendum_create, child_of, lock_record
from records.services.notifications import notifications_done, notify, tell_parents_shared


def key_people_to_tell(child: Child) -> list[User]:
    return [
        a.user
        for a in KeyWorkerAssignment.objects.filter(child=child, ended_at__isnull=True, user__is_active=True)
        .exclude(user__in=User.objects.filter(policy.kept_out_of(child)))
        .select_related("user")
    ]


@transaction.atomic
def record_sign_off(*, actor: User, record: Record, comment: str = "") -> Record:
    """Senior staff sign a family's information; the key people are told.

    The caller has checked the signer's password (a signature is given in
    person). Signing twice, or one's own record, is refused."""
    record = lock_record(record)
    if not policy.may_sign_off(policy.standing_of(actor), record):
        raise PermissionDenied
    record.status = Record.Status.SIGNED_OFF
    record.signed_off_by = actor
    record.signed_off_at = timezone.now()
    record.full_clean()
    record.save(update_fields=["status", "signed_off_by", "signed_off_at", "updated_at"])
    addendum_create(actor=actor, record=record, kind=Addendum.Kind.SIGNED_OFF, text=comment)
    audit_event(actor=actor, event=Event.SIGNED_OFF, obj=record, child_id=record.child_id, tier=record.tier)
    notifications_done(record=record)
    tell_parents_shared(record)
    key_people = [u for u in key_people_to_tell(child_of(record)) if u.pk != actor.pk]
    notify(
        recipients=key_people,
        message="Information shared by the family of one of your key children has been signed off.",
        url=reverse("record_detail", args=[record.pk]),
        child=record.child,
    )
    return record


@transaction.atomic
def record_return(*, actor: User, record: Record, reason: str) -> Record:
    """Sent back to its author for correction, with the reason."""
    record = lock_record(record)
    if not policy.may_sign_off(policy.standing_of(actor), record):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": "Say what needs correcting."})
    record.status = Record.Status.RETURNED
    record.save(update_fields=["status", "updated_at"])
    addendum_create(actor=actor, record=record, kind=Addendum.Kind.RETURNED, text=reason)
    audit_event(
        actor=actor,
        event=Event.UPDATED,
        obj=record,
        child_id=record.child_id,
        tier=record.tier,
        reason="Returned for correction",
    )
    notifications_done(record=record)
    notify(
        recipients=[record.author] if record.author.is_active else [],
        message="A record you wrote was returned for correction. Please amend it.",
        url=reverse("record_detail", args=[record.pk]),
        child=record.child,
        record=record,
    )
    return record
