"""
What a person may do, beyond reading. Writing follows reading, narrowed: each
rule takes an object fetched through access.selectors, so the person can
already read it, and the person's facts (access/policy/facts.py).
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from access.models import (
    MANAGEMENT,
    MANAGERS,
    SAFEGUARDING_LEADS,
    SITE_READERS,
    Role,
    Scope,
)
from access.policy.facts import Facts
from records.models import Category, Child, ChildCarer, Record, StaffMember, Tier, UnidentifiedConcern

# The facts are a person's standing: the actions below read them.
Standing = Facts


def _site_of(record: Record) -> uuid.UUID | None:
    """The site of the child whose file holds the record (None in a staff file)."""
    return record.child.site_id if record.child is not None else None


def may_add_record(standing: Standing, child: Child) -> bool:
    """Key workers and the site's management and DSL add to a child's general file."""
    return bool(child.can_read_general) and (
        bool(child.is_my_key_child) or standing.has_any(SITE_READERS, child.site_id)
    )


def may_amend(
    standing: Standing, record: Record, *, staff_site_ids: frozenset[uuid.UUID] = frozenset()
) -> bool:
    """The author or management amend; a safeguarding concern is never amended."""
    if record.category == Category.SAFEGUARDING_CONCERN:
        return False
    if record.status in (Record.Status.SUPERSEDED, Record.Status.CLOSED):
        return False
    if record.author_id == standing.user_id:
        return True
    if record.tier == Tier.GENERAL:
        return standing.has_any(MANAGEMENT, _site_of(record))
    if record.tier == Tier.SAFEGUARDING:
        return standing.has_any(SAFEGUARDING_LEADS, _site_of(record))
    return bool(standing.sites_with(Role.HR) & staff_site_ids)


class RecordAction(StrEnum):
    """What someone may do on a record's page, beyond reading it."""

    AMEND = "amend"
    ADD = "add"
    SIGN_OFF = "sign_off"
    HANDLE = "handle"


def record_actions(
    standing: Standing, record: Record, *, staff_site_ids: frozenset[uuid.UUID]
) -> frozenset[RecordAction]:
    """Everything this person may do on a record they can read."""
    allowed = {
        RecordAction.AMEND: may_amend(standing, record, staff_site_ids=staff_site_ids),
        RecordAction.ADD: may_add_addendum(standing, record, staff_site_ids=staff_site_ids),
        RecordAction.SIGN_OFF: may_sign_off(standing, record),
        RecordAction.HANDLE: may_handle_concern(standing, record),
    }
    return frozenset(action for action, may in allowed.items() if may)


def may_see_withheld_reason(standing: Standing, record: Record) -> bool:
    """Why a record is kept from parents: its author and the site's management."""
    return record.child_id is not None and (
        record.author_id == standing.user_id or standing.has_any(SITE_READERS, _site_of(record))
    )


def may_raise_concern(standing: Standing, child: Child) -> bool:
    """Anyone on the staff of the child's site. Raising is not reading."""
    return standing.is_staff_at(child.site_id)


def may_raise_unidentified_concern(standing: Standing, site_id: uuid.UUID) -> bool:
    """Anyone on the staff of the site, about a child they cannot name fully."""
    return standing.is_staff_at(site_id)


def may_handle_unidentified_concern(standing: Standing, concern: UnidentifiedConcern) -> bool:
    """The site's safeguarding leads read it, and file it in the right child's file."""
    return standing.has_any(SAFEGUARDING_LEADS, concern.site_id)


def may_see_access(standing: Standing, child: Child) -> bool:
    return standing.has_any(SITE_READERS, child.site_id)


def may_manage_access(standing: Standing, child: Child) -> bool:
    """Key workers, grants to the file and conflicts: the site's manager."""
    return standing.has_any(MANAGERS, child.site_id)


def may_grant(standing: Standing, child: Child, scope: str) -> bool:
    """The manager opens a child's file; the DSL its safeguarding file."""
    if scope == Scope.SAFEGUARDING_FILE:
        return may_grant_safeguarding(standing, child)
    return scope == Scope.CHILD_FILE and may_manage_access(standing, child)


def may_grant_safeguarding(standing: Standing, child: Child) -> bool:
    return standing.has_any(SAFEGUARDING_LEADS, child.site_id)


def may_grant_staff_file(
    standing: Standing, staff_member: StaffMember, staff_site_ids: frozenset[uuid.UUID]
) -> bool:
    return bool(standing.sites_with(Role.HR) & staff_site_ids) and staff_member.user_id != standing.user_id


SIGNERS = MANAGEMENT


def may_sign_off(standing: Standing, record: Record) -> bool:
    """Senior staff or the manager of the child's site sign information shared
    by a family; never their own record (a second pair of eyes)."""
    return (
        record.child_id is not None
        and record.needs_sign_off
        and record.status in (Record.Status.AWAITING_SIGN_OFF,)
        and record.author_id != standing.user_id
        and standing.has_any(SIGNERS, _site_of(record))
    )


def may_handle_concern(standing: Standing, record: Record) -> bool:
    """The DSL of the child's site records decisions, links and closes concerns."""
    return (
        record.is_concern
        and record.child_id is not None
        and standing.has_any(SAFEGUARDING_LEADS, _site_of(record))
    )


def may_add_addendum(
    standing: Standing, record: Record, *, staff_site_ids: frozenset[uuid.UUID] = frozenset()
) -> bool:
    """Adding to a record (it is never changed): whoever may write in that part
    of the file. A concern is added to by those who may read it."""
    if record.status == Record.Status.SUPERSEDED:
        return False
    if record.tier == Tier.SAFEGUARDING:
        # Fetched through the selectors, so the person may read it.
        return standing.is_staff_at(_site_of(record))
    if record.tier == Tier.GENERAL:
        return bool(getattr(record, "is_my_key_child", False)) or standing.has_any(
            SITE_READERS, _site_of(record)
        )
    return record.staff_member is not None and may_add_staff_record(
        standing, record.staff_member, staff_site_ids
    )


def may_add_staff_record(
    standing: Standing, staff_member: StaffMember, staff_site_ids: frozenset[uuid.UUID]
) -> bool:
    """HR at one of the staff member's sites, never in their own file."""
    return bool(standing.sites_with(Role.HR) & staff_site_ids) and staff_member.user_id != standing.user_id


def may_be_invited_to_portal(link: ChildCarer) -> bool:
    """Only a carer with parental responsibility and no court restriction has a
    portal account (the child's manager sends the invitation)."""
    return bool(link.parental_responsibility and not link.restricted_contact)


def may_decide_corrections(standing: Standing, child: Child) -> bool:
    return standing.has_any(MANAGEMENT, child.site_id)
