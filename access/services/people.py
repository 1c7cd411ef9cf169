"""People and their roles at sites, kept by the site's managers (never in the admin).

A manager adds a person (an account with no password yet: they choose one from the link
e-mailed to them, then set up two-factor at their first sign-in) and gives, and ends,
roles at their sites, never to themself. A new manager, deputy manager, DSL or deputy DSL
role counts only once a second person confirms it: another manager there or, in a small
setting, the chair, the data-protection lead or the proprietor; never the person who gave
it, nor the person it is given to.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from access import policy
from access.models import CONFIRMED_ROLES, CONFIRMERS, MANAGERS, STAFF_ROLES, Membership, Role, User
from audit.models import Event
from audit.models import Tier as AuditTier
from audit.people import person_ref
from audit.services import audit_event
from jobs.after_commit import after_commit
from records.models import Site, StaffMember

# The technical admin role is not a content role: it is not given on these pages.
GIVEN_HERE = [role for role in Role if role != Role.ADMIN]


def may_manage_people(actor: User, site: Site) -> bool:
    return policy.standing_of(actor).has_any(MANAGERS, site.pk)


def _require_manager(actor: User, site: Site) -> None:
    if not may_manage_people(actor, site):
        raise PermissionDenied


def _set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{settings.SITE_URL}{reverse('set_password', args=[uid, token])}"


def _welcome_mail(user: User) -> None:
    """The link to choose a password, once the account is saved (it names nobody else)."""
    address, link = user.email, _set_password_link(user)

    def send_welcome() -> None:
        send_mail(
            "Confide: your account",
            "An account has been made for you in Confide.\n\n"
            f"Choose your password here (the link works once, for {settings.PASSWORD_RESET_TIMEOUT // 86400} "
            f"days): {link}\n\nAt your first sign-in you will also set up two-factor sign-in.\n",
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )

    after_commit(send_welcome, name="access.welcome_mail")


@transaction.atomic
def person_add(
    *,
    actor: User,
    site: Site,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str,
    role: str,
    starts_at: datetime.datetime | None = None,
) -> Membership:
    """A new person at one of the manager's sites, with their first role there."""
    _require_manager(actor, site)
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken. Choose another."})
    user = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(), email=email)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    if role in STAFF_ROLES:
        member = StaffMember(user=user, job_title=job_title.strip(), start_date=timezone.localdate())
        member.full_clean()
        member.save()
    membership = membership_give(actor=actor, user=user, site=site, role=role, starts_at=starts_at)
    if email:
        _welcome_mail(user)
    return membership


@transaction.atomic
def membership_give(
    *,
    actor: User,
    user: User,
    site: Site,
    role: str,
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
) -> Membership:
    _require_manager(actor, site)
    if user.pk == actor.pk:
        raise ValidationError("Nobody gives a role to themself: ask another manager.")
    if role not in GIVEN_HERE:
        raise ValidationError({"role": "Choose a role."})
    if user.is_portal_user:
        raise ValidationError("A parent's portal login cannot hold a staff role.")
    starts_at = starts_at or timezone.now()
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": "The role ends after it starts."})
    if Membership.objects.live().filter(user=user, site=site, role=role).exists():
        raise ValidationError({"role": f"{user} already holds this role at {site.name}."})
    membership = Membership(
        user=user, site=site, role=role, starts_at=starts_at, ends_at=ends_at, created_by=actor,
        confirmed_at=None if role in CONFIRMED_ROLES else timezone.now(),
    )  # fmt: skip
    membership.full_clean()
    membership.save()
    policy.forget_facts()
    audit_event(
        actor=actor,
        event=Event.GRANTED,
        obj=membership,
        tier=AuditTier.ACCESS,
        reason=f"Role {Role(role).label} at a site for {person_ref(user)}"
        + (" (waiting for a second person)" if role in CONFIRMED_ROLES else ""),
    )
    return membership


def may_confirm(actor: User, membership: Membership) -> bool:
    return (
        membership.needs_confirmation
        and membership.ends_at is None
        and actor.pk not in (membership.created_by_id, membership.user_id)
        and policy.standing_of(actor).has_any(CONFIRMERS, membership.site_id)
    )


@transaction.atomic
def membership_confirm(*, actor: User, membership: Membership) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not may_confirm(actor, membership):
        raise PermissionDenied
    membership.confirmed_by, membership.confirmed_at = actor, timezone.now()
    membership.save(update_fields=["confirmed_by", "confirmed_at"])
    policy.forget_facts()
    audit_event(
        actor=actor,
        event=Event.GRANTED,
        obj=membership,
        tier=AuditTier.ACCESS,
        reason=f"Role {Role(membership.role).label} confirmed for {person_ref(membership.user)}",
    )
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership) -> Membership:
    """The role ends now: its key people, grants and files end with it (the facts)."""
    membership = Membership.objects.select_for_update().select_related("site", "user").get(pk=membership.pk)
    _require_manager(actor, membership.site)
    if membership.user_id == actor.pk:
        raise ValidationError("Another manager ends your own roles.")
    now = timezone.now()
    if membership.ends_at is not None and membership.ends_at <= now:
        return membership
    membership.ends_at = max(now, membership.starts_at + datetime.timedelta(seconds=1))
    membership.ended_by = actor
    membership.save(update_fields=["ends_at", "ended_by"])
    policy.forget_facts()
    audit_event(
        actor=actor,
        event=Event.REVOKED,
        obj=membership,
        tier=AuditTier.ACCESS,
        reason=f"Role {Role(membership.role).label} ended for {person_ref(membership.user)}",
    )
    return membership
