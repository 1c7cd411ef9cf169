"""What a file shows: its chronology and counts, a record's history, addenda and links; a
child's people; staff files; notifications."""

from __future__ import annotations

import uuid

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from access.models import KEY_WORKER_ROLES, KeyWorkerAssignment, User
from access.selectors import child_names_for_user, records_for, records_for_child
from access.selectors.people import people_with_role
from records.models import (
    Addendum,
    Attachment,
    Category,
    Child,
    ChildCarer,
    ChildPhoto,
    Notification,
    Record,
    StaffMember,
    Tier,
)


# Day first, as people write dates in the UK; ISO too.
def count_of(model: type[Attachment] | type[Addendum]) -> Coalesce:
    """How many attachments (or addenda) a record has: a subquery per row shown,
    so a page of records costs the same however long the file is."""
    rows = model.objects.filter(record=OuterRef("pk")).order_by().values("record").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")[:1]), 0)


# --- a child's file -------------------------------------------------------------

CHRONOLOGY_PAGE_SIZE = 25


def chronology(*, user: User, child: Child, category: str = "", tier: str = "") -> QuerySet[Record]:
    """The current records of a child's file this person may read, newest
    first, for one page at a time (the queryset is paginated by the caller)."""
    records = (
        records_for_child(user=user, child=child)
        .select_related("author__carer", "signed_off_by")
        .annotate(attachment_count=count_of(Attachment), addendum_count=count_of(Addendum))
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
        records_for_child(user=user, child=child)
        .filter(tier=Tier.GENERAL)
        .values("category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [(r["category"], Category(r["category"]).label, r["n"]) for r in rows]
    return sorted(counts, key=lambda c: c[1])


def addenda_for(record: Record) -> list[Addendum]:
    return list(record.addenda.select_related("author__carer"))


def photo_of(child: Child) -> ChildPhoto | None:
    return ChildPhoto.objects.filter(child=child).first()


def returns_of(records: list[Record]) -> dict[uuid.UUID, list[Addendum]]:
    """Why each of these (earlier) revisions was returned for correction, by revision."""
    if not records:
        return {}
    found: dict[uuid.UUID, list[Addendum]] = {}
    returned = Addendum.objects.filter(record__in=[r.pk for r in records], kind=Addendum.Kind.RETURNED)
    for addendum in returned.select_related("author").order_by("created_at"):
        found.setdefault(addendum.record_id, []).append(addendum)
    return found


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


# --- a child's people, a staff file, a person's notifications ---------------------


def carer_links_of(child: Child) -> QuerySet[ChildCarer]:
    """The child's parents and carers with their rights, parental responsibility first."""
    return child.carer_links.select_related("carer__user").order_by("-parental_responsibility")


def key_people_of(child: Child) -> QuerySet[KeyWorkerAssignment]:
    """The child's key people now (an assignment ends with the person's role at the site)."""
    on_staff = people_with_role(site_id=child.site_id, roles=KEY_WORKER_ROLES).values("pk")
    return child.key_workers.filter(ended_at__isnull=True, user__in=on_staff).select_related("user")


def staff_file_entries(*, user: User, staff_member: StaffMember) -> QuerySet[Record]:
    """The records of a staff file this person may read, newest first (paginated by the caller)."""
    return (
        records_for(user)
        .filter(staff_member=staff_member)
        .exclude(status=Record.Status.SUPERSEDED)
        .select_related("author", "signed_off_by")
        .annotate(attachment_count=count_of(Attachment), addendum_count=count_of(Addendum))
        .order_by("-occurred_at", "-created_at")
    )


def notifications_for(*, user: User, limit: int = 100) -> list[Notification]:
    return named(user, list(Notification.objects.filter(recipient_id=user.pk)[:limit]))


def new_notifications(user: User) -> QuerySet[Notification]:
    """Neither opened nor done."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True, done_at__isnull=True)


def unread_notifications(*, user: User, limit: int = 5) -> list[Notification]:
    return named(user, list(new_notifications(user)[:limit]))


def named(user: User, notes: list[Notification]) -> list[Notification]:
    """Each notification with the name of the child it is about, if the reader may still see
    the child (one query), else "a child"; "a child" always in discreet mode."""
    ids = {n.child_id for n in notes if n.child_id}
    names = {} if user.discreet_mode else child_names_for_user(user=user, child_ids=ids)
    for note in notes:
        note.child_name = names.get(note.child_id, "A child") if note.child_id else ""  # type: ignore[attr-defined]
    return notes


def notification_get_for_user(*, user: User, notification_id: uuid.UUID) -> Notification | None:
    return Notification.objects.filter(pk=notification_id, recipient_id=user.pk).first()
