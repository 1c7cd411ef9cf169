"""Emergency access ("break-glass"): opening a child's general file for oneself in an
emergency, ending it, and the DSL's review (access/models/break_glass.py).

Opening writes one audit entry of kind break-glass, in the same transaction, saying
when the access ends; ending it early writes one more. The DSL and the site's manager
are told at once, in the app and by an e-mail that carries only the alert reference.
"""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import MANAGERS, SAFEGUARDING_LEADS, BreakGlass, Grant, Scope, User
from access.policy import emergency as rules
from access.selectors.emergency import FALLBACK_REVIEWERS
from access.selectors.people import people_with_role
from access.services.grants import _grant
from audit.models import Event
from audit.models import Tier as AuditTier
from audit.services import audit_event
from jobs.after_commit import after_commit
from records.models import Child, Notification, Tier

REVIEW_QUEUE = "break_glass_queue"


def ends_at(opened: datetime.datetime, minutes: int) -> datetime.datetime:
    """The end of the access: `minutes` on, rounded up to the whole minute, so that
    "until 11:16" on the page is exactly when it closes."""
    end = opened + datetime.timedelta(minutes=minutes)
    whole = end.replace(second=0, microsecond=0)
    return whole if whole == end else whole + datetime.timedelta(minutes=1)


def _tell(*, recipients: list[User], message: str, url: str, reference: str) -> None:
    """In the app (a message that names nobody, with a link), and an e-mail with the alert reference only."""
    for person in recipients:
        note = Notification(recipient=person, message=message, url=url)
        note.full_clean()
        note.save()
    addresses = [p.email for p in recipients if p.email]
    if not addresses:
        return
    subject = f"Confide: emergency access alert {reference}"
    body = (
        f"Alert reference: {reference}\n\n"
        f"Sign in to Confide to see it: {settings.SITE_URL}{reverse(REVIEW_QUEUE)}\n"
    )

    def send_break_glass_alert() -> None:
        send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses],
            fail_silently=True,
        )

    after_commit(send_break_glass_alert, name="access.break_glass_alert")


def _leads_and_managers(child: Child, *, besides: User) -> list[User]:
    roles = (*SAFEGUARDING_LEADS, *MANAGERS)
    found = people_with_role(site_id=child.site_id, roles=roles).exclude(pk=besides.pk)
    return list(found.exclude(policy.kept_out_of(child)).distinct())


def _reviewers(child: Child, *, besides: User) -> list[User]:
    leads = people_with_role(site_id=child.site_id, roles=SAFEGUARDING_LEADS).exclude(pk=besides.pk)
    if not leads.exists():
        leads = people_with_role(site_id=child.site_id, roles=FALLBACK_REVIEWERS).exclude(pk=besides.pk)
    return list(leads.exclude(policy.kept_out_of(child)).distinct())


def _refuse_kept_out(*, actor: User, child: Child, message: str) -> None:
    """A person kept out of the file tried: nothing opens, the DSL is told (committed
    even though the request is refused)."""
    reference = BreakGlass._meta.get_field("reference").get_default()
    with transaction.atomic():
        audit_event(
            actor=actor,
            event=Event.BREAK_GLASS,
            obj=child,
            child_id=child.pk,
            tier=AuditTier.ACCESS,
            reason=f"Refused: the person is kept out of the file (alert {reference})",
        )
        leads = people_with_role(site_id=child.site_id, roles=SAFEGUARDING_LEADS).exclude(pk=actor.pk)
        _tell(
            recipients=list(leads.exclude(policy.kept_out_of(child)).distinct()),
            message=f"Emergency access was refused to someone kept out of a child's file ({reference}).",
            url=reverse(REVIEW_QUEUE),
            reference=reference,
        )
    raise ValidationError(message)


def break_glass_open(
    *, actor: User, child: Child, reason_kind: str, reason: str, scope: str = Scope.CHILD_FILE
) -> BreakGlass:
    """Open the child's general file to the actor for BREAK_GLASS_MINUTES, with a reason.

    Refused with a message (nothing opens) for a student, volunteer or anyone not on the
    staff of the child's site, for anything but the general file, without a reason, and
    for someone who can already read it. Someone kept out of the file is refused too, and
    the DSL is told: that refusal is kept, so this service commits it before refusing.
    """
    facts = policy.facts_of(actor)
    tier = Tier.GENERAL if scope == Scope.CHILD_FILE else Tier.SAFEGUARDING
    refusal = rules.break_glass_refusal(facts, child, scope_tier=tier)
    if refusal is not None and rules.is_kept_out(facts, child) and tier == Tier.GENERAL:
        if facts.has_any(rules.BREAK_GLASS_ROLES, child.site_id):
            _refuse_kept_out(actor=actor, child=child, message=refusal)
    if refusal is not None:
        raise ValidationError({"scope" if tier != Tier.GENERAL else "__all__": refusal})
    return _open(actor=actor, child=child, reason_kind=reason_kind, reason=reason)


