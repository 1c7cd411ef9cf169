"""Who works in which room: a manager puts someone in a room (for today, as cover, or
until further notice) and ends it. The room's emergency cards follow (access/policy/emergency.py)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from access import policy
from access.models import MANAGERS, RoomAssignment, User
from access.policy.emergency import rooms_today_q, today_bounds
from access.services.common import person_name, require
from audit.models import Event
from audit.models import Tier as AuditTier
from audit.services import audit_event
from records.models import Room


@transaction.atomic
def room_assign(*, actor: User, room: Room, user: User, today_only: bool) -> RoomAssignment:
    require(policy.facts_of(actor).has_any(MANAGERS, room.site_id))
    if not policy.facts_of(user).is_staff_at(room.site_id):
        raise ValidationError({"user": f"{person_name(user)} does not work at {room.site.name}."})
    if RoomAssignment.objects.filter(rooms_today_q(user.pk), room=room).exists():
        raise ValidationError({"user": f"{person_name(user)} already works in {room.name} today."})
    now = timezone.now()
    assignment = RoomAssignment(
        user=user,
        room=room,
        starts_at=now,
        ends_at=today_bounds(now)[1] if today_only else None,
        created_by=actor,
    )
    assignment.full_clean()
    assignment.save()
    until = "the end of today" if today_only else "further notice"
    audit_event(
        actor=actor,
        event=Event.GRANTED,
        obj=assignment,
        tier=AuditTier.ACCESS,
        reason=f"{person_name(user)} works in room {room.pk} until {until}: its emergency cards",
    )
    policy.forget_facts()
    return assignment


@transaction.atomic
def room_assignment_end(*, actor: User, assignment: RoomAssignment) -> RoomAssignment:
    assignment = RoomAssignment.objects.select_for_update().select_related("room").get(pk=assignment.pk)
    require(policy.facts_of(actor).has_any(MANAGERS, assignment.room.site_id))
    now = timezone.now()
    if assignment.ends_at is not None and assignment.ends_at <= now:
        return assignment
    assignment.ends_at = max(now, assignment.starts_at + datetime.timedelta(seconds=1))
    assignment.ended_by = actor
    assignment.save(update_fields=["ends_at", "ended_by"])
    audit_event(
        actor=actor,
        event=Event.REVOKED,
        obj=assignment,
        tier=AuditTier.ACCESS,
        reason=f"{person_name(assignment.user)} no longer works in room {assignment.room_id}",
    )
    return assignment
