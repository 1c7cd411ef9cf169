"""Who holds which role where: the people of a site, and the sites of a person."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from access.models import CONFIRMED_ROLES, CONFIRMERS, MANAGERS, STAFF_ROLES, Membership, SiteDevice, User
from access.policy.circumstances import device_hash
from access.policy.facts import facts_of
from records.models import Site, StaffMember


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


def sites_named(site_ids: Collection[uuid.UUID]) -> list[Site]:
    """These sites, by name (for notices and choices: a site's name is not personal)."""
    return list(Site.objects.filter(pk__in=list(site_ids)).order_by("name"))


def site_get_for(*, user: User, site_id: uuid.UUID, roles: Collection[str]) -> Site:
    """A site where the person holds one of these roles now; 404 otherwise."""
    if not facts_of(user).has_any(tuple(roles), site_id):
        raise Http404("No such site")
    return Site.objects.get(pk=site_id)


def site_device_get_for_manager(*, user: User, device_id: uuid.UUID) -> SiteDevice:
    device = SiteDevice.objects.select_related("site").filter(pk=device_id, revoked_at__isnull=True).first()
    if device is None or not facts_of(user).has_any(MANAGERS, device.site_id):
        raise Http404("No such device")
    return device


def site_devices(*, site: Site, secrets: Collection[str]) -> list[SiteDevice]:
    """The site's registered devices, each saying whether it is the browser asking."""
    mine = {device_hash(secret) for secret in secrets}
    devices = list(
        SiteDevice.objects.filter(site=site, revoked_at__isnull=True).select_related("registered_by")
    )
    for device in devices:
        device.is_this_browser = device.secret_hash in mine  # type: ignore[attr-defined]
    return devices


# --- the people pages: a site's managers (and those who confirm roles) ------------------


def people_sites(user: User) -> frozenset[uuid.UUID]:
    """The sites whose people this person looks after: as a manager, or as one who
    confirms new senior roles (the chair, the data-protection lead, the proprietor)."""
    return facts_of(user).sites_with(*MANAGERS, *CONFIRMERS)


def people_at_sites(*, user: User) -> list[tuple[User, list[Membership]]]:
    """Everyone holding or waiting for a role at those sites, by name, with those roles."""
    sites = people_sites(user)
    if not sites:
        raise Http404("No such page")
    memberships = (
        Membership.objects.filter(site_id__in=list(sites))
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now()))
        .select_related("user", "site", "created_by")
        .order_by("starts_at")
    )
    found: dict[uuid.UUID, tuple[User, list[Membership]]] = {}
    for membership in memberships:
        found.setdefault(membership.user_id, (membership.user, []))[1].append(membership)
    return sorted(found.values(), key=lambda pair: name_key(pair[0]))


def person_get_for_people_page(*, user: User, person_id: uuid.UUID) -> tuple[User, list[Membership]]:
    """A person with a role (past, present or to come) at one of those sites, and those roles."""
    sites = people_sites(user)
    memberships = list(
        Membership.objects.filter(site_id__in=list(sites), user_id=person_id)
        .select_related("site", "created_by", "confirmed_by", "ended_by")
        .order_by("-starts_at")
    )
    if not memberships:
        raise Http404("No such person")
    return memberships[0].user, memberships


def membership_get_for_people_page(*, user: User, membership_id: uuid.UUID) -> Membership:
    membership = Membership.objects.select_related("site", "user").filter(pk=membership_id).first()
    if membership is None or membership.site_id not in people_sites(user):
        raise Http404("No such role")
    return membership


def roles_waiting_for(*, user: User) -> list[Membership]:
    """New senior roles at the person's sites that they may confirm (not their own, nor
    ones they gave)."""
    sites = facts_of(user).sites_with(*CONFIRMERS)
    if not sites:
        return []
    waiting = (
        Membership.objects.filter(
            site_id__in=list(sites),
            role__in=list(CONFIRMED_ROLES),
            confirmed_at__isnull=True,
            ends_at__isnull=True,
        )
        .exclude(user_id=user.pk)
        .exclude(created_by_id=user.pk)
        .select_related("user", "site", "created_by")
    )
    return sorted(waiting, key=lambda m: name_key(m.user))


def managed_sites(user: User) -> list[Site]:
    return sites_named(facts_of(user).sites_with(*MANAGERS))
