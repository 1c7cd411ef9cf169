"""The emergency card and break-glass: who is in the rooms a person works in today,
the card of one child, the kitchen's list, and the uses of emergency access."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from access import policy
from access.models import MANAGERS, SAFEGUARDING_LEADS, BreakGlass, Membership, Role, RoomAssignment, User
from access.policy import emergency as rules
from access.selectors.people import name_key
from access.selectors.rosters import CHILD_IDENTITY
from records.models import Child, ChildCarer, Room

CARD_FIELDS = (
    *CHILD_IDENTITY,
    "site_id",
    "room_id",
    "status",
    "allergies",
    "dietary_needs",
    "medical_conditions",
    "medication",
)
DIETARY_FIELDS = (*CHILD_IDENTITY, "site_id", "room_id", "status", "allergies", "dietary_needs")


@dataclass
class Card:
    """What one person may see of one child in an emergency."""

    child: Child
    full: bool
    contacts: list[ChildCarer] = field(default_factory=list)
    may_collect: list[ChildCarer] = field(default_factory=list)
    collection_restricted: bool = False


def _by_name(children: QuerySet[Child]) -> list[Child]:
    return sorted(children, key=lambda c: (c.last_name.casefold(), c.first_name.casefold()))


def room_children(*, user: User) -> list[Child]:
    """The children in the rooms the person works in today (for their cards)."""
    facts = policy.facts_of(user)
    rooms = rules.room_ids_today(facts)
    if not rooms:
        return []
    found = (
        Child.objects.filter(room_id__in=list(rooms), site_id__in=list(facts.staff_site_ids))
        .exclude(status=Child.Status.LEFT)
        .select_related("site", "room")
        .only(*CARD_FIELDS)
    )
    return _by_name(found)


def kitchen_children(*, user: User) -> list[Child]:
    """Every child at the sites where the person works in the kitchen: allergies and diet only."""
    sites = rules.kitchen_site_ids(policy.facts_of(user))
    if not sites:
        return []
    found = (
        Child.objects.filter(site_id__in=list(sites))
        .exclude(status=Child.Status.LEFT)
        .select_related("site", "room")
        .only(*DIETARY_FIELDS)
    )
    return _by_name(found)


def card_get_for_user(*, user: User, child_id: uuid.UUID) -> Card:
    """One child's card, as much of it as this person may see; 404 if none of it."""
    facts = policy.facts_of(user)
    rooms = rules.room_ids_today(facts)
    child = (
        Child.objects.filter(pk=child_id)
        .filter(rules.card_children_q(facts, rooms))
        .select_related("site", "room")
        .only(*CARD_FIELDS)
        .first()
    )
    if child is None or not rules.sees_dietary_part(facts, child, rooms):
        raise Http404("No such child")
    if not rules.sees_card(facts, child, rooms):
        return Card(child=child, full=False)
    links = list(
        ChildCarer.objects.filter(child=child).select_related("carer").order_by("-emergency_contact")
    )
    return Card(
        child=child,
        full=True,
        contacts=[link for link in links if link.emergency_contact and not link.restricted_contact],
        may_collect=[link for link in links if link.may_collect and not link.restricted_contact],
        collection_restricted=any(link.restricted_contact for link in links),
    )


# --- break-glass ---------------------------------------------------------------------------


def children_for_break_glass(*, user: User) -> list[Child]:
    """Children at the person's sites whose file they cannot open: who the child is, nothing more."""
    facts = policy.facts_of(user)
    sites = facts.sites_with(*rules.BREAK_GLASS_ROLES)
    if not sites or facts.gated:
        return []
    found = (
        Child.objects.filter(site_id__in=list(sites))
        .exclude(status=Child.Status.LEFT)
        .exclude(policy.child_filter(user))
        .filter(policy.not_conflicted_q(user))
        .select_related("site", "room")
        .only(*CHILD_IDENTITY)
    )
    return _by_name(found)


def child_get_for_break_glass(*, user: User, child_id: uuid.UUID) -> Child:
    """A child at one of the person's sites (who the child is): the page that asks why."""
    found = (
        Child.objects.filter(pk=child_id, site_id__in=list(policy.facts_of(user).staff_site_ids))
        .exclude(status=Child.Status.LEFT)
        .select_related("site", "room")
        .only(*CHILD_IDENTITY, "site_id")
        .first()
    )
    if found is None:
        raise Http404("No such child")
    return found


def _uses() -> QuerySet[BreakGlass]:
    return BreakGlass.objects.select_related("grant", "child__site", "user", "reviewed_by")


