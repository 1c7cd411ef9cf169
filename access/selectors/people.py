"""Who holds which role where: the people of a site, and the sites of a person."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable

from django.db.models import QuerySet
from django.http import Http404

from access.models import MANAGERS, STAFF_ROLES, Membership, SiteDevice, User
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
