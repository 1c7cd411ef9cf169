"""Who holds which role where: the people of a site, and the sites of a person."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable

from django.db.models import QuerySet

from access.models import STAFF_ROLES, Membership, User
from records.models import StaffMember


def people_with_role(*, site_id: uuid.UUID, roles: Collection[str] = STAFF_ROLES) -> QuerySet[User]:
    """Active people holding one of these roles at the site now."""
    live = Membership.objects.live().filter(site_id=site_id, role__in=list(roles))
    return User.objects.filter(is_active=True, pk__in=live.values("user_id"))


def name_key(user: User) -> tuple[str, str, str]:
    """How people are put in name order: in memory, as their names are sealed."""
    return ((user.last_name or "").casefold(), (user.first_name or "").casefold(), user.username)


def by_name(people: Iterable[User]) -> list[User]:
    return sorted(people, key=name_key)


def staff_at_site(*, site_id: uuid.UUID, roles: Collection[str] | None = None) -> list[User]:
    """The staff of one site (or those of them in these roles), by name."""
    return by_name(people_with_role(site_id=site_id, roles=roles or STAFF_ROLES))


def staff_at_sites(*, site_ids: Collection[uuid.UUID]) -> list[User]:
    live = Membership.objects.live().filter(site_id__in=list(site_ids), role__in=STAFF_ROLES)
    return by_name(User.objects.filter(is_active=True, pk__in=live.values("user_id")))


def names_of(ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of these people (for the audit pages, whose reasons name people by id)."""
    if not ids:
        return {}
    return {user.pk: str(user) for user in User.objects.filter(pk__in=list(ids))}


def staff_file_site_ids(member: StaffMember) -> frozenset[uuid.UUID]:
    """The sites of a staff file: wherever its person holds, or held, a role."""
    return frozenset(Membership.objects.filter(user_id=member.user_id).values_list("site_id", flat=True))
