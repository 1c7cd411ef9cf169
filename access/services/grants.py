"""Need-to-know grants: a named person, one file, a reason, and an end."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from access import policy
from access.models import (
    SCOPE_PERMISSION,
    ChildUserObjectPermission,
    Grant,
    Role,
    Scope,
    StaffMemberUserObjectPermission,
    User,
)
from access.selectors.people import staff_file_site_ids
from access.services.common import is_conflicted, person_name, require
from audit.models import Event
from audit.models import Tier as AuditTier
from audit.people import person_ref
from audit.services import audit_event
from records.models import Child, StaffMember


def _validate_grant(*, reason: str, expires_at: datetime.datetime | None) -> str:
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "Say why this person needs to know. The reason is kept with the grant."
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "The expiry is in the past. Choose a later time, or leave it empty."
    if errors:
        raise ValidationError(errors)
    return reason


@transaction.atomic
def grant_child_access(
    *,
    actor: User,
    child: Child,
    grantee: User,
    scope: str,
    reason: str,
    expires_at: datetime.datetime | None = None,
) -> Grant:
    """A manager opens a child's file, or a DSL its safeguarding file, to one person."""
    standing = policy.standing_of(actor)
    require(policy.may_grant(standing, child, scope) and not is_conflicted(actor, child))
    reason = _validate_grant(reason=reason, expires_at=expires_at)
    if not policy.standing_of(grantee).is_staff_at(child.site_id):
        raise ValidationError(
            {
                "grantee": f"{person_name(grantee)} does not work at {child.site.name}. Access can only be "
                "granted to staff of the child's setting; ask their manager to arrange it."
            }
        )
    if is_conflicted(grantee, child):
        raise ValidationError(
            {
                "grantee": f"{person_name(grantee)} has a conflict of interest with this child (a carer or "
                "relative, or a declared conflict), so cannot be given access."
            }
        )
    if grantee.pk == actor.pk:
        raise ValidationError({"grantee": "You cannot grant access to yourself."})
    return _grant(
        actor=actor, grantee=grantee, scope=scope, reason=reason, expires_at=expires_at, child=child
    )


@transaction.atomic
def grant_staff_file_access(
    *,
    actor: User,
    staff_member: StaffMember,
    grantee: User,
    reason: str,
    expires_at: datetime.datetime | None = None,
) -> Grant:
    """HR opens a staff file to one person making a personnel decision."""
    standing = policy.standing_of(actor)
    sites = staff_file_site_ids(staff_member)
    require(policy.may_grant_staff_file(standing, staff_member, sites))
    reason = _validate_grant(reason=reason, expires_at=expires_at)
    if grantee.pk == staff_member.user_id:
        raise ValidationError(
            {"grantee": "Staff members already see their own file; there is nothing to grant."}
        )
    grantee_sites = {s for s in sites if policy.standing_of(grantee).is_staff_at(s)}
    if not grantee_sites:
        raise ValidationError(
            {"grantee": f"{person_name(grantee)} does not work at any of this staff member's settings."}
        )
    if grantee.pk == actor.pk:
        raise ValidationError({"grantee": "You cannot grant access to yourself."})
    return _grant(
        actor=actor,
        grantee=grantee,
        scope=Scope.STAFF_FILE,
        reason=reason,
        expires_at=expires_at,
        staff_member=staff_member,
    )


def grant_tier(grant: Grant) -> str:
    """Entries about a grant are shown to those who see the file's access: the
    DSL's circle for the safeguarding file, HR for staff files, managers otherwise."""
    return {Scope.SAFEGUARDING_FILE: AuditTier.SAFEGUARDING, Scope.STAFF_FILE: AuditTier.PERSONNEL}.get(
        Scope(grant.scope), AuditTier.ACCESS
    )


def _grant_summary(grant: Grant) -> str:
    # The trail says what was opened to whom and until when; the reason itself
    # may name people, so it stays encrypted on the grant.
    until = f" until {timezone.localtime(grant.expires_at):%Y-%m-%d %H:%M}" if grant.expires_at else ""
    return f"{Scope(grant.scope).label} to {person_ref(grant.grantee)}{until} (grant {grant.pk})"


def _grant(
    *,
    actor: User,
    grantee: User,
    scope: str,
    reason: str,
    expires_at: datetime.datetime | None,
    child: Child | None = None,
    staff_member: StaffMember | None = None,
    audited: bool = True,
    break_glass: bool = False,
) -> Grant:
    """Record the grant and its guardian object permission (one live grant per
    person, file and scope: a new grant replaces the old one). Emergency access
    (break_glass) writes its own entry (access/services/break_glass.py)."""
    permission_model: Any = ChildUserObjectPermission if child else StaffMemberUserObjectPermission
    target = child or staff_member
    permission = Permission.objects.get(
        codename=SCOPE_PERMISSION[Scope(scope)], content_type__app_label="records"
    )
    for old in (
        permission_model.objects.select_for_update(of=("self",))
        .filter(user=grantee, permission=permission, content_object=target)
        .select_related("grant")
    ):
        if old.grant is not None and old.grant.revoked_at is None:
            old.grant.revoked_at, old.grant.revoked_by = timezone.now(), actor
            old.grant.save(update_fields=["revoked_at", "revoked_by"])
        old.delete()
    grant = Grant(
        scope=scope,
        child=child,
        staff_member=staff_member,
        grantee=grantee,
        reason=reason,
        granted_by=actor,
        expires_at=expires_at,
        break_glass=break_glass,
    )
    grant.full_clean()
    grant.save()
    permission_model.objects.create(user=grantee, permission=permission, content_object=target, grant=grant)
    if not audited:
        return grant
    audit_event(
        actor=actor,
        event=Event.GRANTED,
        obj=grant,
        child_id=grant.child_id,
        staff_member_id=grant.staff_member_id,
        tier=grant_tier(grant),
        reason=_grant_summary(grant),
    )
    return grant


@transaction.atomic
def grant_revoke(*, actor: User, grant: Grant) -> Grant:
    grant = (
        Grant.objects.select_for_update(of=("self",)).select_related("child", "staff_member").get(pk=grant.pk)
    )
    standing = policy.standing_of(actor)
    if grant.staff_member is not None:
        require(bool(standing.sites_with(Role.HR) & staff_file_site_ids(grant.staff_member)))
    else:
        require(grant.child is not None and policy.may_grant(standing, grant.child, grant.scope))
    if grant.revoked_at is not None:
        return grant
    grant.revoked_at, grant.revoked_by = timezone.now(), actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    ChildUserObjectPermission.objects.filter(grant=grant).delete()
    StaffMemberUserObjectPermission.objects.filter(grant=grant).delete()
    audit_event(
        actor=actor,
        event=Event.REVOKED,
        obj=grant,
        child_id=grant.child_id,
        staff_member_id=grant.staff_member_id,
        tier=grant_tier(grant),
        reason=_grant_summary(grant),
    )
    return grant
