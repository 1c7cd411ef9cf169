"""Finding children: the list, its filters, search by name or date of birth."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet

from access.models import KeyWorkerAssignment, User
from access.selectors import by_name as people_by_name
from access.selectors import children_for, records_for
from crypto.fields import blind_index_field
from records.models import (
    Child,
    Record,
    Site,
)

# Day first, as people write dates in the UK; ISO too.
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y")
LIST_FIELDS = (
    "id",
    "site__name",
    "room__name",
    "status",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
)


def by_name(children: Iterable[Child]) -> list[Child]:
    return sorted(children, key=lambda c: (c.last_name.casefold(), c.first_name.casefold()))


# Names are sealed, so the database cannot put children in name order; the
# list is in an order that reveals nothing: setting, room (which in a nursery
# follows age), the day the child started, then a random id. docs/staff.md.
# Children not yet in a room come first, on every database (PostgreSQL would put them last).
LIST_ORDER = ("site__name", F("room__name").asc(nulls_first=True), "enrolment_start", "pk")
CHILD_LIST_PAGE_SIZE = 50


def child_list(
    *, user: User, site: str = "", room: str = "", key_worker: str = "", status: str = ""
) -> QuerySet[Child]:
    """The children this person may see, narrowed by the list's filters, for
    one page at a time (paginated by the caller: only that page is opened)."""
    children = children_for(user)
    if site:
        children = children.filter(site_id=site)
    if room:
        children = children.filter(room_id=room)
    if key_worker:
        worker = user.pk if key_worker == "me" else key_worker
        children = children.filter(key_workers__user_id=worker, key_workers__ended_at__isnull=True)
    if status == "":
        children = children.exclude(status=Child.Status.LEFT)
    elif status != "all":
        children = children.filter(status=status)
    return children.select_related("site", "room").only(*LIST_FIELDS).order_by(*LIST_ORDER)


def child_filter_options(*, user: User) -> dict[str, list[Any]]:
    """What the child list can be narrowed by: the settings and rooms of the
    children this person may see, and the key people of those settings."""
    places = set(
        children_for(user).values_list("site_id", "site__name", "room_id", "room__name").distinct().order_by()
    )
    sites = sorted({Site(pk=pk, name=name) for pk, name, _, _ in places}, key=lambda s: s.name)
    rooms = sorted({(room, name) for _, _, room, name in places if room}, key=lambda r: r[1])
    workers = User.objects.filter(
        pk__in=KeyWorkerAssignment.objects.filter(
            ended_at__isnull=True, child__site__in=[s.pk for s in sites]
        ).values("user_id")
    ).exclude(pk=user.pk)
    return {"sites": sites, "rooms": rooms, "key_workers": people_by_name(workers)}


def child_count(*, user: User) -> int:
    return children_for(user).count()


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
    field = functools.partial(blind_index_field, Child)
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


# --- find a child as you type -----------------------------------------------------------

FIND_SHOWN = 10
FIND_MIN_LETTERS = 2


def folded(text: str) -> str:
    """Lower case without accents: "Zoë" is found by "zoe"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _name_words(child: Child) -> list[str]:
    names = f"{child.first_name} {child.last_name} {child.preferred_name or ''}"
    return [w for w in re.split(r"[\s'-]+", folded(names)) if w]


def child_find(*, user: User, text: str) -> list[Child]:
    """Children the person may see whose names begin with what was typed ("av", "ava sm"):
    each typed word starts one of the child's names. Names are sealed, so the names of the
    children the person may see are opened for each search, and nothing is kept between
    requests (docs/staff.md, with its cost measured in docs/performance.md)."""
    typed = [w for w in re.split(r"[\s'-]+", folded(text)) if w]
    if len("".join(typed)) < FIND_MIN_LETTERS:
        return []
    found = []
    fields = ("id", "site__name", "room__name", "status", "first_name", "last_name", "preferred_name")
    children = children_for(user).select_related("site", "room").only(*fields, "date_of_birth")
    for child in children.iterator(chunk_size=2000):
        words = _name_words(child)
        if all(any(word.startswith(t) for word in words) for t in typed):
            exact = all(t in words for t in typed)
            found.append((not exact, child.status == Child.Status.LEFT, child))
    found.sort(key=lambda f: (f[0], f[1], f[2].last_name.casefold(), f[2].first_name.casefold()))
    return [child for *_, child in found[:FIND_SHOWN]]


def child_search(*, user: User, query: str) -> list[Child]:
    condition = child_search_filter(query)
    if condition is None:
        return []
    found: QuerySet[Child] = (
        children_for(user).filter(condition).select_related("site", "room").only(*LIST_FIELDS)
    )
    return by_name(found)


def record_history(*, user: User, record: Record, limit: int = 50) -> list[Record]:
    """The earlier revisions of a record, newest first (each amendment supersedes one)."""
    history: list[Record] = []
    current = record
    while current.supersedes_id and len(history) < limit:
        previous = records_for(user).select_related("author").filter(pk=current.supersedes_id).first()
        if previous is None:
            break
        history.append(previous)
        current = previous
    return history
