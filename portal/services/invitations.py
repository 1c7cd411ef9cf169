"""Invitations to the portal and portal accounts: set up once from a single-use link,
turned off by the manager."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import (
    PortalInvitation,
    Role,
    User,
)
from access.services.common import require
from audit.models import Event
from audit.models import Tier as AuditTier
from audit.services import audit_event
from jobs.after_commit import after_commit
from records.models import Carer, Child, ChildCarer

INVITATION_DAYS = 7


def _withdraw_invitations(carer: Carer, now: datetime.datetime) -> None:
    for invitation in PortalInvitation.objects.filter(
        carer=carer, used_at__isnull=True, withdrawn_at__isnull=True
    ):
        invitation.withdrawn_at = now
        invitation.save(update_fields=["withdrawn_at"])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def portal_invite(*, actor: User, child: Child, link: ChildCarer) -> tuple[PortalInvitation, str]:
    """Invite a carer with parental responsibility to the portal. Returns the
    invitation and the token for the e-mailed link (only its hash is kept).
    Earlier invitations for the carer are withdrawn."""
    require(policy.may_manage_access(policy.standing_of(actor), child) and link.child_id == child.pk)
    if not policy.may_be_invited_to_portal(link):
        raise ValidationError(
            "Only a carer with parental responsibility and no court restriction can be invited to the portal."
        )
    carer = link.carer
    if not carer.email:
        raise ValidationError("Record the carer's email address first: the invitation is sent by email.")
    if carer.user is not None and not carer.user.is_portal_user:
        # A member of staff who is also a parent signs in with their own login;
        # an invitation must never set a password on (or re-open) a staff login.
        raise ValidationError("This carer signs in with a staff login; they do not need an invitation.")
    if carer.user is not None and carer.user.has_usable_password() and carer.user.is_active:
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
    _send_invitation(child=child, address=carer.email, token=token)
    return invitation, token


def _send_invitation(*, child: Child, address: str, token: str) -> None:
    url = settings.SITE_URL + reverse("portal_welcome", args=[token])
    subject = f"Your invitation to the {child.site.name} parent portal"
    body = (
        f"You have been invited to see your child's records at {child.site.name} online.\n\n"
        f"Set up your account here (the link works once, within {INVITATION_DAYS} days):\n{url}\n\n"
        "If you were not expecting this, please tell the setting.\n"
    )

    def send_invitation() -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)

    # A mail server that is down must not turn a saved invitation into an
    # error page: the failure is logged (never the address), and the manager
    # can invite again.
    after_commit(send_invitation, name="portal.invitation_mail")


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
def portal_account_disable(*, actor: User, carer: Carer) -> None:
    """A manager of one of the carer's children turns the portal account off;
    its sessions end at once."""
    standing = policy.standing_of(actor)
    site_ids = set(carer.child_links.values_list("child__site_id", flat=True))
    require(any(standing.has(Role.MANAGER, s) for s in site_ids))
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
