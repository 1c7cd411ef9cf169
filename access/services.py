"""
Changes to who may see what: key workers, grants, conflicts of interest.

Each service checks the actor may make the change (raising PermissionDenied,
which views turn into a 404 before they get here), validates the change
(raising ValidationError with a message for people, keyed by form field), and
writes its audit entry in the same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from access import policy
from access.models import (
    SCOPE_PERMISSION,
    AccessRequest,
    ChildUserObjectPermission,
    Conflict,
    Grant,
    KeyWorkerAssignment,
    PortalInvitation,
    Role,
    Scope,
    StaffMemberUserObjectPermission,
    User,
)
from audit.models import Event
from audit.models import Tier as AuditTier
from audit.services import audit_event
from records.models import Child, ChildCarer, StaffMember


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _is_conflicted(user: User, child: Child) -> bool:
    return (
        Conflict.objects.filter(child=child, user=user, cleared_at__isnull=True).exists()
        or ChildCarer.objects.filter(child=child, carer__user=user).exists()
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- key workers ----------------------------------------------------------------


@transaction.atomic
def key_worker_assign(*, actor: User, child: Child, user: User) -> KeyWorkerAssignment:
    standing = policy.standing_of(actor)
    _require(standing.has(Role.MANAGER, child.site_id) and not _is_conflicted(actor, child))
    person = policy.standing_of(user)
    if not person.is_staff_at(child.site_id):
        raise ValidationError(
            {
                "user": f"{_name(user)} does not work at {child.site.name}. A key person must be "
                "on the staff of the child's setting."
            }
        )
    if not person.roles.intersection(policy.KEY_WORKER_ROLES):
        raise ValidationError(
            {
                "user": f"{_name(user)} is not a practitioner. Students, volunteers and trustees "
                "cannot be a child's key person."
            }
        )
    if _is_conflicted(user, child):
        raise ValidationError(
            {
                "user": f"{_name(user)} has a conflict of interest with this child and cannot be "
                "their key person."
            }
        )
    if KeyWorkerAssignment.objects.filter(child=child, user=user, ended_at__isnull=True).exists():
        raise ValidationError({"user": f"{_name(user)} is already this child's key person."})
    assignment = KeyWorkerAssignment(child=child, user=user, assigned_by=actor)
    assignment.full_clean()
    assignment.save()
    audit_event(
        actor=actor,
        event=Event.GRANTED,
        obj=assignment,
        child_id=child.pk,
        tier=AuditTier.ACCESS,
        reason=f"Key person: {_name(user)}",
    )
    return assignment


@transaction.atomic
def key_worker_unassign(*, actor: User, assignment: KeyWorkerAssignment) -> None:
    assignment = (
        KeyWorkerAssignment.objects.select_for_update(of=("self",))
        .select_related("child")
        .get(pk=assignment.pk)
    )
    standing = policy.standing_of(actor)
    _require(standing.has(Role.MANAGER, assignment.child.site_id))
    if assignment.ended_at is not None:
        return
    assignment.ended_at = timezone.now()
    assignment.ended_by = actor
    assignment.save(update_fields=["ended_at", "ended_by"])
    audit_event(
        actor=actor,
        event=Event.REVOKED,
        obj=assignment,
        child_id=assignment.child_id,
        tier=AuditTier.ACCESS,
        reason=f"Key person ended: {_name(assignment.user)}",
    )


# --- grants ---------------------------------------------------------------------


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
    granting_role = Role.DSL if scope == Scope.SAFEGUARDING_FILE else Role.MANAGER
    _require(
        scope in (Scope.CHILD_FILE, Scope.SAFEGUARDING_FILE)
        and standing.has(granting_role, child.site_id)
        and not _is_conflicted(actor, child)
    )
    reason = _validate_grant(reason=reason, expires_at=expires_at)
    if not policy.standing_of(grantee).is_staff_at(child.site_id):
        raise ValidationError(
            {
                "grantee": f"{_name(grantee)} does not work at {child.site.name}. Access can only be "
                "granted to staff of the child's setting; ask their manager to arrange it."
            }
        )
    if _is_conflicted(grantee, child):
        raise ValidationError(
            {
                "grantee": f"{_name(grantee)} has a conflict of interest with this child (a carer or "
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
    sites = set(staff_member.sites.values_list("pk", flat=True))
    _require(
        Role.HR in standing.roles and bool(sites & standing.site_ids) and staff_member.user_id != actor.pk
    )
    reason = _validate_grant(reason=reason, expires_at=expires_at)
    if grantee.pk == staff_member.user_id:
        raise ValidationError(
            {"grantee": "Staff members already see their own file; there is nothing to grant."}
        )
    if not sites & policy.standing_of(grantee).site_ids:
        raise ValidationError(
            {"grantee": f"{_name(grantee)} does not work at any of this staff member's settings."}
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
    return f"{Scope(grant.scope).label} to {_name(grant.grantee)}{until} (grant {grant.pk})"


def _grant(
    *,
    actor: User,
    grantee: User,
    scope: str,
    reason: str,
    expires_at: datetime.datetime | None,
    child: Child | None = None,
    staff_member: StaffMember | None = None,
) -> Grant:
    """Record the grant and its guardian object permission (one live grant per
    person, file and scope: a new grant replaces the old one)."""
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
    )
    grant.full_clean()
    grant.save()
    permission_model.objects.create(user=grantee, permission=permission, content_object=target, grant=grant)
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
    grant = Grant.objects.select_for_update(of=("self",)).select_related("child").get(pk=grant.pk)
    standing = policy.standing_of(actor)
    if grant.scope == Scope.STAFF_FILE:
        sites = set(grant.staff_member.sites.values_list("pk", flat=True))  # type: ignore[union-attr]
        _require(Role.HR in standing.roles and bool(sites & standing.site_ids))
    else:
        role = Role.DSL if grant.scope == Scope.SAFEGUARDING_FILE else Role.MANAGER
        _require(standing.has(role, grant.child.site_id))  # type: ignore[union-attr]
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


# --- conflicts of interest ------------------------------------------------------


@transaction.atomic
def conflict_record(*, actor: User, child: Child, user: User, reason: str) -> Conflict:
    standing = policy.standing_of(actor)
    _require(standing.has(Role.MANAGER, child.site_id) and not _is_conflicted(actor, child))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what the conflict is, for example a family link."})
    if Conflict.objects.filter(child=child, user=user, cleared_at__isnull=True).exists():
        raise ValidationError({"user": f"A conflict is already recorded for {_name(user)}."})
    conflict = Conflict(child=child, user=user, reason=reason, recorded_by=actor)
    conflict.full_clean()
    conflict.save()
    # A conflict ends the person's key-person role for this child at once.
    for assignment in KeyWorkerAssignment.objects.filter(Q(child=child, user=user, ended_at__isnull=True)):
        assignment.ended_at, assignment.ended_by = timezone.now(), actor
        assignment.save(update_fields=["ended_at", "ended_by"])
    audit_event(
        actor=actor,
        event=Event.REVOKED,
        obj=conflict,
        child_id=child.pk,
        tier=AuditTier.ACCESS,
        reason=f"Conflict of interest recorded for {_name(user)} (conflict {conflict.pk})",
    )
    return conflict


@transaction.atomic
def conflict_clear(*, actor: User, conflict: Conflict, reason: str) -> Conflict:
    conflict = Conflict.objects.select_for_update(of=("self",)).select_related("child").get(pk=conflict.pk)
    _require(policy.standing_of(actor).has(Role.MANAGER, conflict.child.site_id))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the conflict no longer applies."})
    if conflict.cleared_at is None:
        conflict.cleared_at, conflict.cleared_by, conflict.cleared_reason = timezone.now(), actor, reason
        conflict.save(update_fields=["cleared_at", "cleared_by", "cleared_reason"])
        audit_event(
            actor=actor,
            event=Event.GRANTED,
            obj=conflict,
            child_id=conflict.child_id,
            tier=AuditTier.ACCESS,
            reason=f"Conflict of interest cleared for {_name(conflict.user)} (conflict {conflict.pk})",
        )
    return conflict


# --- the parent portal: invitations and accounts -----------------------------------

INVITATION_DAYS = 7


def _withdraw_invitations(carer: Any, now: datetime.datetime) -> None:
    for invitation in PortalInvitation.objects.filter(
        carer=carer, used_at__isnull=True, withdrawn_at__isnull=True
    ):
        invitation.withdrawn_at = now
        invitation.save(update_fields=["withdrawn_at"])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def portal_invite(*, actor: User, child: Child, link: Any) -> tuple[PortalInvitation, str]:
    """Invite a carer with parental responsibility to the portal. Returns the
    invitation and the token for the e-mailed link (only its hash is kept).
    Earlier invitations for the carer are withdrawn."""
    _require(policy.may_invite_to_portal(policy.standing_of(actor), child, link))
    carer = link.carer
    if not carer.email:
        raise ValidationError("Record the carer's email address first: the invitation is sent by email.")
    if carer.user_id and not carer.user.is_portal_user:
        # A member of staff who is also a parent signs in with their own login;
        # an invitation must never set a password on (or re-open) a staff login.
        raise ValidationError("This carer signs in with a staff login; they do not need an invitation.")
    if carer.user_id and carer.user.has_usable_password() and carer.user.is_active:
        raise ValidationError("This carer already has a portal account.")
    now = timezone.now()
    _withdraw_invitations(carer, now)
    token = secrets.token_urlsafe(32)
    invitation = PortalInvitation.objects.create(
        carer=carer,
        token_hash=_token_hash(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    audit_event(
        actor=actor,
        event=Event.GRANTED,
        obj=invitation,
        child_id=child.pk,
        tier=AuditTier.ACCESS,
        reason="Invited a parent or carer to the portal",
    )
    return invitation, token


class InvitationError(Exception):
    """Why a link cannot be used, in words for the person holding it."""


def portal_invitation_check(token: str) -> PortalInvitation:
    invitation = (
        PortalInvitation.objects.select_related("carer").filter(token_hash=_token_hash(token)).first()
    )
    if invitation is None or invitation.withdrawn_at is not None:
        raise InvitationError("This link is not valid. Ask the setting to send you a new invitation.")
    if invitation.used_at is not None:
        raise InvitationError(
            "This link has already been used. Sign in with the password you chose, "
            "or ask the setting for a new invitation."
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            "This link has expired (links last 7 days). Ask the setting to send you a new invitation."
        )
    return invitation


@transaction.atomic
def portal_invitation_accept(*, token: str, username: str, password: str) -> User:
    """The carer chooses a username and password. The link works once."""
    invitation = portal_invitation_check(token)
    invitation = (
        PortalInvitation.objects.select_for_update(of=("self",))
        .select_related("carer__user")
        .get(pk=invitation.pk)
    )
    if invitation.used_at is not None:
        raise InvitationError("This link has already been used.")
    if invitation.withdrawn_at is not None or invitation.expires_at <= timezone.now():
        raise InvitationError("This link is no longer valid. Ask the setting to send you a new invitation.")
    carer = invitation.carer
    user = carer.user
    if user is not None and not user.is_portal_user:
        raise InvitationError("This link cannot be used. Ask the setting to send you a new invitation.")
    if user is None:
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": "That username is taken. Choose another."})
        user = User(username=username, is_portal_user=True)
    user.is_active = True
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": "That username is taken. Choose another."}) from None
    if carer.user_id != user.pk:
        carer.user = user
        carer.save(update_fields=["user", "updated_at"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit_event(
        actor=user,
        event=Event.UPDATED,
        obj=invitation,
        tier=AuditTier.ACCESS,
        reason="Portal account set up from an invitation",
    )
    return user


@transaction.atomic
def portal_account_disable(*, actor: User, carer: Any) -> None:
    """A manager of one of the carer's children turns the portal account off;
    its sessions end at once."""
    standing = policy.standing_of(actor)
    site_ids = set(carer.child_links.values_list("child__site_id", flat=True))
    _require(any(standing.has(Role.MANAGER, s) for s in site_ids))
    user = carer.user
    if user is None or not user.is_portal_user:
        raise ValidationError("This carer has no portal account.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    _withdraw_invitations(carer, timezone.now())
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
    audit_event(
        actor=actor, event=Event.REVOKED, obj=user, tier=AuditTier.ACCESS, reason="Portal account disabled"
    )


# --- asking for access ---------------------------------------------------------------


@transaction.atomic
def access_request_create(*, actor: User, child: Child, reason: str) -> AccessRequest:
    """A member of staff at the child's setting asks the manager for access."""
    standing = policy.standing_of(actor)
    _require(standing.is_staff_at(child.site_id))
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why you need to know."})
    if Child.objects.filter(policy.child_filter(actor), pk=child.pk).exists():
        raise ValidationError("You can already read this child's file.")
    if _is_conflicted(actor, child):
        raise ValidationError("You have a conflict of interest with this child, so cannot be given access.")
    pending = AccessRequest.objects.filter(child=child, requester=actor, status=AccessRequest.Status.PENDING)
    if pending.exists():
        raise ValidationError("You have already asked; the manager has your request.")
    request = AccessRequest(child=child, requester=actor, reason=reason.strip())
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # the same request sent twice at once
        raise ValidationError("You have already asked; the manager has your request.") from None
    return request


