"""Finding a child to raise a concern about or to ask access for: who the
child is (name, date of birth, room), never anything of the file."""

from __future__ import annotations

import datetime
import functools
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from access import policy
from access.models import MANAGERS, AccessRequest, RoomAssignment, User
from access.policy import facts
from access.selectors.files import children_for
from crypto.fields import blind_index_field
from records.models import Child, Site, UnidentifiedConcern


@dataclass(frozen=True)
class ChildIdentity:
    """A child as someone who knows them names them: first name, last name, date of birth."""

    first_name: str
    last_name: str
    date_of_birth: datetime.date


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


def _identity(children: QuerySet[Child]) -> QuerySet[Child]:
    """Current children, with only what identifies them loaded."""
    return (
        children.exclude(status=Child.Status.LEFT)
        .select_related("site", "room")
        .only(*CHILD_IDENTITY)
        .distinct()
    )


def _at_my_sites(user: User) -> QuerySet[Child]:
    return Child.objects.filter(site_id__in=policy.standing_of(user).staff_site_ids)


def _in_my_rooms(user: User) -> QuerySet[Child]:
    """Children in the rooms the person works in today (their room assignments)."""
    now = timezone.now()
    rooms = RoomAssignment.objects.filter(user_id=user.pk, starts_at__lte=now).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )
    return _at_my_sites(user).filter(room_id__in=rooms.values("room_id"))


def _matching(children: QuerySet[Child], identity: ChildIdentity) -> QuerySet[Child]:
    """Exact match on first name, last name and date of birth (blind indexes): finding a
    child needs knowing who they are, so the search cannot be used to list a setting."""
    index = functools.partial(blind_index_field, Child)
    return children.filter(
        first_name_bidx=index("first_name_bidx").digest(identity.first_name),
        last_name_bidx=index("last_name_bidx").digest(identity.last_name),
        date_of_birth_bidx=index("date_of_birth_bidx").digest(identity.date_of_birth),
    )


def _by_name(children: QuerySet[Child]) -> list[Child]:
    return sorted(children, key=lambda c: (c.last_name.casefold(), c.first_name.casefold()))


def children_for_concern(*, user: User, identity: ChildIdentity | None = None) -> list[Child]:
    """Who the person may choose to raise a concern about: the children in their rooms
    today and their key children, or the child they named in full. Never the site's roster
    (a child they cannot name is described instead: UnidentifiedConcern)."""
    if not policy.is_signed_in_person(user):
        return []
    if identity is not None:
        return _by_name(_identity(_matching(_at_my_sites(user), identity)))
    mine = _in_my_rooms(user) | _at_my_sites(user).filter(
        pk__in=facts.key_children_source(user.pk, timezone.now()).values("child_id")
    )
    return _by_name(_identity(mine))


def children_for_access_request(*, user: User, identity: ChildIdentity | None = None) -> list[Child]:
    """Children at the person's settings whose file they cannot read (and are not kept out
    of): in their rooms today, or the child they named in full. Who the child is, nothing
    of the file. None while the person has a policy to read (the gate): they ask once they
    have read it."""
    if not policy.is_signed_in_person(user) or policy.facts_of(user).gated:
        return []
    found = _matching(_at_my_sites(user), identity) if identity is not None else _in_my_rooms(user)
    found = found.exclude(pk__in=children_for(user).values("pk")).filter(policy.not_conflicted_q(user))
    return _by_name(_identity(found))


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


# --- concerns about a child not yet identified ------------------------------------------


def sites_for_concern(*, user: User) -> list[Site]:
    """The settings where the person works with the children, by name."""
    return list(Site.objects.filter(pk__in=policy.standing_of(user).staff_site_ids).order_by("name"))


def unidentified_concerns_waiting(*, user: User) -> QuerySet[UnidentifiedConcern]:
    """For the safeguarding leads of each site: concerns still to be filed in a child's file."""
    sites = policy.standing_of(user).sites_with(*policy.SAFEGUARDING_LEADS)
    return (
        UnidentifiedConcern.objects.filter(site_id__in=list(sites), status=UnidentifiedConcern.Status.WAITING)
        .select_related("site", "author")
        .order_by("created_at")
    )


def unidentified_concern_get_for_lead(*, user: User, concern_id: uuid.UUID) -> UnidentifiedConcern:
    concern = (
        UnidentifiedConcern.objects.select_related("site", "author", "record", "linked_by")
        .filter(pk=concern_id)
        .first()
    )
    if concern is None or not policy.may_handle_unidentified_concern(policy.standing_of(user), concern):
        raise Http404("No such concern")
    return concern


def unidentified_concerns_raised_by(*, user: User, limit: int = 10) -> list[UnidentifiedConcern]:
    """The person's own, shown to them only as received."""
    return list(
        UnidentifiedConcern.objects.filter(author_id=user.pk)
        .only("id", "created_at")
        .order_by("-created_at")[:limit]
    )
