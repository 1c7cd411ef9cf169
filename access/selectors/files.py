"""
The files, records and attachments a person may see: the choke point every view
goes through. "Not allowed" and "does not exist" raise the same 404.

A fetched child carries what this person may do with it (``can_read_general``,
``can_read_safeguarding``, ``is_my_key_child``), computed in the query that
fetches it.
"""

from __future__ import annotations

import uuid

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from access import policy
from access.models import User
from records.models import Attachment, Child, Record, StaffMember


def children_for(user: User) -> QuerySet[Child]:
    """Every child whose file (or safeguarding file) this person may read."""
    return Child.objects.filter(policy.child_filter(user))


def records_for(user: User) -> QuerySet[Record]:
    """Every record this person may read, in any file."""
    return Record.objects.filter(policy.record_filter(user))


def staff_files_for(user: User) -> QuerySet[StaffMember]:
    """Every staff file this person may read (their own included)."""
    return StaffMember.objects.filter(policy.staff_file_filter(user))


def attachments_for(user: User) -> QuerySet[Attachment]:
    return Attachment.objects.filter(record__in=records_for(user).values("pk"))


def _flag(condition: Q) -> ExpressionWrapper[Q]:
    return ExpressionWrapper(condition, output_field=BooleanField())


def children_with_standing(user: User) -> QuerySet[Child]:
    child, site = OuterRef("pk"), OuterRef("site_id")
    # The names are declared on Child, which the type checker takes for a clash.
    return children_for(user).annotate(  # type: ignore[no-redef]
        can_read_general=_flag(policy.reads_general(user, child, site)),
        can_read_safeguarding=_flag(policy.reads_safeguarding(user, child, site)),
        is_my_key_child=_flag(Q(policy.is_key_worker(user, child))),
    )


def child_get_for_user(*, user: User, child_id: uuid.UUID) -> Child:
    try:
        return children_with_standing(user).select_related("site").get(pk=child_id)
    except Child.DoesNotExist:
        raise Http404("No such child") from None


def record_get_for_user(*, user: User, record_id: uuid.UUID) -> Record:
    try:
        # is_my_key_child is declared on Record, which the type checker takes for a clash.
        return (
            records_for(user)  # type: ignore[no-redef]
            .select_related(
                "child__site",
                "staff_member__user",
                "author__carer",
                "subject_staff_member__user",
                "signed_off_by",
            )
            .annotate(is_my_key_child=_flag(Q(policy.is_key_worker(user, OuterRef("child_id")))))
            .get(pk=record_id)
        )
    except Record.DoesNotExist:
        raise Http404("No such record") from None


def staff_member_get_for_user(*, user: User, staff_member_id: uuid.UUID) -> StaffMember:
    try:
        return staff_files_for(user).select_related("user").get(pk=staff_member_id)
    except StaffMember.DoesNotExist:
        raise Http404("No such staff file") from None


def staff_files_for_user(*, user: User) -> list[StaffMember]:
    members = staff_files_for(user).select_related("user").prefetch_related("sites")
    return sorted(members, key=lambda m: (m.user.last_name, m.user.first_name, m.user.username))


def attachment_get_for_user(*, user: User, attachment_id: uuid.UUID) -> Attachment:
    try:
        return attachments_for(user).select_related("record").get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment") from None


def staff_site_ids(record: Record) -> frozenset[uuid.UUID]:
    """The sites of the staff file a record belongs to (none for a child's record)."""
    if record.staff_member_id is None:
        return frozenset()
    return frozenset(
        StaffMember.sites.through.objects.filter(staffmember_id=record.staff_member_id).values_list(
            "site_id", flat=True
        )
    )


def records_for_child(*, user: User, child: Child) -> QuerySet[Record]:
    """The current (not superseded) records of a child's file that this person may read."""
    return records_for(user).filter(child=child).exclude(status=Record.Status.SUPERSEDED)


def records_for_staff_member(*, user: User, staff_member: StaffMember) -> QuerySet[Record]:
    return records_for(user).filter(staff_member=staff_member).exclude(status=Record.Status.SUPERSEDED)


def child_names_for_user(*, user: User, child_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Names of the children among these ids that the person may see (one query)."""
    if not child_ids:
        return {}
    children = (
        children_for(user).filter(pk__in=child_ids).only("id", "first_name", "last_name", "preferred_name")
    )
    return {c.pk: c.display_name for c in children}


def record_titles_for_user(*, user: User, record_ids: set[str]) -> dict[str, str]:
    """Titles of the records among these ids that the person may read (one query)."""
    if not record_ids:
        return {}
    records = records_for(user).filter(pk__in=record_ids).only("id", "title")
    return {str(r.pk): r.title for r in records}
