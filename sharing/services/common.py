"""What every sharing service shares: its one audit entry, and telling people."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from access import policy
from access.models import KeyWorkerAssignment, User
from access.selectors.people import people_with_role
from audit.models import Event
from audit.services import audit_event
from records.models import Child
from records.services.notifications import notify

__all__ = ["Event", "PermissionDenied", "audit", "require", "tell"]


def require(allowed: bool) -> None:
    """Refuse (a 404 for the person, as for what does not exist) unless allowed."""
    if not allowed:
        raise PermissionDenied


def audit(
    *,
    actor: User | None,
    event: str,
    obj: models.Model,
    child: Child | None,
    tier: str,
    reason: str,
    data: dict[str, Any] | None = None,
) -> None:
    """The one entry a sharing service writes. Names nobody: ids and codes only."""
    audit_event(
        actor=actor,
        event=event,
        obj=obj,
        child_id=child.pk if child is not None else None,
        tier=tier,
        reason=reason,
        additional_data=data,
    )


def tell(
    *,
    site_id: uuid.UUID,
    roles: Collection[str],
    message: str,
    url: str,
    child: Child | None,
    besides: User,
    key_people: bool = False,
) -> None:
    """Notify the people holding these roles at the site, and (with key_people) the
    child's key people there (never the person acting, nor anyone kept out of the
    child's file). The message names nobody."""
    people = people_with_role(site_id=site_id, roles=tuple(roles))
    if child is not None and key_people:
        keyed = KeyWorkerAssignment.objects.filter(child=child, ended_at__isnull=True).values("user_id")
        people = people | people_with_role(site_id=site_id).filter(pk__in=keyed)
    people = people.exclude(pk=besides.pk)
    if child is not None:
        people = people.exclude(policy.kept_out_of(child))
    notify(recipients=list(people.distinct()), message=message, url=url)
