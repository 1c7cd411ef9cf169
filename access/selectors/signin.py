"""Sign-in help for managers: the people of their sites, and resets waiting for a second
person; and a person's own security keys and passkeys."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from access.models import CONFIRMERS, MANAGERS, Membership, Role, SecurityKey, TwoFactorReset, User
from access.policy import Facts
from access.selectors.people import by_name

# Who sees a site's sign-in help: its managers, the technical admin, and the confirmers.
HELPERS = (*MANAGERS, Role.ADMIN, *CONFIRMERS)


def sign_in_help_sites(facts: Facts) -> frozenset[uuid.UUID]:
    return facts.sites_with(*HELPERS)


def people_at(site_ids: Collection[uuid.UUID]) -> list[User]:
    """Everyone with a role at these sites now (staff, trustees, the admin), by name."""
    live = Membership.objects.live().filter(site_id__in=list(site_ids))
    return by_name(User.objects.filter(is_active=True, pk__in=live.values("user_id")))


def person_at(site_ids: Collection[uuid.UUID], user_id: uuid.UUID) -> User | None:
    live = Membership.objects.live().filter(site_id__in=list(site_ids), user_id=user_id)
    return User.objects.filter(is_active=True, pk__in=live.values("user_id")).first()


def resets_waiting(site_ids: Collection[uuid.UUID]) -> list[TwoFactorReset]:
    live = Membership.objects.live().filter(site_id__in=list(site_ids))
    return list(
        TwoFactorReset.objects.filter(
            confirmed_at__isnull=True, cancelled_at__isnull=True, user_id__in=live.values("user_id")
        ).select_related("user", "requested_by")
    )


def reset_at(site_ids: Collection[uuid.UUID], reset_id: uuid.UUID) -> TwoFactorReset | None:
    return next((r for r in resets_waiting(site_ids) if r.pk == reset_id), None)


def security_keys_of(user: User) -> list[SecurityKey]:
    """The person's own keys that work (confirmed), in the order they were added."""
    return list(SecurityKey.objects.filter(user=user, confirmed=True).order_by("created_at"))


def security_key_of(user: User, key_id: uuid.UUID, *, confirmed: bool) -> SecurityKey | None:
    """One of the person's own keys, and nobody else's: a key just added (to be named), or
    one that works (to be removed)."""
    return SecurityKey.objects.filter(user=user, pk=key_id, confirmed=confirmed).first()
