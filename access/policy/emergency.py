"""
The emergency card and break-glass: what staff may see of a child in an emergency
without reading the file.

| who | what |
|---|---|
| staff working in the child's room today (students, volunteers, cover staff) | the child's emergency card |
| kitchen staff | the dietary and allergy part of the card, for every child at their site |
| a member of staff at the child's site with no access | break-glass: the general file, for a short time |

Neither the card nor the kitchen list is gated by an unread policy; break-glass is
(it opens the file). Someone kept out of the child's file (a carer or relative, or a
declared conflict) sees only the dietary and allergy part of the card: enough to keep
the child safe at a meal, nothing of who the child's contacts are.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Collection

from django.db.models import Q
from django.utils import timezone

from access.models import STAFF_ROLES, Role, RoomAssignment
from access.policy.facts import Facts
from access.policy.rules import NOTHING, reads_general
from records.models import Child, Record, Tier

# Staff who may break the glass: anyone on the staff of the child's site but these.
NEVER_BREAK_GLASS = frozenset({Role.STUDENT, Role.VOLUNTEER})
BREAK_GLASS_ROLES = tuple(sorted(STAFF_ROLES - NEVER_BREAK_GLASS))


def today_bounds(now: datetime.datetime | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """Today, from midnight to midnight where the setting is."""
    local = timezone.localtime(now or timezone.now())
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=1)


def rooms_today_q(user_id: uuid.UUID, now: datetime.datetime | None = None) -> Q:
    """Room assignments of the person that cover some of today."""
    start, end = today_bounds(now)
    return Q(user_id=user_id, starts_at__lt=end) & (Q(ends_at__isnull=True) | Q(ends_at__gt=start))


def room_ids_today(f: Facts, now: datetime.datetime | None = None) -> frozenset[uuid.UUID]:
    """The rooms the person works in today, at sites where they are on the staff."""
    if f.user_id is None:
        return frozenset()
    found = RoomAssignment.objects.filter(
        rooms_today_q(f.user_id, now), room__site_id__in=list(f.staff_site_ids)
    ).values_list("room_id", flat=True)
    return frozenset(found)


def kitchen_site_ids(f: Facts) -> frozenset[uuid.UUID]:
    return f.sites_with(Role.KITCHEN)


# --- the card ------------------------------------------------------------------------


def sees_card(f: Facts, child: Child, room_ids: Collection[uuid.UUID]) -> bool:
    """The whole card: someone working in the child's room today, not kept out of the file."""
    return (
        child.status != Child.Status.LEFT
        and child.room_id is not None
        and child.room_id in room_ids
        and f.is_staff_at(child.site_id)
        and child.pk.hex not in f.conflicted
    )


def sees_dietary_part(f: Facts, child: Child, room_ids: Collection[uuid.UUID]) -> bool:
    """Allergies and dietary needs: kitchen staff at the child's site, and anyone in the child's room."""
    in_room = child.room_id is not None and child.room_id in room_ids and f.is_staff_at(child.site_id)
    return child.status != Child.Status.LEFT and (in_room or child.site_id in kitchen_site_ids(f))


def card_children_q(f: Facts, room_ids: Collection[uuid.UUID]) -> Q:
    """Children whose card (or its dietary part) the person may open, as a condition on children."""
    if f.user_id is None:
        return NOTHING
    in_rooms = Q(room_id__in=list(room_ids)) if room_ids else NOTHING
    kitchen = Q(site_id__in=list(kitchen_site_ids(f))) if kitchen_site_ids(f) else NOTHING
    return (in_rooms | kitchen) & ~Q(status=Child.Status.LEFT)


# --- break-glass -------------------------------------------------------------------------


def about_me_in_file(f: Facts, child: Child) -> bool:
    """A record in the child's file is about this person (a concern or allegation about them)."""
    if f.own_staff_member_id is None:
        return False
    return Record.objects.filter(child=child, subject_staff_member_id=f.own_staff_member_id).exists() or (
        child.staff_concerns.filter(staff_member_id=f.own_staff_member_id).exists()
    )


def break_glass_refusal(f: Facts, child: Child, *, scope_tier: str = Tier.GENERAL) -> str | None:
    """Why this person may not break the glass for this child, in words for them; None if they may."""
    if scope_tier != Tier.GENERAL:
        return (
            "Emergency access opens only the child's general file: never the safeguarding file or "
            "staff records. Speak to the designated safeguarding lead."
        )
    if not f.is_staff_at(child.site_id):
        return "This child is not at a setting where you work. Ask a manager at the child's setting."
    if not f.has_any(BREAK_GLASS_ROLES, child.site_id):
        return (
            "Students and volunteers cannot use emergency access. Use the emergency card, and ask "
            "the room lead or the manager."
        )
    if is_kept_out(f, child):
        return (
            "You cannot open this child's file: you are kept out of it. The designated safeguarding "
            "lead has been told. Ask the manager or the DSL to help."
        )
    if f.gated:
        return (
            "Read and acknowledge the policies waiting for you first; the emergency card is open to you now."
        )
    if reads_general(f, child):
        return "You can already open this child's file."
    return None


def is_kept_out(f: Facts, child: Child) -> bool:
    """The refusal that tells the DSL: a carer or relative, a conflict, or something about them."""
    return child.pk.hex in f.conflicted or about_me_in_file(f, child)
