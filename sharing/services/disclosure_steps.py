"""What happens to a disclosure once made: approved (or not), its bundle produced,
recorded as sent, and (when it was hidden) released to the parents by the DSL."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import User
from audit.models import Tier
from records.services.notifications import notify
from sharing import pdf
from sharing.models import Channel, Disclosure, SecureChannel
from sharing.services.common import Event, audit, require


def _lock(disclosure: Disclosure) -> Disclosure:
    return (
        Disclosure.objects.select_for_update(of=("self",))
        .select_related("child__site", "recipient", "created_by")
        .get(pk=disclosure.pk)
    )


def _tell_author(actor: User, disclosure: Disclosure, what: str) -> None:
    if disclosure.created_by_id != actor.pk:
        notify(
            recipients=[disclosure.created_by],
            message=f"A share of information you asked for was {what}.",
            url=reverse("disclosure_detail", args=[disclosure.pk]),
        )


@transaction.atomic
def disclosure_approve(*, actor: User, disclosure: Disclosure, approved: bool, note: str = "") -> Disclosure:
    """The manager (or, for a safeguarding share, the DSL) approves it, or says why not."""
    disclosure = _lock(disclosure)
    require(policy.may_approve_disclosure(policy.standing_of(actor), disclosure))
    if not approved and not note.strip():
        raise ValidationError({"note": "Say why it is not approved: the person who asked will be told."})
    disclosure.approved_by, disclosure.approved_at = actor, timezone.now()
    disclosure.approval_note = note.strip()
    disclosure.status = Disclosure.Status.READY if approved else Disclosure.Status.NOT_APPROVED
    disclosure.save(update_fields=["approved_by", "approved_at", "approval_note", "status"])
    _tell_author(actor, disclosure, "approved" if approved else "not approved")
    audit(
        actor=actor,
        event=Event.UPDATED,
        obj=disclosure,
        child=disclosure.child,
        tier=disclosure.tier,
        reason=f"Disclosure {disclosure.reference} " + ("approved" if approved else "not approved"),
    )
    return disclosure


@transaction.atomic
def disclosure_mark_sent(
    *, actor: User, disclosure: Disclosure, sent_at: datetime.datetime | None = None, sent_how: str = ""
) -> Disclosure:
    """The moment the information left: a bundle sent (and how), or the call,
    meeting or letter made once approved."""
    disclosure = _lock(disclosure)
    require(policy.may_send_disclosure(policy.standing_of(actor), disclosure))
    if disclosure.status != Disclosure.Status.READY:
        raise ValidationError("This share is already recorded as sent.")
    errors: dict[str, str] = {}
    sent_at = sent_at or timezone.now()
    if sent_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["sent_at"] = "That time is in the future. When was it sent?"
    if disclosure.channel == Channel.BUNDLE and sent_how not in SecureChannel.values:
        errors["sent_how"] = "Say how the bundle was sent."
    if sent_how in (SecureChannel.NONE, SecureChannel.PHONE) and disclosure.channel == Channel.BUNDLE:
        errors["sent_how"] = "A bundle goes by a secure channel: choose how it was sent."
    if errors:
        raise ValidationError(errors)
    disclosure.status = Disclosure.Status.SENT
    disclosure.sent_by, disclosure.sent_at = actor, sent_at
    disclosure.sent_how = sent_how if disclosure.channel == Channel.BUNDLE else ""
    if disclosure.channel != Channel.BUNDLE:
        disclosure.occurred_at = sent_at
    disclosure.save(update_fields=["status", "sent_by", "sent_at", "sent_how", "occurred_at"])
    audit(
        actor=actor,
        event=Event.SHARED,
        obj=disclosure,
        child=disclosure.child,
        tier=disclosure.tier,
        reason=f"Disclosure {disclosure.reference} sent ({disclosure.get_channel_display()})",
        data={"recipient": str(disclosure.recipient_id), "how": disclosure.sent_how or disclosure.channel},
    )
    return disclosure


@transaction.atomic
def disclosure_bundle(*, actor: User, disclosure: Disclosure) -> bytes:
    """The bundle, as a watermarked PDF, produced for the person sending it."""
    require(
        policy.may_send_disclosure(policy.standing_of(actor), disclosure)
        and disclosure.channel == Channel.BUNDLE
    )
    items = list(disclosure.items.select_related("record").prefetch_related("attachments"))
    data = pdf.disclosure_bundle_pdf(disclosure=disclosure, items=items, produced_by=actor)
    audit(
        actor=actor,
        event=Event.EXPORTED,
        obj=disclosure,
        child=disclosure.child,
        tier=disclosure.tier,
        reason=f"Bundle of disclosure {disclosure.reference} produced: {len(items)} records",
        data={"records": [str(item.record_id) for item in items]},
    )
    return data


@transaction.atomic
def disclosure_release(*, actor: User, disclosure: Disclosure) -> Disclosure:
    """The DSL lets the parents see a disclosure that was hidden from them."""
    disclosure = _lock(disclosure)
    require(policy.may_release_to_parents(policy.standing_of(actor), disclosure))
    disclosure.released_by, disclosure.released_at = actor, timezone.now()
    disclosure.save(update_fields=["released_by", "released_at"])
    audit(
        actor=actor,
        event=Event.UPDATED,
        obj=disclosure,
        child=disclosure.child,
        tier=Tier.SAFEGUARDING if disclosure.tier == Tier.SAFEGUARDING else Tier.GENERAL,
        reason=f"Disclosure {disclosure.reference} released to the parents",
    )
    return disclosure
