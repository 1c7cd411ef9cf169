"""Reads of the files. Every one starts from what access lets the person see."""

from __future__ import annotations

import datetime
import functools
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from access import policy
from access.models import KeyWorkerAssignment, Role, User
from access.selectors import children_for, records_for
from crypto.fields import blind_index_field
from records.dates import SIGN_OFF_WORKING_DAYS, is_overdue
from records.models import (
    Addendum,
    Category,
    Child,
    ChildCarer,
    CorrectionRequest,
    Notification,
    Record,
    Site,
    StaffMember,
    Tier,
)

# Day first, as people write dates in the UK; ISO too.
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y")
LIST_FIELDS = (
    "id",
    "site__name",
    "room",
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
LIST_ORDER = ("site__name", "room", "enrolment_start", "pk")
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
        children = children.filter(room=room)
    if key_worker:
        worker = user.pk if key_worker == "me" else key_worker
        children = children.filter(key_workers__user_id=worker, key_workers__ended_at__isnull=True)
    if status == "":
        children = children.exclude(status=Child.Status.LEFT)
    elif status != "all":
        children = children.filter(status=status)
    return children.select_related("site").only(*LIST_FIELDS).order_by(*LIST_ORDER)


def child_filter_options(*, user: User) -> dict[str, list[Any]]:
    """What the child list can be narrowed by: the settings and rooms of the
    children this person may see, and the key people of those settings."""
    places = set(children_for(user).values_list("site_id", "site__name", "room").distinct().order_by())
    sites = sorted({Site(pk=pk, name=name) for pk, name, _ in places}, key=lambda s: s.name)
    rooms = sorted({room for _, _, room in places if room})
    workers = (
        User.objects.filter(
            pk__in=KeyWorkerAssignment.objects.filter(
                ended_at__isnull=True, child__site__in=[s.pk for s in sites]
            ).values("user_id")
        )
        .exclude(pk=user.pk)
        .order_by("first_name", "last_name")
    )
    return {"sites": sites, "rooms": rooms, "key_workers": list(workers)}


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


def child_search(*, user: User, query: str) -> list[Child]:
    condition = child_search_filter(query)
    if condition is None:
        return []
    found: QuerySet[Child] = children_for(user).filter(condition).select_related("site").only(*LIST_FIELDS)
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


# --- a child's file -------------------------------------------------------------

CHRONOLOGY_PAGE_SIZE = 25


def chronology(*, user: User, child: Child, category: str = "", tier: str = "") -> QuerySet[Record]:
    """The current records of a child's file this person may read, newest
    first, for one page at a time (the queryset is paginated by the caller)."""
    records = (
        records_for(user)
        .filter(child=child)
        .exclude(status=Record.Status.SUPERSEDED)
        .select_related("author__carer", "signed_off_by")
        .annotate(
            attachment_count=Count("attachments", distinct=True),
            addendum_count=Count("addenda", distinct=True),
        )
        .order_by("-occurred_at", "-created_at")
    )
    if category:
        records = records.filter(category=category)
    if tier:
        records = records.filter(tier=tier)
    return records


def category_counts(*, user: User, child: Child) -> list[tuple[str, str, int]]:
    """(category, label, number of records) for the child's general file."""
    rows = (
        records_for(user)
        .filter(child=child, tier=Tier.GENERAL)
        .exclude(status=Record.Status.SUPERSEDED)
        .values("category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [(r["category"], Category(r["category"]).label, r["n"]) for r in rows]
    return sorted(counts, key=lambda c: c[1])


def addenda_for(record: Record) -> list[Addendum]:
    return list(record.addenda.select_related("author__carer"))


def linkable_concerns(*, user: User, record: Record) -> list[Record]:
    linked = set(record.linked_concerns.values_list("pk", flat=True))
    return [
        r
        for r in records_for(user)
        .filter(child=record.child_id, category=Category.SAFEGUARDING_CONCERN)
        .exclude(pk=record.pk)
        .exclude(status=Record.Status.SUPERSEDED)
        .order_by("-occurred_at")[:100]
        if r.pk not in linked
    ]


def linked_concerns(*, user: User, record: Record) -> list[Record]:
    return list(records_for(user).filter(linked_concerns=record).order_by("-occurred_at"))


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
    sites = _queue_sites(standing, (Role.DSL,))
    if not sites:
        return Record.objects.none()
    return (
        records_for(user)
        .filter(category=Category.SAFEGUARDING_CONCERN, child__site__in=sites)
        .exclude(status__in=(Record.Status.CLOSED, Record.Status.SUPERSEDED))
        .select_related("child", "author__carer")
        .annotate(addendum_count=Count("addenda"))
        .annotate(in_hand=Case(When(addendum_count=0, then=Value(0)), default=Value(1)))
        .defer("body", "details", "amendment_reason", "source_name")
        .order_by("in_hand", "-created_at", "pk")
    )


def key_children(*, user: User, limit: int = 25) -> list[Child]:
    """The person's key children (the first `limit` in list order), by name."""
    return by_name(
        children_for(user)
        .filter(key_workers__user_id=user.pk, key_workers__ended_at__isnull=True)
        .exclude(status=Child.Status.LEFT)
        .select_related("site")
        .only(*LIST_FIELDS)
        .order_by(*LIST_ORDER)[:limit]
    )


def concerns_raised_by(*, user: User, limit: int = 10) -> list[datetime.datetime]:
    """When this person raised concerns. Only that they were received: what
    happened next is for the DSL and those the DSL names."""
    return list(
        Record.objects.filter(author_id=user.pk, category=Category.SAFEGUARDING_CONCERN, supersedes=None)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )


def site_numbers(*, user: User, standing: policy.Standing) -> list[dict[str, Any]]:
    """For a manager: each of their sites' children by status, and the family
    information waiting for sign-off (and how much of it is overdue)."""
    sites = _queue_sites(standing, (Role.MANAGER,))
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
    now = timezone.now()
    earliest_overdue = now - datetime.timedelta(days=SIGN_OFF_WORKING_DAYS)
    for site_id, created in Record.objects.filter(
        status=Record.Status.AWAITING_SIGN_OFF, child__site__in=sites
    ).values_list("child__site_id", "created_at"):
        by_site[site_id]["waiting"] += 1
        if created < earliest_overdue and is_overdue(created, now):
            by_site[site_id]["overdue"] += 1
    return sorted(by_site.values(), key=lambda s: s["site"].name)


def overdue_sign_offs(*, user: User, standing: policy.Standing) -> list[Record]:
    """For a manager: family information unsigned for more than two working days."""
    sites = _queue_sites(standing, (Role.MANAGER,))
    if not sites:
        return []
    cutoff = timezone.now() - datetime.timedelta(days=SIGN_OFF_WORKING_DAYS)
    now = timezone.now()
    candidates = (
        records_for(user)
        .filter(status=Record.Status.AWAITING_SIGN_OFF, child__site__in=sites, created_at__lt=cutoff)
        .select_related("child", "author__carer")
        .defer("body", "details", "amendment_reason", "source_name")
        .order_by("created_at")[:200]
    )
    return [r for r in candidates if is_overdue(r.created_at, now)]


def correction_queue(*, user: User, standing: policy.Standing) -> list[CorrectionRequest]:
    """Pending corrections for children the person may read, at sites they manage."""
    sites = _queue_sites(standing, policy.MANAGEMENT)
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


# --- a child's people, a staff file, a person's notifications ---------------------


def carer_links_of(child: Child) -> QuerySet[ChildCarer]:
    """The child's parents and carers with their rights, parental responsibility first."""
    return child.carer_links.select_related("carer__user").order_by("-parental_responsibility")


def key_people_of(child: Child) -> QuerySet[KeyWorkerAssignment]:
    return child.key_workers.filter(ended_at__isnull=True).select_related("user")


def staff_file_entries(*, user: User, staff_member: StaffMember) -> QuerySet[Record]:
    """The records of a staff file this person may read, newest first (paginated by the caller)."""
    return (
        records_for(user)
        .filter(staff_member=staff_member)
        .exclude(status=Record.Status.SUPERSEDED)
        .select_related("author", "signed_off_by")
        .annotate(
            attachment_count=Count("attachments", distinct=True),
            addendum_count=Count("addenda", distinct=True),
        )
        .order_by("-occurred_at", "-created_at")
    )


def notifications_for(*, user: User, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(recipient_id=user.pk)[:limit])


def unread_notifications(*, user: User, limit: int = 5) -> list[Notification]:
    return list(Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)[:limit])


def notification_get_for_user(*, user: User, notification_id: uuid.UUID) -> Notification | None:
    return Notification.objects.filter(pk=notification_id, recipient_id=user.pk).first()