@transaction.atomic
def _open(*, actor: User, child: Child, reason_kind: str, reason: str) -> BreakGlass:
    errors = {}
    if reason_kind not in BreakGlass.Reason.values:
        errors["reason_kind"] = "Choose what is happening."
    if not (reason or "").strip():
        errors["reason"] = "Say what the emergency is and why the card is not enough."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    until = ends_at(now, settings.BREAK_GLASS_MINUTES)
    grant = _grant(
        actor=actor,
        grantee=actor,
        scope=Scope.CHILD_FILE,
        reason=reason.strip(),
        expires_at=until,
        child=child,
        audited=False,
        break_glass=True,
    )
    since = now - datetime.timedelta(days=settings.BREAK_GLASS_REPEAT_DAYS)
    earlier = BreakGlass.objects.filter(user=actor, opened_at__gte=since).count()
    use = BreakGlass(
        grant=grant,
        reason_kind=reason_kind,
        child=child,
        user=actor,
        opened_at=now,
        expires_at=until,
        repeated=earlier + 1 >= settings.BREAK_GLASS_REPEAT_COUNT,
    )
    use.full_clean()
    use.save()
    audit_event(
        actor=actor,
        event=Event.BREAK_GLASS,
        obj=use,
        child_id=child.pk,
        tier=AuditTier.ACCESS,
        reason=f"Emergency access to the general file until {timezone.localtime(until):%Y-%m-%d %H:%M} "
        f"({BreakGlass.Reason(reason_kind).label}; alert {use.reference})",
    )
    url = reverse("break_glass_review", args=[use.pk])
    _tell(
        recipients=_leads_and_managers(child, besides=actor),
        message=f"Emergency access was used at {child.site.name} ({use.reference}).",
        url=url,
        reference=use.reference,
    )
    if use.repeated:
        managers = people_with_role(site_id=child.site_id, roles=MANAGERS).exclude(pk=actor.pk)
        _tell(
            recipients=list(managers),
            message=f"One person has used emergency access {earlier + 1} times in "
            f"{settings.BREAK_GLASS_REPEAT_DAYS} days ({use.reference}).",
            url=url,
            reference=use.reference,
        )
    return use


@transaction.atomic
def break_glass_end(*, actor: User, use: BreakGlass) -> BreakGlass:
    """ "I'm done": the access closes now, and one more entry says so."""
    use = BreakGlass.objects.select_for_update(of=("self",)).select_related("grant", "child").get(pk=use.pk)
    if use.user_id != actor.pk:
        raise PermissionDenied
    if not use.is_open():
        return use
    now = timezone.now()
    grant = Grant.objects.select_for_update().get(pk=use.grant_id)
    grant.revoked_at, grant.revoked_by = now, actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    grant.child_permission.delete()
    use.ended_early_at = now
    use.save(update_fields=["ended_early_at"])
    audit_event(
        actor=actor,
        event=Event.BREAK_GLASS,
        obj=use,
        child_id=use.child_id,
        tier=AuditTier.ACCESS,
        reason=f"Emergency access ended early, {math.ceil((use.expires_at - now).total_seconds() / 60)} "
        f"minutes before it would have (alert {use.reference})",
    )
    return use


@transaction.atomic
def break_glass_review(*, actor: User, use: BreakGlass, justified: bool | None, comment: str) -> BreakGlass:
    """The DSL (never the person who broke the glass) says whether the use was justified."""
    use = BreakGlass.objects.select_for_update(of=("self",)).select_related("child__site").get(pk=use.pk)
    if use.user_id == actor.pk or actor not in _reviewers(use.child, besides=use.user):
        raise PermissionDenied
    if use.reviewed_at is not None:
        raise ValidationError("This use has been reviewed already.")
    errors = {}
    if justified is None:
        errors["justified"] = "Say whether the use was justified."
    if not (comment or "").strip():
        errors["comment"] = "Write a comment: the person who used it will read it."
    if errors:
        raise ValidationError(errors)
    use.justified, use.review_comment = justified, comment.strip()
    use.reviewed_by, use.reviewed_at = actor, timezone.now()
    use.full_clean()
    use.save()
    audit_event(
        actor=actor,
        event=Event.UPDATED,
        obj=use,
        child_id=use.child_id,
        tier=AuditTier.ACCESS,
        reason=f"Emergency access {use.reference} reviewed: {'justified' if justified else 'not justified'}",
    )
    verdict = "justified" if justified else "not justified"
    note = Notification(
        recipient=use.user,
        message=f"Your emergency access {use.reference} was reviewed: {verdict}.",
        url=reverse("break_glass_mine"),
    )
    note.full_clean()
    note.save()
    return use
