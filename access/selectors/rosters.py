"""Finding a child to raise a concern about or to ask access for: who the
child is (name, date of birth, room), never anything of the file."""

from __future__ import annotations

import uuid

from django.http import Http404

from access import policy
from access.models import MANAGERS, AccessRequest, User
from access.selectors.files import children_for
from records.models import Child

CHILD_IDENTITY = (
    "id",
    "site__name",
    "room__name",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
)


def child_get_for_concern(*, user: User, child_id: uuid.UUID) -> Child:
    """A child at one of the person's sites, for raising a concern. Raising is
    not reading: only what identifies the child is loaded."""
    try:
        return (
            Child.objects.filter(site_id__in=policy.standing_of(user).staff_site_ids)
            .exclude(status=Child.Status.LEFT)
            .select_related("site", "room")
            .only(*CHILD_IDENTITY)
            .get(pk=child_id)
        )
    except Child.DoesNotExist:
        raise Http404("No such child") from None


def children_for_concern(*, user: User) -> list[Child]:
    if not policy.is_signed_in_person(user):
        return []
    children = (
        Child.objects.filter(site_id__in=policy.standing_of(user).staff_site_ids)
        .exclude(status=Child.Status.LEFT)
        .select_related("site", "room")
        .only(*CHILD_IDENTITY)
        .distinct()
    )
    return sorted(children, key=lambda c: (c.last_name.casefold(), c.first_name.casefold()))


def children_for_access_request(*, user: User) -> list[Child]:
    """Children at the person's settings whose file they cannot read (and are
    not kept out of): who the child is, nothing of the file. None while the
    person has a policy to read (the gate): they ask once they have read it."""
    if not policy.is_signed_in_person(user) or policy.facts_of(user).gated:
        return []
    children = (
        Child.objects.filter(site_id__in=policy.standing_of(user).staff_site_ids)
        .exclude(status=Child.Status.LEFT)
        .exclude(pk__in=children_for(user).values("pk"))
        .filter(policy.not_conflicted_q(user))
        .select_related("site", "room")
        .only(*CHILD_IDENTITY)
        .distinct()
    )
    return sorted(children, key=lambda c: (c.last_name.casefold(), c.first_name.casefold()))


def child_get_for_access_request(*, user: User, child_id: uuid.UUID) -> Child:
    if policy.facts_of(user).gated:
        raise Http404("No such child")
    try:
        return (
            Child.objects.filter(site_id__in=policy.standing_of(user).staff_site_ids)
            .exclude(status=Child.Status.LEFT)
            .filter(policy.not_conflicted_q(user))
            .select_related("site", "room")
            .only(*CHILD_IDENTITY)
            .distinct()
            .get(pk=child_id)
        )
    except Child.DoesNotExist:
        raise Http404("No such child") from None


def pending_access_requests(*, standing: policy.Standing) -> list[AccessRequest]:
    sites = standing.sites_with(*MANAGERS)
    if not sites or standing.gated:
        return []
    return list(
        AccessRequest.objects.filter(status=AccessRequest.Status.PENDING, child__site__in=sites)
        .select_related("child", "requester")
        .order_by("created_at")[:200]
    )


def access_request_get_for_manager(*, user: User, request_id: uuid.UUID) -> AccessRequest:
    if policy.facts_of(user).gated:
        raise Http404("No such request")
    found = (
        AccessRequest.objects.select_related("child__site", "requester", "decided_by")
        .filter(
            pk=request_id,
            child__site_id__in=policy.standing_of(user).sites_with(*MANAGERS),
        )
        .filter(policy.not_conflicted_q(user, child="child_id"))
        .first()
    )
    if found is None:
        raise Http404("No such request")
    return found


def access_requests_by(*, user: User, limit: int = 20) -> list[AccessRequest]:
    """The person's own requests, newest first."""
    return list(
        AccessRequest.objects.filter(requester_id=user.pk)
        .select_related("child")
        .order_by("-created_at")[:limit]
    )
