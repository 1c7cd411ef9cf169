"""What waits for people: sign-off, open concerns, corrections, key children, a manager's numbers."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from access import policy
from access.models import MANAGEMENT, MANAGERS, SAFEGUARDING_LEADS, User
from access.selectors import children_for, records_for
from records.dates import is_overdue, overdue_before
from records.models import (
    Addendum,
    Category,
    Child,
    CorrectionRequest,
    FileVisit,
    Record,
    Site,
    Tier,
    UnidentifiedConcern,
)

# Day first, as people write dates in the UK; ISO too.
from records.selectors.children import LIST_FIELDS, LIST_ORDER, by_name
from records.selectors.files import count_of

# --- queues for the home page ---------------------------------------------------


def _queue_sites(standing: policy.Standing, roles: tuple[str, ...]) -> list[uuid.UUID]:
    return [s for s in standing.site_ids if standing.has_any(roles, s)]


def sign_off_waiting(*, user: User, standing: policy.Standing) -> QuerySet[Record]:
    """Information shared by families at the person's sites, waiting for their
    signature (not their own records), oldest first (paginated by the caller)."""
    sites = _queue_sites(standing, policy.SIGNERS)
    if not sites:
        return Record.objects.none()
    return (
        records_for(user)
        .filter(status=Record.Status.AWAITING_SIGN_OFF, child__site__in=sites)
        .exclude(author_id=user.pk)
        .select_related("child", "author__carer")
        .defer("body", "details", "amendment_reason", "source_name")
        .order_by("created_at", "pk")
    )


def next_to_sign(*, user: User, after: Record | None = None) -> uuid.UUID | None:
    """The oldest item still waiting for this person's signature (not `after`)."""
    waiting = sign_off_waiting(user=user, standing=policy.standing_of(user))
    if after is not None:
        waiting = waiting.exclude(pk=after.pk)
    found: uuid.UUID | None = waiting.values_list("pk", flat=True).first()
    return found


def flag_overdue(records: Iterable[Record]) -> list[Record]:
    """The records, each marked `overdue` if unsigned for more than two working days."""
    now = timezone.now()
    flagged = list(records)
    for record in flagged:
        record.overdue = is_overdue(record.created_at, now)
    return flagged


def returned_to_me(*, user: User) -> list[Record]:
    return list(
        records_for(user)
        .filter(status=Record.Status.RETURNED, author_id=user.pk)
        .select_related("child")
        .defer("body", "details", "amendment_reason", "source_name")
        .order_by("created_at")
    )


def open_concerns(*, user: User, standing: policy.Standing) -> QuerySet[Record]:
    """Open concerns at the sites where the person is DSL: new ones (nothing
    recorded on them yet) first, newest first; then those in hand, newest first."""
    sites = _queue_sites(standing, SAFEGUARDING_LEADS)
    if not sites:
        return Record.objects.none()
    return (
        records_for(user)
        .filter(category=Category.SAFEGUARDING_CONCERN, child__site__in=sites)
        .exclude(status__in=(Record.Status.CLOSED, Record.Status.SUPERSEDED))
        .select_related("child", "author__carer")
        .annotate(addendum_count=count_of(Addendum))
        .annotate(in_hand=Case(When(addendum_count=0, then=Value(0)), default=Value(1)))
        .defer("body", "details", "amendment_reason", "source_name")
        .order_by("in_hand", "-created_at", "pk")
    )


# Before any record: "never opened" counts every record as new.
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def key_children(*, user: User, limit: int = 25) -> list[Child]:
    """The person's key children (the first `limit` in list order), by name, each with
    what changed since the person last opened the file: `new_since` records by others in
    its general part, and `seen_at` (None if never opened)."""
    seen = FileVisit.objects.filter(user_id=user.pk, child=OuterRef("pk")).values("seen_at")[:1]
    new = (
        Record.objects.filter(child=OuterRef("pk"), tier=Tier.GENERAL)
        .exclude(status=Record.Status.SUPERSEDED)
        .exclude(author_id=user.pk)
        .filter(created_at__gt=Coalesce(OuterRef("seen_at"), Value(EPOCH)))
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return by_name(
        children_for(user)
        .filter(key_workers__user_id=user.pk, key_workers__ended_at__isnull=True)
        .exclude(status=Child.Status.LEFT)
        .select_related("site", "room")
        .only(*LIST_FIELDS)
        .annotate(seen_at=Subquery(seen))
        .annotate(new_since=Coalesce(Subquery(new), 0))
        .order_by(*LIST_ORDER)[:limit]
    )


def concerns_raised_by(*, user: User, limit: int = 10) -> list[datetime.datetime]:
    """When this person raised concerns. Only that they were received: what
    happened next is for the DSL and those the DSL names."""
    filed = Record.objects.filter(
        author_id=user.pk, category=Category.SAFEGUARDING_CONCERN, supersedes=None
    ).values_list("created_at", flat=True)
    # Those about a child they could not name, until the DSL files them (then they are records).
    described = UnidentifiedConcern.objects.filter(
        author_id=user.pk, status=UnidentifiedConcern.Status.WAITING
    ).values_list("created_at", flat=True)
    return list(filed.order_by().union(described.order_by(), all=True).order_by("-created_at")[:limit])


def site_numbers(*, user: User, standing: policy.Standing) -> list[dict[str, Any]]:
    """For a manager: each of their sites' children by status, and the family
    information waiting for sign-off (and how much of it is overdue)."""
    sites = _queue_sites(standing, MANAGERS)
    if not sites:
        return []
    by_site: dict[uuid.UUID, dict[str, Any]] = {
        s.pk: {"site": s, "statuses": {}, "waiting": 0, "overdue": 0}
        for s in Site.objects.filter(pk__in=sites)
    }
    for row in (
        Child.objects.filter(site__in=sites).values("site_id", "status").annotate(n=Count("pk")).order_by()
    ):
        by_site[row["site_id"]]["statuses"][Child.Status(row["status"]).label] = row["n"]
    cutoff = overdue_before(timezone.now())
    waiting = Record.objects.filter(status=Record.Status.AWAITING_SIGN_OFF, child__site__in=sites)
    for row in (
        waiting.values("child__site_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(created_at__lt=cutoff)))
        .order_by()
    ):
        by_site[row["child__site_id"]]["waiting"] = row["n"]
        by_site[row["child__site_id"]]["overdue"] = row["late"]
    return sorted(by_site.values(), key=lambda s: s["site"].name)


def overdue_sign_offs(*, user: User, standing: policy.Standing, limit: int = 10) -> list[Record]:
    """For a manager: family information unsigned for more than two working days, oldest first."""
    sites = _queue_sites(standing, MANAGERS)
    if not sites:
        return []
    return list(
        records_for(user)
        .filter(
            status=Record.Status.AWAITING_SIGN_OFF,
            child__site__in=sites,
            created_at__lt=overdue_before(timezone.now()),
        )
        .select_related("child", "author__carer")
        .defer("body", "details", "amendment_reason", "source_name")
        .order_by("created_at", "pk")[:limit]
    )


def correction_queue(*, user: User, standing: policy.Standing) -> list[CorrectionRequest]:
    """Pending corrections for children the person may read, at sites they manage."""
    sites = _queue_sites(standing, MANAGEMENT)
    if not sites:
        return []
    return list(
        CorrectionRequest.objects.filter(
            status=CorrectionRequest.Status.PENDING,
            child__site__in=sites,
            child__in=children_for(user).values("pk"),
        )
        .select_related("child", "carer")
        .order_by("created_at")[:200]
    )
