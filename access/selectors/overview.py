"""Who can read a file, and why (the Access tab); the access rows a manager may change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TypeVar

from django.http import Http404
from django.utils import timezone

from access import policy
from access.models import (
    KEY_WORKER_ROLES,
    SAFEGUARDING_LEADS,
    SITE_READERS,
    Conflict,
    Grant,
    KeyWorkerAssignment,
    Membership,
    Role,
    Scope,
    User,
)
from access.selectors.people import name_key, people_with_role, staff_file_site_ids
from records.models import Child

# The rows about a child that the manager of the child's site may change.
_AboutChild = TypeVar("_AboutChild", KeyWorkerAssignment, Conflict)


@dataclass
class Reader:
    user: User
    reasons: list[str] = field(default_factory=list)


@dataclass
class AccessOverview:
    readers: list[Reader]
    safeguarding_readers: list[Reader]
    kept_out: list[Reader]
    key_workers: list[KeyWorkerAssignment]
    grants: list[Grant]
    past_grants: list[Grant]
    conflicts: list[Conflict]


def _add(readers: dict[uuid.UUID, Reader], user: User, reason: str) -> None:
    readers.setdefault(user.pk, Reader(user=user)).reasons.append(reason)


def child_access_overview(*, child: Child) -> AccessOverview:
    """Everyone who can read this child's file today, and why. A fixed number of
    queries, however many people and grants there are."""
    now = timezone.now()
    staff = people_with_role(site_id=child.site_id).values("pk")
    key_people = people_with_role(site_id=child.site_id, roles=KEY_WORKER_ROLES).values("pk")
    key_workers = list(
        KeyWorkerAssignment.objects.filter(
            child=child, ended_at__isnull=True, user__in=key_people
        ).select_related("user", "assigned_by")
    )
    role_rows = (
        Membership.objects.live(now)
        .filter(user__is_active=True, site_id=child.site_id, role__in=SITE_READERS)
        .select_related("user")
    )
    grants = list(Grant.objects.filter(child=child).select_related("grantee", "granted_by", "revoked_by"))
    on_staff = set(staff.values_list("pk", flat=True))
    live = [g for g in grants if g.is_live(now) and g.grantee_id in on_staff]
    conflicts = list(
        Conflict.objects.filter(child=child, cleared_at__isnull=True).select_related("user", "recorded_by")
    )
    # Carers who are also on the staff; other carers never see staff pages anyway.
    carers = list(User.objects.filter(carer__child_links__child=child, staff_member__isnull=False).distinct())

    kept_out: dict[uuid.UUID, Reader] = {}
    for conflict in conflicts:
        _add(kept_out, conflict.user, "Declared conflict of interest")
    for user in carers:
        _add(kept_out, user, "A parent, carer or relative of the child")

    readers: dict[uuid.UUID, Reader] = {}
    safeguarding: dict[uuid.UUID, Reader] = {}
    for assignment in key_workers:
        _add(readers, assignment.user, "Key person")
    for row in role_rows:
        label = Role(row.role).label
        _add(readers, row.user, f"{label} at {child.site.name}")
        if row.role in SAFEGUARDING_LEADS:
            _add(safeguarding, row.user, f"{label} at {child.site.name}")
    for grant in live:
        until = f", until {timezone.localtime(grant.expires_at):%-d %b %Y %H:%M}" if grant.expires_at else ""
        target = safeguarding if grant.scope == Scope.SAFEGUARDING_FILE else readers
        _add(target, grant.grantee, f"Granted by {grant.granted_by.get_full_name()}{until}")

    def without_kept_out(people: dict[uuid.UUID, Reader]) -> list[Reader]:
        found = [r for pk, r in people.items() if pk not in kept_out]
        return sorted(found, key=lambda r: name_key(r.user))

    return AccessOverview(
        readers=without_kept_out(readers),
        safeguarding_readers=without_kept_out(safeguarding),
        kept_out=list(kept_out.values()),
        key_workers=key_workers,
        grants=live,
        past_grants=[g for g in grants if not g.is_live(now)][:20],
        conflicts=conflicts,
    )


def grant_get_for_manager(*, user: User, grant_id: uuid.UUID) -> Grant:
    """A grant the person may revoke: on a child at a site they manage (or, for
    safeguarding, lead), or on a staff file at a site where they are HR."""
    standing = policy.standing_of(user)
    try:
        grant = Grant.objects.select_related("child", "staff_member").get(pk=grant_id)
    except Grant.DoesNotExist:
        raise Http404("No such grant") from None
    if grant.staff_member is not None:
        sites = staff_file_site_ids(grant.staff_member)
        allowed = bool(standing.sites_with(Role.HR) & sites)
    elif grant.child is not None:
        allowed = policy.may_grant(standing, grant.child, grant.scope)
    else:
        allowed = False
    if not allowed:
        raise Http404("No such grant")
    return grant


def _get_for_site_manager(model: type[_AboutChild], *, user: User, pk: uuid.UUID) -> _AboutChild:
    """A row about a child, for the manager of the child's site; 404 for anyone else."""
    standing = policy.standing_of(user)
    found = model.objects.select_related("child").filter(pk=pk).first()
    if found is None or not policy.may_manage_access(standing, found.child):
        raise Http404(f"No such {model._meta.verbose_name}")
    return found


def assignment_get_for_manager(*, user: User, assignment_id: uuid.UUID) -> KeyWorkerAssignment:
    return _get_for_site_manager(KeyWorkerAssignment, user=user, pk=assignment_id)


def conflict_get_for_manager(*, user: User, conflict_id: uuid.UUID) -> Conflict:
    return _get_for_site_manager(Conflict, user=user, pk=conflict_id)


def safeguarding_reader_count(*, child: Child) -> int:
    return len(child_access_overview(child=child).safeguarding_readers)
