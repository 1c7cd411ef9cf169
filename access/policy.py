"""
Who may see and do what. Every rule of need-to-know access is written here once.

Reading (DESIGN.md, issue "Need-to-know access"):

| tier | who may read |
|---|---|
| child's details | anyone who may read the general or the safeguarding tier |
| general | the child's key workers; the site's manager, senior staff and DSL; live grants on the child |
| safeguarding | the site's DSL; people the DSL named (live safeguarding grants) |
| personnel | HR at one of the staff member's sites; live grants on the staff file; the staff |
|           | member, except allegations about them |

Whatever else they hold, nobody reads a child's file if they are a carer or
relative of the child or declared a conflict, nor a safeguarding or personnel
record about themselves. Roles count only at the sites where the person is
staff. Superuser status counts for nothing. A grant counts only while it is
live: not revoked, and not past its expiry at the moment of the query.

The rules are SQL conditions (``Q`` and ``Exists``), so a list of a thousand
children is filtered in one query, and a single object's permissions are
computed in the query that fetches it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from access.models import (
    SCOPE_PERMISSION,
    ChildUserObjectPermission,
    Conflict,
    KeyWorkerAssignment,
    Role,
    Scope,
    StaffMemberUserObjectPermission,
    User,
)
from records.models import NEVER_TO_PARENTS, Category, Child, ChildCarer, Record, StaffMember, Tier

NOTHING = Q(pk__in=[])
SITE_READERS = (Role.MANAGER, Role.SENIOR, Role.DSL)
MANAGEMENT = (Role.MANAGER, Role.SENIOR)
# Roles that may be a child's key person.
KEY_WORKER_ROLES = (Role.PRACTITIONER, Role.SENIOR, Role.MANAGER, Role.DSL)
SiteThrough = StaffMember.sites.through


def is_signed_in_person(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _live_grant(prefix: str = "grant__") -> Q:
    now = timezone.now()
    return Q(**{f"{prefix}revoked_at__isnull": True}) & (
        Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})
    )


def holds_site_role(user: User, roles: tuple[str, ...], site_ref: OuterRef) -> Exists:
    """The person is staff at the site and holds one of the roles."""
    return Exists(
        SiteThrough.objects.filter(
            staffmember__user_id=user.pk, site_id=site_ref, staffmember__user__groups__name__in=roles
        )
    )


def holds_child_grant(user: User, scope: str, child_ref: OuterRef) -> Exists:
    return Exists(
        ChildUserObjectPermission.objects.filter(
            _live_grant(),
            content_object_id=child_ref,
            user_id=user.pk,
            permission__codename=SCOPE_PERMISSION[Scope(scope)],
            grant__grantee_id=user.pk,
        )
    )


def is_key_worker(user: User, child_ref: OuterRef) -> Exists:
    return Exists(
        KeyWorkerAssignment.objects.filter(child_id=child_ref, user_id=user.pk, ended_at__isnull=True)
    )


def is_conflicted(user: User, child_ref: OuterRef) -> Q:
    """A carer or relative of the child, or a declared conflict."""
    return Q(
        Exists(Conflict.objects.filter(child_id=child_ref, user_id=user.pk, cleared_at__isnull=True))
    ) | Q(Exists(ChildCarer.objects.filter(child_id=child_ref, carer__user_id=user.pk)))


def kept_out_of(child: Child) -> Q:
    """People (as a condition on users) whom a conflict keeps out of the child's
    file: carers and relatives of the child, and declared conflicts. Used when
    choosing whom to tell about the file, so nobody is told what they may not read."""
    return Q(pk__in=Conflict.objects.filter(child=child, cleared_at__isnull=True).values("user_id")) | Q(
        pk__in=ChildCarer.objects.filter(child=child, carer__user__isnull=False).values("carer__user_id")
    )


def reads_general(user: User, child_ref: OuterRef, site_ref: OuterRef) -> Q:
    return (
        Q(is_key_worker(user, child_ref))
        | Q(holds_site_role(user, SITE_READERS, site_ref))
        | Q(holds_child_grant(user, Scope.CHILD_FILE, child_ref))
    ) & ~is_conflicted(user, child_ref)


def reads_safeguarding(user: User, child_ref: OuterRef, site_ref: OuterRef) -> Q:
    return (
        Q(holds_site_role(user, (Role.DSL,), site_ref))
        | Q(holds_child_grant(user, Scope.SAFEGUARDING_FILE, child_ref))
    ) & ~is_conflicted(user, child_ref)


def reads_staff_file(user: User, staff_ref: OuterRef) -> Q:
    """HR at one of the staff member's sites, or a live grant on the file."""
    hr_sites = SiteThrough.objects.filter(
        staffmember__user_id=user.pk, staffmember__user__groups__name=Role.HR
    ).values("site_id")
    return Q(Exists(SiteThrough.objects.filter(staffmember_id=staff_ref, site_id__in=hr_sites))) | Q(
        Exists(
            StaffMemberUserObjectPermission.objects.filter(
                _live_grant(),
                content_object_id=staff_ref,
                user_id=user.pk,
                permission__codename=SCOPE_PERMISSION[Scope.STAFF_FILE],
                grant__grantee_id=user.pk,
            )
        )
    )


# --- querysets ------------------------------------------------------------------