def access_request_deciders(child: Child) -> list[User]:
    """Whom to tell about a request: the managers of the child's setting."""
    return list(
        User.objects.filter(groups__name=Role.MANAGER, staff_member__sites=child.site_id, is_active=True)
        .exclude(policy.kept_out_of(child))
        .distinct()
    )


@transaction.atomic
def access_request_decide(
    *,
    actor: User,
    request: AccessRequest,
    approve: bool,
    note: str = "",
    expires_at: datetime.datetime | None = None,
) -> AccessRequest:
    """The manager grants (an ordinary grant, with the request's reason) or declines with a note."""
    request = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("child__site", "requester")
        .get(pk=request.pk)
    )
    _require(policy.standing_of(actor).has(Role.MANAGER, request.child.site_id))
    if request.status != AccessRequest.Status.PENDING:
        raise ValidationError("This request has already been decided.")
    if approve:
        request.grant = grant_child_access(
            actor=actor,
            child=request.child,
            grantee=request.requester,
            scope=Scope.CHILD_FILE,
            reason=request.reason,
            expires_at=expires_at,
        )
        request.status = AccessRequest.Status.GRANTED
    else:
        if not (note or "").strip():
            raise ValidationError({"note": "Say why access is not given; the person asking will see it."})
        request.status = AccessRequest.Status.DECLINED
        audit_event(
            actor=actor,
            event=Event.UPDATED,
            obj=request,
            child_id=request.child_id,
            tier=AuditTier.ACCESS,
            reason="Access request declined",
        )
    request.decided_by, request.decided_at = actor, timezone.now()
    request.decision_note = (note or "").strip()
    request.save()
    return request
