"""
Who may read what. Each rule is written twice, side by side: as a SQL
condition (for lists: one query, plain ``IN`` conditions, no correlated
subqueries) and in Python (for one object already fetched). Both read the same
facts (access/policy/facts.py); tests/access/test_rules_agree.py checks that
they agree on randomly generated worlds.

| tier | who may read |
|---|---|
| child's details | anyone who may read the general or the safeguarding tier |
| general | the child's key people; the site's manager, senior staff and DSL; live grants on the child |
| safeguarding | the site's DSL; people the DSL named (live safeguarding grants) |
| personnel | HR at one of the staff member's sites; live grants on the staff file; the staff |
|           | member, except allegations about them |

Whatever else they hold, nobody reads a child's file if they are a carer or
relative of the child or declared a conflict, nor while the child's site keeps its
files closed to them (where and when: access/policy/circumstances.py), nor a
safeguarding or personnel record about themselves. Nobody opens any file while a
policy their role must read waits for their acknowledgement past its grace period
(the gate: facts ``gated``; raising a concern and the emergency card are never
gated). Roles count only at the sites where the person is on the staff. Superuser
status counts for nothing. A grant counts only while it is live: not revoked, and
not past its expiry.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from access.models import (
    SAFEGUARDING_LEADS,
    SCOPE_PERMISSION,
    SITE_READERS,
    Conflict,
    Membership,
    Role,
    Scope,
)
from access.policy import facts
from access.policy.facts import Facts, Person, facts_of
from records.models import NEVER_TO_PARENTS, Child, ChildCarer, Record, StaffMember, Tier

NOTHING = Q(pk__in=[])
CHILD_FILE = SCOPE_PERMISSION[Scope.CHILD_FILE]


# Up to this many ids are listed in a query (`IN (…)`); a longer set is asked
# for with a subquery built from the same source as the facts.
LISTED = 200


def _in(path: str, ids: Collection[uuid.UUID] | Collection[str]) -> Q:
    return Q(**{f"{path}__in": list(ids)}) if ids else NOTHING


def _ids(path: str, ids: Collection[str], source: QuerySet[Any], column: str) -> Q:
    """`path` is one of these ids: listed if there are few, else asked of their source."""
    if len(ids) <= LISTED:
        return _in(path, ids)
    return Q(**{f"{path}__in": source.values(column)})


def _key_or_granted(f: Facts, child: str, me: uuid.UUID) -> Q:
    now = timezone.now()
    granted = facts.child_grants_source(me, now).filter(permission__codename=CHILD_FILE)
    key = _ids(child, f.key_children, facts.key_children_source(me, now), "child_id")
    return key | _ids(child, f.child_grants, granted, "content_object_id")


def _kept_out(f: Facts, child: str) -> Q:
    if f.user_id is None or len(f.conflicted) <= LISTED:
        return _in(child, f.conflicted)
    me = f.user_id
    return Q(**{f"{child}__in": facts.conflicts_source(me).values("child_id")}) | Q(
        **{f"{child}__in": facts.carer_links_source(me).values("child_id")}
    )


def _is(path: str, value: uuid.UUID | None) -> Q:
    return Q(**{path: value}) if value is not None else NOTHING


# --- a child's general file ------------------------------------------------------


def reads_general(f: Facts, child: Child) -> bool:
    return (
        not f.gated
        and child.pk.hex not in f.conflicted
        and child.site_id not in f.closed_sites
        and (
            child.pk.hex in f.key_children
            or child.pk.hex in f.child_grants
            or f.has_any(SITE_READERS, child.site_id)
        )
    )


def general_q(f: Facts, *, child: str, site: str) -> Q:
    if f.user_id is None or f.gated:
        return NOTHING
    readers = _in(site, f.sites_with(*SITE_READERS)) | _key_or_granted(f, child, f.user_id)
    return readers & ~_kept_out(f, child) & ~_in(site, f.closed_sites)


# --- a child's safeguarding file ---------------------------------------------------


def reads_safeguarding(f: Facts, child: Child) -> bool:
    return (
        not f.gated
        and child.pk.hex not in f.conflicted
        and child.site_id not in f.closed_sites
        and (child.pk.hex in f.safeguarding_grants or f.has_any(SAFEGUARDING_LEADS, child.site_id))
    )


def safeguarding_q(f: Facts, *, child: str, site: str) -> Q:
    if f.gated:
        return NOTHING
    readers = _in(site, f.sites_with(*SAFEGUARDING_LEADS)) | _in(child, f.safeguarding_grants)
    return readers & ~_kept_out(f, child) & ~_in(site, f.closed_sites)


# --- a staff file ------------------------------------------------------------------


def reads_staff_file(f: Facts, staff_member_id: uuid.UUID, staff_site_ids: Collection[uuid.UUID]) -> bool:
    """HR at one of the staff member's sites (where they hold or held a role), or a live grant on the file."""
    if f.gated:
        return False
    return staff_member_id.hex in f.staff_grants or bool(f.sites_with(Role.HR).intersection(staff_site_ids))


def staff_file_q(f: Facts, *, staff: str) -> Q:
    """`staff`: the path to the staff file's id (``pk`` on staff files, ``staff_member_id`` on records)."""
    if f.gated:
        return NOTHING
    hr_sites = f.sites_with(Role.HR)
    people_there = Membership.objects.filter(site_id__in=list(hr_sites)).values("user_id")
    files_there = StaffMember.objects.filter(user_id__in=people_there).values("pk")
    at_hr_sites = Q(**{f"{staff}__in": files_there}) if hr_sites else NOTHING
    return at_hr_sites | _in(staff, f.staff_grants)


