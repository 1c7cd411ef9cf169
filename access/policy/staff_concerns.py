"""
Concerns and allegations about a member of staff (records.StaffConcern): who reads
them, who handles them.

| who | what |
|---|---|
| the case manager: the site's manager (the chair of trustees when | reads and handles that case, |
| it is about the manager) | and nothing else of the staff file |
| HR at one of the subject's sites (the personnel lead) | reads and handles its concerns |
| the person who raised it | only that it was submitted |
| the person it is about | nothing, whatever roles they hold |

Grants on a staff file do not open the concerns in it. Nobody reads one while a
policy waits for their acknowledgement (the gate). Each rule is written in SQL (for
lists) and in Python (for one case), side by side.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from django.db.models import Q

from access.models import MANAGERS, Membership, Role
from access.policy.facts import Facts
from access.policy.rules import NOTHING
from records.models import StaffConcern, StaffMember

# Who may be named case manager, by whom the concern is about.
CASE_MANAGER_ROLES = (Role.MANAGER,)
CHAIR_ROLES = (Role.CHAIR, Role.PROPRIETOR)


def is_about_me(f: Facts, concern: StaffConcern) -> bool:
    return f.own_staff_member_id is not None and concern.staff_member_id == f.own_staff_member_id


def is_personnel_lead(f: Facts, subject_site_ids: Collection[uuid.UUID]) -> bool:
    return bool(f.sites_with(Role.HR).intersection(subject_site_ids))


def reads_staff_concern(f: Facts, concern: StaffConcern, subject_site_ids: Collection[uuid.UUID]) -> bool:
    if f.user_id is None or f.gated or is_about_me(f, concern):
        return False
    return concern.case_manager_id == f.user_id or is_personnel_lead(f, subject_site_ids)


def staff_concern_q(f: Facts) -> Q:
    if f.user_id is None or f.gated:
        return NOTHING
    hr_sites = f.sites_with(Role.HR)
    people_there = Membership.objects.filter(site_id__in=list(hr_sites)).values("user_id")
    files_there = StaffMember.objects.filter(user_id__in=people_there).values("pk")
    personnel = Q(staff_member_id__in=files_there) if hr_sites else NOTHING
    about_me = Q(staff_member_id=f.own_staff_member_id) if f.own_staff_member_id else NOTHING
    return (Q(case_manager_id=f.user_id) | personnel) & ~about_me


def may_handle_staff_concern(
    f: Facts, concern: StaffConcern, subject_site_ids: Collection[uuid.UUID]
) -> bool:
    """Record decisions, contacts and the outcome: the case manager and HR, never about themselves."""
    return concern.status == StaffConcern.Status.OPEN and reads_staff_concern(f, concern, subject_site_ids)


def may_remove_details(f: Facts, concern: StaffConcern, subject_site_ids: Collection[uuid.UUID]) -> bool:
    """A case found malicious comes out of the personnel record: HR does it."""
    return (
        concern.outcome == StaffConcern.Outcome.MALICIOUS
        and concern.details_removed_at is None
        and not is_about_me(f, concern)
        and not f.gated
        and is_personnel_lead(f, subject_site_ids)
    )


def may_raise_staff_concern(f: Facts, site_id: uuid.UUID) -> bool:
    """Anyone on the staff of a site raises a concern about someone who works there, themself included."""
    return f.is_staff_at(site_id)


def may_include_in_subject_access(
    f: Facts, concern: StaffConcern, subject_site_ids: Collection[uuid.UUID]
) -> bool:
    """Only HR or the data-protection lead may put a concern into the subject access
    request of the person it is about (with third parties redacted)."""
    if is_about_me(f, concern):
        return False
    return is_personnel_lead(f, subject_site_ids) or bool(
        f.sites_with(Role.DATA_PROTECTION_LEAD).intersection(subject_site_ids)
    )


def manages_site(f: Facts, site_id: uuid.UUID) -> bool:
    return f.has_any(MANAGERS, site_id)
