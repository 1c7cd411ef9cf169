"""Reads of the files. Every one starts from what access lets the person see."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db.models import Q, QuerySet

from records.models import Child, Record

# Day first, as people write dates in the UK; ISO too.
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y")
LIST_FIELDS = (
    "id", "site__name", "room", "status", "first_name", "last_name", "preferred_name",
    "date_of_birth",
)


def child_list(*, user: Any) -> list[Child]:
    """The children this person may see, in name order (names are sealed, so
    ordering happens after they are opened)."""
    children = (
        Child.objects.visible_to(user).select_related("site").only(*LIST_FIELDS)
    )
    return sorted(children, key=lambda c: (c.last_name.casefold(), c.first_name.casefold()))


def child_count(*, user: Any) -> int:
    return Child.objects.visible_to(user).count()


def parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 - a date, not a time
        except ValueError:
            continue
    return None


def child_search_filter(query: str) -> Q | None:
    """Exact-match search on the blind indexes: a date of birth, one name, or a
    full name split at any space ("Mary Ann Smith" tries each split)."""
    text = " ".join(query.split())
    if not text:
        return None
    field = Child._meta.get_field
    date = parse_date(text)
    if date is not None:
        return Q(date_of_birth_bidx=field("date_of_birth_bidx").digest(date))
    if "," in text:
        # "Smith, Ava": the form the child list shows.
        last, _, first = (part.strip() for part in text.partition(","))
        return Q(
            first_name_bidx=field("first_name_bidx").digest(first),
            last_name_bidx=field("last_name_bidx").digest(last),
        )
    condition = Q(first_name_bidx=field("first_name_bidx").digest(text)) | Q(
        last_name_bidx=field("last_name_bidx").digest(text)
    )
    words = re.split(r" ", text)
    for cut in range(1, len(words)):
        first, last = " ".join(words[:cut]), " ".join(words[cut:])
        condition |= Q(
            first_name_bidx=field("first_name_bidx").digest(first),
            last_name_bidx=field("last_name_bidx").digest(last),
        )
    return condition


def child_search(*, user: Any, query: str) -> list[Child]:
    condition = child_search_filter(query)
    if condition is None:
        return []
    found: QuerySet[Child] = (
        Child.objects.visible_to(user).filter(condition).select_related("site").only(*LIST_FIELDS)
    )
    return sorted(found, key=lambda c: (c.last_name.casefold(), c.first_name.casefold()))


def record_history(*, user: Any, record: Record, limit: int = 50) -> list[Record]:
    """The earlier revisions of a record, newest first (each amendment supersedes one)."""
    history: list[Record] = []
    current = record
    while current.supersedes_id and len(history) < limit:
        previous = (
            Record.objects.visible_to(user).select_related("author").filter(pk=current.supersedes_id).first()
        )
        if previous is None:
            break
        history.append(previous)
        current = previous
    return history
