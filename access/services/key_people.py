"""Key people: assigned and ended by the manager of the child's setting."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from access import policy
from access.models import (
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
def key_worker_assign(*, actor: User, child: Child, user: User) -> KeyWorkerAssignment:
    standing = policy.standing_of(actor)
    require(policy.may_manage_access(standing, child) and not is_conflicted(actor, child))
    person = policy.standing_of(user)
    if not person.is_staff_at(child.site_id):
        raise ValidationError(
            {
                "user": f"{person_name(user)} does not work at {child.site.name}. A key person must be "
                "on the staff of the child's setting."
            }
        )
    if not person.has_any(policy.KEY_WORKER_ROLES, child.site_id):
        raise ValidationError(
            {
                "user": f"{person_name(user)} is not a practitioner. Students, volunteers and trustees "
                "cannot be a child's key person."
            }
        )
    if is_conflicted(user, child):
        raise ValidationError(
            {
                "user": f"{person_name(user)} has a conflict of interest with this child and cannot be "
                "their key person."
            }
        )
    if KeyWorkerAssignment.objects.filter(child=child, user=user, ended_at__isnull=True).exists():
        raise ValidationError({"user": f"{person_name(user)} is already this child's key person."})
    assignment = KeyWorkerAssignment(child=child, user=user, assigned_by=actor)
    assignment.full_clean()
    assignment.save()
    audit_event(
        actor=actor,
        event=Event.GRANTED,
        obj=assignment,
        child_id=child.pk,
        tier=AuditTier.ACCESS,
        reason=f"Key person: {person_ref(user)}",
    )
    return assignment


@transaction.atomic
def key_worker_unassign(*, actor: User, assignment: KeyWorkerAssignment) -> None:
    assignment = (
        KeyWorkerAssignment.objects.select_for_update(of=("self",))
        .select_related("child")
        .get(pk=assignment.pk)
    )
    standing = policy.standing_of(actor)
    require(policy.may_manage_access(standing, assignment.child))
    if assignment.ended_at is not None:
        return
    assignment.ended_at = timezone.now()
    assignment.ended_by = actor
    assignment.save(update_fields=["ended_at", "ended_by"])
    audit_event(
        actor=actor,
        event=Event.REVOKED,
        obj=assignment,
        child_id=assignment.child_id,
        tier=AuditTier.ACCESS,
        reason=f"Key person ended: {person_ref(assignment.user)}",
    )
