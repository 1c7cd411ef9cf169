"""
The files, records and attachments a person may see: the choke point every view
goes through. "Not allowed" and "does not exist" raise the same 404.

Lists are filtered in SQL; a single object is fetched by its id and decided in
Python, from the same facts (access/policy). A fetched child carries what this
person may do with it (``can_read_general``, ``can_read_safeguarding``,
``is_my_key_child``).
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from access import policy
from access.models import User
from access.policy import NOTHING
from access.selectors.people import name_key, staff_file_site_ids
from records.models import Attachment, Child, Record, StaffMember, Tier


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


def _with_standing(user: User, child: Child) -> Child:
    """The child, marked with what this person may do with its file (decided
    from the person's facts, in Python); 404 if they may read none of it."""
    facts = policy.facts_of(user)
    child.can_read_general = policy.reads_general(facts, child)
    child.can_read_safeguarding = policy.reads_safeguarding(facts, child)
    child.is_my_key_child = child.pk.hex in facts.key_children
    if not (child.can_read_general or child.can_read_safeguarding):
        raise Http404("No such child")
    return child


def child_get_for_user(*, user: User, child_id: uuid.UUID) -> Child:
    child = Child.objects.select_related("site", "room").filter(pk=child_id).first()
    if child is None:
        raise Http404("No such child")
    return _with_standing(user, child)


def _readable(user: User, record: Record) -> bool:
    sites = staff_site_ids(record) if record.tier == Tier.PERSONNEL else frozenset()
    return policy.reads_record(policy.facts_of(user), record, sites)


def record_get_for_user(*, user: User, record_id: uuid.UUID) -> Record:
    record = (
        Record.objects.select_related(
            "child__site",
            "staff_member__user",
            "author__carer",
            "subject_staff_member__user",
            "signed_off_by",
        )
        .filter(pk=record_id)
        .first()
    )
    if record is None or not _readable(user, record):
        raise Http404("No such record")
    key_children = policy.facts_of(user).key_children
    record.is_my_key_child = record.child_id is not None and record.child_id.hex in key_children
    return record


def staff_member_get_for_user(*, user: User, staff_member_id: uuid.UUID) -> StaffMember:
    member = StaffMember.objects.select_related("user").filter(pk=staff_member_id).first()
    if member is None:
        raise Http404("No such staff file")
    facts = policy.facts_of(user)
    sites = staff_file_site_ids(member)
    if not (policy.reads_own_staff_file(facts, member) or policy.reads_staff_file(facts, member.pk, sites)):
        raise Http404("No such staff file")
    member.site_ids = sites
    return member


def staff_files_for_user(*, user: User) -> list[StaffMember]:
    members = staff_files_for(user).select_related("user")
    return sorted(members, key=lambda m: name_key(m.user))


def attachment_get_for_user(*, user: User, attachment_id: uuid.UUID) -> Attachment:
    attachment = Attachment.objects.select_related("record__child").filter(pk=attachment_id).first()
    if attachment is None or not _readable(user, attachment.record):
        raise Http404("No such attachment")
    return attachment


def staff_site_ids(record: Record) -> frozenset[uuid.UUID]:
    """The sites of the staff file a record belongs to (none for a child's record)."""
    if record.staff_member is None:
        return frozenset()
    return staff_file_site_ids(record.staff_member)


def records_of_child(*, user: User, child: Child) -> QuerySet[Record]:
    """The records of a child's file this person may read, for a child fetched
    with child_get_for_user (which decided what they may read of it): the same
    answer as records_for(user).filter(child=child), in a simpler query."""
    readable = NOTHING
    if child.can_read_general:
        readable |= Q(tier=Tier.GENERAL)
    if child.can_read_safeguarding:
        own = policy.facts_of(user).own_staff_member_id
        about_me = Q(subject_staff_member_id=own) if own else NOTHING
        readable |= Q(tier=Tier.SAFEGUARDING) & ~about_me
    return Record.objects.filter(readable, child=child)


def records_for_child(*, user: User, child: Child) -> QuerySet[Record]:
    """The current (not superseded) records of a child's file that this person may read."""
    return records_of_child(user=user, child=child).exclude(status=Record.Status.SUPERSEDED)


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