# --- records -----------------------------------------------------------------------


def reads_record(f: Facts, record: Record, staff_site_ids: Collection[uuid.UUID] = ()) -> bool:
    """`staff_site_ids`: the sites of the staff file the record is in (personnel records)."""
    if f.gated:
        return False
    about_me = f.own_staff_member_id is not None and record.subject_staff_member_id == f.own_staff_member_id
    if record.tier == Tier.GENERAL:
        return record.child is not None and reads_general(f, record.child)
    if record.tier == Tier.SAFEGUARDING:
        return not about_me and record.child is not None and reads_safeguarding(f, record.child)
    if record.tier != Tier.PERSONNEL or record.staff_member_id is None:
        return False
    if f.own_staff_member_id is not None and record.staff_member_id == f.own_staff_member_id:
        return not record.is_allegation
    return not about_me and reads_staff_file(f, record.staff_member_id, staff_site_ids)


def record_q(f: Facts) -> Q:
    if f.gated:
        return NOTHING
    about_me = _is("subject_staff_member_id", f.own_staff_member_id)
    own_file = _is("staff_member_id", f.own_staff_member_id)
    general = Q(tier=Tier.GENERAL) & general_q(f, child="child_id", site="child__site_id")
    safeguarding = (
        Q(tier=Tier.SAFEGUARDING) & ~about_me & safeguarding_q(f, child="child_id", site="child__site_id")
    )
    personnel = Q(tier=Tier.PERSONNEL) & (
        (own_file & Q(is_allegation=False))
        | (~own_file & ~about_me & staff_file_q(f, staff="staff_member_id"))
    )
    return general | safeguarding | personnel


# --- the filters the selectors use ---------------------------------------------------


def child_filter(user: Person) -> Q:
    """Children whose file (general or safeguarding) the person may read."""
    f = facts_of(user)
    if f.user_id is None:
        return NOTHING
    return general_q(f, child="pk", site="site_id") | safeguarding_q(f, child="pk", site="site_id")


def record_filter(user: Person) -> Q:
    f = facts_of(user)
    return record_q(f) if f.user_id is not None else NOTHING


def staff_file_filter(user: Person) -> Q:
    """Staff files the person may read: their own, and by the rules above."""
    f = facts_of(user)
    if f.user_id is None or f.gated:
        return NOTHING
    return Q(user_id=f.user_id) | staff_file_q(f, staff="pk")


def reads_own_staff_file(f: Facts, staff_member: StaffMember) -> bool:
    return not f.gated and f.user_id is not None and staff_member.user_id == f.user_id


def not_conflicted_q(user: Person, *, child: str = "pk") -> Q:
    """Children the person is not kept out of (as a condition on children)."""
    return ~_in(child, facts_of(user).conflicted)


def is_key_person(user: Person, child: Child) -> bool:
    return child.pk.hex in facts_of(user).key_children


# --- the parent portal ----------------------------------------------------------------
# A parent or carer sees a child's file only with parental responsibility and
# no court restriction; of the file, only general records staff shared with
# parents (never safeguarding or personnel), and what they sent themselves.

PORTAL_STATUSES = (Record.Status.ACTIVE, Record.Status.SIGNED_OFF)


def reads_portal_child(f: Facts, child: Child) -> bool:
    return child.pk.hex in f.portal_children


def portal_child_q(f: Facts, *, child: str = "pk") -> Q:
    return _in(child, f.portal_children)


def reads_portal_record(f: Facts, record: Record) -> bool:
    if record.tier != Tier.GENERAL or record.child_id is None or record.child_id.hex not in f.portal_children:
        return False
    if record.category in NEVER_TO_PARENTS:
        return False
    shared = record.visible_to_parents and record.status in PORTAL_STATUSES
    sent_by_me = (
        record.author_id == f.user_id
        and record.source == "parent"
        and record.status != Record.Status.SUPERSEDED
    )
    return shared or sent_by_me


def portal_record_q(f: Facts) -> Q:
    shared = Q(visible_to_parents=True, status__in=PORTAL_STATUSES)
    sent_by_me = Q(author_id=f.user_id, source="parent") & ~Q(status=Record.Status.SUPERSEDED)
    return (
        Q(tier=Tier.GENERAL)
        & portal_child_q(f, child="child_id")
        & ~Q(category__in=NEVER_TO_PARENTS)
        & (shared | sent_by_me)
    )


def portal_child_filter(user: Person) -> Q:
    return portal_child_q(facts_of(user))


def portal_record_filter(user: Person) -> Q:
    f = facts_of(user)
    return portal_record_q(f) if f.user_id is not None else NOTHING


def kept_out_of(child: Child) -> Q:
    """People (as a condition on users) whom a conflict keeps out of the child's
    file: carers and relatives of the child, and declared conflicts. Used when
    choosing whom to tell about the file, so nobody is told what they may not read."""
    return Q(pk__in=Conflict.objects.filter(child=child, cleared_at__isnull=True).values("user_id")) | Q(
        pk__in=ChildCarer.objects.filter(child=child, carer__user__isnull=False).values("carer__user_id")
    )