# Who reviews a use when the site's only safeguarding lead used it (a small setting).
FALLBACK_REVIEWERS = (Role.CHAIR, Role.DATA_PROTECTION_LEAD, Role.PROPRIETOR)


def _reviewable(user: User) -> Q:
    facts = policy.facts_of(user)
    lead_sites = facts.sites_with(*SAFEGUARDING_LEADS)
    fallback_sites = facts.sites_with(*FALLBACK_REVIEWERS) - lead_sites
    as_lead = Q(child__site_id__in=list(lead_sites))
    as_fallback: Q = policy.NOTHING
    if fallback_sites:
        # At a site whose only safeguarding lead is the person who broke the glass.
        other_lead = (
            Membership.objects.live()
            .filter(role__in=SAFEGUARDING_LEADS, user__is_active=True, site_id=OuterRef("child__site_id"))
            .exclude(user_id=OuterRef("user_id"))
        )
        as_fallback = Q(Q(child__site_id__in=list(fallback_sites)), ~Exists(other_lead))
    return (as_lead | as_fallback) & ~Q(user_id=user.pk)


def break_glass_queue(*, user: User) -> QuerySet[BreakGlass]:
    """Uses waiting for this person's review (never their own), oldest first."""
    if policy.facts_of(user).gated:
        return BreakGlass.objects.none()
    return _uses().filter(_reviewable(user), reviewed_at__isnull=True).order_by("opened_at", "pk")


def break_glass_reviewed(*, user: User, limit: int = 20) -> list[BreakGlass]:
    if policy.facts_of(user).gated:
        return []
    return list(_uses().filter(_reviewable(user), reviewed_at__isnull=False).order_by("-reviewed_at")[:limit])


def break_glass_get_for_reviewer(*, user: User, break_glass_id: uuid.UUID) -> BreakGlass:
    found = (
        None if policy.facts_of(user).gated else _uses().filter(_reviewable(user), pk=break_glass_id).first()
    )
    if found is None:
        raise Http404("No such emergency access")
    return found


def break_glass_get_for_user(*, user: User, break_glass_id: uuid.UUID) -> BreakGlass:
    """One of the person's own uses (to end it, and to see its review)."""
    found = _uses().filter(user_id=user.pk, pk=break_glass_id).first()
    if found is None:
        raise Http404("No such emergency access")
    return found


def break_glass_of(*, user: User, limit: int = 10) -> list[BreakGlass]:
    """The person's own uses, newest first, with their reviews."""
    return list(_uses().filter(user_id=user.pk).order_by("-opened_at")[:limit])


def open_break_glass_for(*, user: User, child: Child) -> BreakGlass | None:
    """The person's emergency access to this child's file, while it is open."""
    for use in _uses().filter(user_id=user.pk, child_id=child.pk).order_by("-opened_at")[:1]:
        if use.is_open():
            return use
    return None


# --- rooms today ---------------------------------------------------------------------------


def rooms_today(*, user: User) -> list[tuple[Room, list[RoomAssignment]]]:
    """The rooms of the sites the person manages, each with who works there today."""
    sites = policy.facts_of(user).sites_with(*MANAGERS)
    if not sites:
        return []
    start, end = rules.today_bounds()
    today = RoomAssignment.objects.filter(
        Q(room__site_id__in=list(sites), starts_at__lt=end) & (Q(ends_at__isnull=True) | Q(ends_at__gt=start))
    ).select_related("user")
    by_room: dict[uuid.UUID, list[RoomAssignment]] = {}
    for assignment in sorted(today, key=lambda a: name_key(a.user)):  # names are sealed
        by_room.setdefault(assignment.room_id, []).append(assignment)
    rooms = Room.objects.filter(site_id__in=list(sites)).select_related("site").order_by("site__name", "name")
    return [(room, by_room.get(room.pk, [])) for room in rooms]


def room_get_for_manager(*, user: User, room_id: uuid.UUID) -> Room:
    found = Room.objects.select_related("site").filter(pk=room_id).first()
    if found is None or not policy.facts_of(user).has_any(MANAGERS, found.site_id):
        raise Http404("No such room")
    return found


def room_assignment_get_for_manager(*, user: User, room_assignment_id: uuid.UUID) -> RoomAssignment:
    found = RoomAssignment.objects.select_related("room", "user").filter(pk=room_assignment_id).first()
    if found is None or not policy.facts_of(user).has_any(MANAGERS, found.room.site_id):
        raise Http404("No such room assignment")
    return found
