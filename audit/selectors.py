"""Reading the trail. Callers pass the scope a person may see (access/selectors.py)."""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEntry


def entries(scope: Q) -> QuerySet[AuditEntry]:
    # Rows the sealer kept out of the chain (no valid row MAC: not written by
    # Confide) are on no page; verify_audit reports them.
    return AuditEntry.objects.filter(scope).exclude(seq__lt=0).select_related("actor")


def filtered(
    queryset: QuerySet[AuditEntry],
    *,
    actor: AbstractBaseUser | None = None,
    child_id: uuid.UUID | None = None,
    event: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    if actor is not None:
        queryset = queryset.filter(actor=actor.pk)
    if child_id:
        queryset = queryset.filter(child_id=child_id)
    if event:
        queryset = queryset.filter(event=event)
    zone = timezone.get_current_timezone()
    if date_from:
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=zone)
        queryset = queryset.filter(timestamp__gte=start)
    if date_to:
        end = datetime.datetime.combine(date_to, datetime.time.max, tzinfo=zone)
        queryset = queryset.filter(timestamp__lte=end)
    return queryset


def for_child(*, child_id: uuid.UUID, tiers: set[str], hidden: list[str]) -> QuerySet[AuditEntry]:
    """A child's history, limited to the tiers given and without the objects hidden."""
    return entries(Q(child_id=child_id, tier__in=tiers) & ~Q(object_pk__in=hidden))


def for_actor(*, user: AbstractBaseUser) -> QuerySet[AuditEntry]:
    return entries(Q(actor=user))


PAGE_SIZE = 50


def page_before(
    queryset: QuerySet[AuditEntry], cursor: str | None, *, size: int = PAGE_SIZE
) -> tuple[list[AuditEntry], str | None]:
    """One page of entries, newest first, older than the cursor; and the cursor
    of the next (older) page, or None. Keyset paging: no count of the whole
    trail, so a page costs the same however long the trail grows."""
    ordered = queryset.order_by("-timestamp", "-id")
    position = _parse_cursor(cursor)
    if position is not None:
        when, entry_id = position
        ordered = ordered.filter(Q(timestamp__lt=when) | Q(timestamp=when, id__lt=entry_id))
    rows = list(ordered[: size + 1])
    older = _cursor(rows[size - 1]) if len(rows) > size else None
    return rows[:size], older


def _cursor(entry: AuditEntry) -> str:
    return f"{entry.timestamp.isoformat()}~{entry.pk}"


def _parse_cursor(cursor: str | None) -> tuple[datetime.datetime, int] | None:
    if not cursor:
        return None
    when, _, entry_id = cursor.partition("~")
    try:
        parsed = datetime.datetime.fromisoformat(when)
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)), int(entry_id)
    except ValueError:
        return None  # a damaged link shows the newest page
