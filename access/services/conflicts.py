"""Conflicts of interest: the person is kept out of the child's file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from access import policy
from access.models import (
    Conflict,
    KeyWorkerAssignment,
    User,
)
from access.services.common import is_conflicted, person_name, require
from audit.models import Event
from audit.models import Tier as AuditTier
from audit.people import person_ref
from audit.services import audit_event
from records.models import Child


@transaction.atomic
def conflict_record(*, actor: User, child: Child, user: User, reason: str) -> Conflict:
    standing = policy.standing_of(actor)
    require(policy.may_manage_access(standing, child) and not is_conflicted(actor, child))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what the conflict is, for example a family link."})
    if Conflict.objects.filter(child=child, user=user, cleared_at__isnull=True).exists():
        raise ValidationError({"user": f"A conflict is already recorded for {person_name(user)}."})
    conflict = Conflict(child=child, user=user, reason=reason, recorded_by=actor)
    conflict.full_clean()
    conflict.save()
    # A conflict ends the person's key-person role for this child at once.
    for assignment in KeyWorkerAssignment.objects.filter(Q(child=child, user=user, ended_at__isnull=True)):
        assignment.ended_at, assignment.ended_by = timezone.now(), actor
        assignment.save(update_fields=["ended_at", "ended_by"])
    audit_event(
        actor=actor,
        event=Event.REVOKED,
        obj=conflict,
        child_id=child.pk,
        tier=AuditTier.ACCESS,
        reason=f"Conflict of interest recorded for {person_ref(user)} (conflict {conflict.pk})",
    )
    return conflict


@transaction.atomic
def conflict_clear(*, actor: User, conflict: Conflict, reason: str) -> Conflict:
    conflict = Conflict.objects.select_for_update(of=("self",)).select_related("child").get(pk=conflict.pk)
    require(policy.may_manage_access(policy.standing_of(actor), conflict.child))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the conflict no longer applies."})
    if conflict.cleared_at is None:
        conflict.cleared_at, conflict.cleared_by, conflict.cleared_reason = timezone.now(), actor, reason
        conflict.save(update_fields=["cleared_at", "cleared_by", "cleared_reason"])
        audit_event(
            actor=actor,
            event=Event.GRANTED,
            obj=conflict,
            child_id=conflict.child_id,
            tier=AuditTier.ACCESS,
            reason=f"Conflict of interest cleared for {person_ref(conflict.user)} (conflict {conflict.pk})",
        )
    return conflict
