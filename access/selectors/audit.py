"""Which audit entries a person may read: never about a part of a file they
cannot read, so the trail does not reveal that such records exist."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from access import policy
from access.models import MANAGERS, SAFEGUARDING_LEADS, Membership, Role, User
from records.models import Attachment, Child, Record, StaffConcern, StaffConcernNote, StaffMember


def audit_tiers_for_child(child: Child, standing: policy.Standing) -> set[str]:
    """Entries about a child's file that this person may see: never about a part
    they cannot read, so the trail does not reveal that such records exist."""
    tiers = set()
    if child.can_read_general:
        tiers.add("general")
    if child.can_read_safeguarding:
        tiers.add("safeguarding")
    if policy.may_see_access(standing, child):
        tiers.add("access")
    return tiers


def about_me(user: User) -> list[str]:
    """Ids of records (and their attachments) about this person: nobody sees
    those, nor who opened them."""
    about = (
        Record.objects.filter(subject_staff_member__user_id=user.pk).order_by().values_list("pk", flat=True)
    )
    concerns = (
        StaffConcern.objects.filter(staff_member__user_id=user.pk).order_by().values_list("pk", flat=True)
    )
    found = list(about.union(concerns, all=True))
    if not found:
        return []
    files = Attachment.objects.filter(record_id__in=found).order_by().values_list("pk", flat=True)
    notes = StaffConcernNote.objects.filter(concern_id__in=found).order_by().values_list("pk", flat=True)
    return [str(pk) for pk in [*found, *files.union(notes, all=True)]]


def audit_sites(standing: policy.Standing) -> list[uuid.UUID]:
    return sorted(standing.sites_with(*MANAGERS, *SAFEGUARDING_LEADS))


def audit_scope_for(user: User, standing: policy.Standing) -> Q | None:
    """The audit entries a manager or DSL may search: about their sites' children
    (not ones they are kept out of) and staff files, and file-less entries (sign-ins,
    lists) by their sites' staff. None for everyone else."""
    sites = audit_sites(standing)
    if not sites or standing.gated:
        return None
    children = Child.objects.filter(site__in=sites).filter(policy.not_conflicted_q(user))
    people_there = Membership.objects.filter(site_id__in=sites).values("user_id")
    staff = StaffMember.objects.filter(user_id__in=people_there).values("pk")
    actors = people_there
    scope = (
        Q(child_id__in=children.values("pk"))
        | Q(staff_member_id__in=staff, child_id__isnull=True)
        | Q(child_id__isnull=True, staff_member_id__isnull=True, actor__in=actors)
    )
    tiers = ["", "general", "access"]
    if standing.sites_with(*SAFEGUARDING_LEADS):
        tiers.append("safeguarding")
    if standing.sites_with(Role.HR):
        tiers.append("personnel")
    return scope & Q(tier__in=tiers) & ~Q(object_pk__in=about_me(user))


def audit_people_for(standing: policy.Standing) -> QuerySet[User]:
    """The people of the reader's sites (names are sealed: sorted once decrypted, by the page)."""
    return User.objects.filter(memberships__site_id__in=audit_sites(standing)).distinct()