def child_filter(user: User) -> Q:
    if not is_signed_in_person(user):
        return NOTHING
    child, site = OuterRef("pk"), OuterRef("site_id")
    return reads_general(user, child, site) | reads_safeguarding(user, child, site)


def record_filter(user: User) -> Q:
    if not is_signed_in_person(user):
        return NOTHING
    child, site, staff = OuterRef("child_id"), OuterRef("child__site_id"), OuterRef("staff_member_id")
    about_me = Q(subject_staff_member__user_id=user.pk)
    general = Q(tier=Tier.GENERAL) & reads_general(user, child, site)
    safeguarding = Q(tier=Tier.SAFEGUARDING) & ~about_me & reads_safeguarding(user, child, site)
    own_file = Q(staff_member__user_id=user.pk)
    personnel = Q(tier=Tier.PERSONNEL) & (
        (own_file & Q(is_allegation=False)) | (~own_file & ~about_me & reads_staff_file(user, staff))
    )
    return general | safeguarding | personnel


def staff_file_filter(user: User) -> Q:
    if not is_signed_in_person(user):
        return NOTHING
    return Q(user_id=user.pk) | reads_staff_file(user, OuterRef("pk"))


# --- one person's standing ------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A person's roles and sites, read once per request for decisions in Python."""

    user_id: uuid.UUID | None
    roles: frozenset[str]
    site_ids: frozenset[uuid.UUID]

    def has(self, role: str, site_id: uuid.UUID | None) -> bool:
        return role in self.roles and site_id in self.site_ids

    def has_any(self, roles: tuple[str, ...], site_id: uuid.UUID | None) -> bool:
        return site_id in self.site_ids and bool(self.roles.intersection(roles))

    def is_staff_at(self, site_id: uuid.UUID | None) -> bool:
        return site_id in self.site_ids


def standing_of(user: User) -> Standing:
    if not is_signed_in_person(user):
        return Standing(user_id=None, roles=frozenset(), site_ids=frozenset())
    roles = frozenset(user.groups.values_list("name", flat=True))
    sites = frozenset(
        SiteThrough.objects.filter(staffmember__user_id=user.pk).values_list("site_id", flat=True)
    )
    return Standing(user_id=user.pk, roles=roles, site_ids=sites)


# --- actions --------------------------------------------------------------------
# Writing follows reading, narrowed. Each rule takes an object fetched through
# the selectors, so the person can already read it.


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
        return standing.has(Role.DSL, _site_of(record))
    return Role.HR in standing.roles and bool(staff_site_ids & standing.site_ids)


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


def may_see_access(standing: Standing, child: Child) -> bool:
    return standing.has_any(SITE_READERS, child.site_id)


def may_manage_access(standing: Standing, child: Child) -> bool:
    """Key workers, grants to the file and conflicts: the site's manager."""
    return standing.has(Role.MANAGER, child.site_id)


def may_grant(standing: Standing, child: Child, scope: str) -> bool:
    """The manager opens a child's file; the DSL its safeguarding file."""
    if scope == Scope.SAFEGUARDING_FILE:
        return may_grant_safeguarding(standing, child)
    return scope == Scope.CHILD_FILE and may_manage_access(standing, child)


def may_grant_safeguarding(standing: Standing, child: Child) -> bool:
    return standing.has(Role.DSL, child.site_id)


def may_grant_staff_file(
    standing: Standing, staff_member: StaffMember, staff_site_ids: frozenset[uuid.UUID]
) -> bool:
    return (
        Role.HR in standing.roles
        and bool(staff_site_ids & standing.site_ids)
        and staff_member.user_id != standing.user_id
    )


SIGNERS = (Role.MANAGER, Role.SENIOR)


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
    return record.is_concern and record.child_id is not None and standing.has(Role.DSL, _site_of(record))


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
    return (
        Role.HR in standing.roles
        and bool(staff_site_ids & standing.site_ids)
        and staff_member.user_id != standing.user_id
    )


# --- the parent portal ------------------------------------------------------------
# A parent or carer sees a child's file only with parental responsibility and
# no court restriction; of the file, only general records staff shared with
# parents (never safeguarding or personnel), and what they sent themselves.

PORTAL_STATUSES = ("active", "signed_off")


def portal_child_filter(user: User) -> Q:
    if not is_signed_in_person(user):
        return NOTHING
    return Q(
        Exists(
            ChildCarer.objects.filter(
                child_id=OuterRef("pk"),
                carer__user_id=user.pk,
                parental_responsibility=True,
                restricted_contact=False,
            )
        )
    )


def portal_record_filter(user: User) -> Q:
    if not is_signed_in_person(user):
        return NOTHING
    children = Child.objects.filter(portal_child_filter(user)).values("pk")
    shared = Q(visible_to_parents=True, status__in=PORTAL_STATUSES)
    sent_by_me = Q(author_id=user.pk, source="parent") & ~Q(status="superseded")
    return (
        Q(tier=Tier.GENERAL, child_id__in=children)
        & ~Q(category__in=NEVER_TO_PARENTS)
        & (shared | sent_by_me)
    )


def may_be_invited_to_portal(link: ChildCarer) -> bool:
    """Only a carer with parental responsibility and no court restriction has a
    portal account (the child's manager sends the invitation)."""
    return bool(link.parental_responsibility and not link.restricted_contact)


def may_decide_corrections(standing: Standing, child: Child) -> bool:
    return standing.has_any(MANAGEMENT, child.site_id)
