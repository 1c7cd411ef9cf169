"""Keeping the recipients directory: only managers add entries; an entry of kind
"other" counts once a second person approves it; never the media."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import CONFIRMERS, MANAGERS, User
from audit.models import Tier
from records.models import Site
from sharing.models import Recipient, RecipientKind
from sharing.services.common import Event, audit, require, tell


@transaction.atomic
def recipient_add(
    *,
    actor: User,
    site: Site,
    kind: str,
    name: str,
    secure_channel: str,
    contact_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    secure_email: str = "",
    agreement_reference: str = "",
    agreement_review_on: datetime.date | None = None,
    default_basis: str = "",
    notes: str = "",
) -> Recipient:
    """A manager adds an agency or professional to the site's directory."""
    require(policy.may_keep_directory(policy.standing_of(actor), site.pk))
    needs_second = kind == RecipientKind.OTHER
    recipient = Recipient(
        site=site,
        kind=kind,
        name=name.strip(),
        contact_name=contact_name.strip(),
        address=address.strip(),
        phone=phone.strip(),
        email=email.strip(),
        secure_email=secure_email.strip(),
        secure_channel=secure_channel,
        agreement_reference=agreement_reference.strip(),
        agreement_review_on=agreement_review_on,
        default_basis=default_basis,
        notes=notes.strip(),
        status=Recipient.Status.AWAITING_APPROVAL if needs_second else Recipient.Status.ACTIVE,
        created_by=actor,
    )
    recipient.full_clean()  # refuses the media (Recipient.clean)
    recipient.save()
    url = reverse("recipient_detail", args=[recipient.pk])
    if needs_second:
        tell(
            site_id=site.pk,
            roles=CONFIRMERS,
            message=f"A new directory entry at {site.name} needs a second approver.",
            url=url,
            child=None,
            besides=actor,
        )
    audit(
        actor=actor,
        event=Event.CREATED,
        obj=recipient,
        child=None,
        tier=Tier.NONE,
        reason=f"Directory entry added ({RecipientKind(kind).label})"
        + (", waiting for a second approver" if needs_second else ""),
    )
    return recipient


def _lock(recipient: Recipient) -> Recipient:
    return Recipient.objects.select_for_update(of=("self",)).select_related("site").get(pk=recipient.pk)


@transaction.atomic
def recipient_approve(*, actor: User, recipient: Recipient) -> Recipient:
    """The second person approves an entry of kind "other"."""
    recipient = _lock(recipient)
    standing = policy.standing_of(actor)
    require(standing.has_any(CONFIRMERS, recipient.site_id))
    if recipient.status != Recipient.Status.AWAITING_APPROVAL:
        raise ValidationError("This entry is not waiting for approval.")
    if recipient.created_by_id == actor.pk:
        raise ValidationError("A second person approves the entry: not the manager who added it.")
    recipient.status = Recipient.Status.ACTIVE
    recipient.approved_by, recipient.approved_at = actor, timezone.now()
    recipient.full_clean()  # the media list may have grown since it was added
    recipient.save(update_fields=["status", "approved_by", "approved_at"])
    audit(
        actor=actor,
        event=Event.UPDATED,
        obj=recipient,
        child=None,
        tier=Tier.NONE,
        reason="Directory entry approved by a second person",
    )
    return recipient


@transaction.atomic
def recipient_retire(*, actor: User, recipient: Recipient) -> Recipient:
    """No more shares go to it; what was shared with it stays on record."""
    recipient = _lock(recipient)
    require(policy.standing_of(actor).has_any(MANAGERS, recipient.site_id))
    if recipient.status == Recipient.Status.RETIRED:
        raise ValidationError("This entry is already out of use.")
    recipient.status = Recipient.Status.RETIRED
    recipient.retired_by, recipient.retired_at = actor, timezone.now()
    recipient.save(update_fields=["status", "retired_by", "retired_at"])
    audit(
        actor=actor,
        event=Event.UPDATED,
        obj=recipient,
        child=None,
        tier=Tier.NONE,
        reason="Directory entry taken out of use",
    )
    return recipient
