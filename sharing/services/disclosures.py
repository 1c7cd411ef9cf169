"""The one sharing service: every share with anyone outside the setting is made here.

The lawful basis comes first. For an ordinary share the setting's policy holds:
the basis is consent, and without a consent in force covering this recipient,
purpose and information the share is refused (a manager may record another
basis with a reason). A share on the safeguarding basis by the DSL is made in
one pass: nothing is refused or overridden, and what happened about consent is
recorded as a fact. Only the chosen records and parts go, with third parties
redacted; never to the media (docs/sharing.md).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import User
from records.models import Child, Record, Tier
from sharing.models import (
    Basis,
    Channel,
    Consent,
    Disclosure,
    DisclosureItem,
    InformationRequest,
    ParentsTold,
    Recipient,
    RecipientKind,
)
from sharing.services import redaction
from sharing.services.common import Event, audit, require, tell
from sharing.services.consent_cover import consent_covering
from sharing.services.share_input import (
    Chosen,
    Plan,
    Share,
    check_recipient,
    chosen_records,
    plan_share,
)


class ShareRefused(ValidationError):
    """A consent-based share that no consent in force covers: refused, and recorded."""


def _snapshot(
    child: Child, chosen: Chosen, *, redact: bool, passages: list[str], details: Collection[str]
) -> tuple[list[list[tuple[str, str]]], list[tuple[str, str]]]:
    """Each record's lines and the child's, redacted; a marked passage must be in them."""
    redactor = redaction.Redactor(on=redact, passages=passages)
    raw = [redaction.record_lines(r, chosen.parts[r.pk], redactor) for r in chosen.records]
    about_child = redaction.child_lines(child, details)
    everything = "\n".join(redaction.texts_of(lines) for lines in [*raw, about_child]).casefold()
    missing = [p for p in passages if p.casefold() not in everything]
    if missing:
        raise ValidationError(
            {
                "redact_passages": f"This passage is not in what you chose to share: “{missing[0]}”. "
                "Copy it exactly as it is written."
            }
        )
    cleaned = [[(label, redactor.clean(text)) for label, text in lines] for lines in raw]
    return cleaned, [(label, redactor.clean(text)) for label, text in about_child]


def disclosure_make(
    *,
    actor: User,
    child: Child,
    recipient: Recipient,
    basis: str,
    purpose: str,
    channel: str,
    parents_told: str,
    items: Collection[str],
    child_details: Collection[str] = (),
    condition: str = "",
    basis_reason: str = "",
    legal_reference: str = "",
    consent_position: str = "",
    purpose_detail: str = "",
    summary: str = "",
    occurred_at: datetime.datetime | None = None,
    redact_third_parties: bool = True,
    redact_passages: str = "",
    include_scans: bool = False,
    onward_confirmed: bool = False,
    parents_not_told_reason: str = "",
    social_care_consulted: bool = False,
    concern: Record | None = None,
    information_request: InformationRequest | None = None,
) -> Disclosure:
    """Make a share: refused (and the refusal recorded) when it rests on a consent
    that does not cover it; otherwise made, or waiting for its approver."""
    share = Share(
        recipient=recipient,
        basis=basis,
        purpose=purpose,
        channel=channel,
        parents_told=parents_told,
        items=items,
        child_details=child_details,
        condition=condition or "",
        basis_reason=basis_reason or "",
        legal_reference=legal_reference or "",
        consent_position=consent_position or "",
        purpose_detail=purpose_detail or "",
        summary=summary or "",
        occurred_at=occurred_at,
        redact_third_parties=redact_third_parties,
        redact_passages=redact_passages or "",
        include_scans=include_scans,
        onward_confirmed=onward_confirmed,
        parents_not_told_reason=parents_not_told_reason or "",
        social_care_consulted=social_care_consulted,
        concern=concern,
        information_request=information_request,
    )
    try:
        return _make(actor, child, share)
    except ShareRefused:
        _record_refusal(actor=actor, child=child, recipient=recipient, purpose=purpose)
        raise


@transaction.atomic
def _make(actor: User, child: Child, share: Share) -> Disclosure:
    standing = policy.standing_of(actor)
    if share.concern is not None:
        require(policy.may_handle_concern(standing, share.concern) and share.concern.child_id == child.pk)
    else:
        require(policy.may_start_disclosure(standing, child))
    check_recipient(share.recipient, child)
    chosen = chosen_records(actor, child, share.items, share.concern)
    plan = plan_share(actor, child, chosen, share)
    lines, about_child = _snapshot(
        child, chosen, redact=share.redact_third_parties, passages=share.passages, details=share.details
    )
    consent = None
    if share.basis == Basis.CONSENT:
        needed = {r.category for r in chosen.records} | {
            redaction.DETAIL_CATEGORY[d] for d in share.details if d not in redaction.IDENTITY
        }
        cover = consent_covering(
            child=child, recipient=share.recipient, purpose=share.purpose, categories=needed
        )
        if cover.consent is None:
            raise ShareRefused(
                {
                    "basis": f"{cover.refusal} Ask for consent first, or a manager can record another "
                    "lawful basis with the reason."
                }
            )
        consent = cover.consent
    disclosure = _save(actor, child, share, plan, consent, about_child, standing)
    for record, record_lines in zip(chosen.records, lines, strict=True):
        item = DisclosureItem(
            disclosure=disclosure,
            record=record,
            parts=sorted(chosen.parts[record.pk]),
            content=json.dumps(record_lines),
        )
        item.full_clean()
        item.save()
        if redaction.FILES in chosen.parts[record.pk]:
            item.attachments.set(list(record.attachments.all()))
    _announce(actor, disclosure, chosen)
    return disclosure


def _status(approved: bool, channel: str) -> str:
    if not approved:
        return Disclosure.Status.AWAITING_APPROVAL
    # A call, meeting or letter is recorded once made; a bundle is sent afterwards.
    return Disclosure.Status.READY if channel == Channel.BUNDLE else Disclosure.Status.SENT


def _save(
    actor: User,
    child: Child,
    share: Share,
    plan: Plan,
    consent: Consent | None,
    about_child: list[tuple[str, str]],
    standing: policy.Standing,
) -> Disclosure:
    now = timezone.now()
    approved = policy.holds_approver_role(standing, plan.approver, child.site_id)
    status = _status(approved, share.channel)
    made = status == Disclosure.Status.SENT
    when = share.occurred_at or now
    by_consent = share.basis == Basis.CONSENT
    not_told = share.parents_told == ParentsTold.NO
    disclosure = Disclosure(
        child=child,
        recipient=share.recipient,
        tier=plan.tier,
        basis=share.basis,
        condition=plan.condition,
        basis_reason="" if by_consent else share.basis_reason.strip(),
        legal_reference=share.legal_reference.strip(),
        consent=consent,
        consent_position="" if by_consent else share.consent_position,
        purpose=share.purpose,
        purpose_detail=share.purpose_detail.strip(),
        channel=share.channel,
        summary=share.summary.strip(),
        occurred_at=None if share.channel == Channel.BUNDLE else when,
        child_details=json.dumps(about_child),
        redact_third_parties=share.redact_third_parties,
        redacted_passages="\n".join(share.passages),
        include_scans=share.include_scans,
        onward_confirmed=share.onward_confirmed,
        parents_told=share.parents_told,
        parents_not_told_reason=share.parents_not_told_reason.strip() if not_told else "",
        social_care_consulted=share.social_care_consulted if not_told else None,
        hidden_from_parents=plan.hidden,
        concern=share.concern,
        information_request=share.information_request,
        approver=plan.approver,
        status=status,
        created_by=actor,
        approved_by=actor if approved and plan.approver else None,
        approved_at=now if approved and plan.approver else None,
        sent_by=actor if made else None,
        sent_at=when if made else None,
    )
    disclosure.full_clean()
    disclosure.save()
    return disclosure


def _announce(actor: User, disclosure: Disclosure, chosen: Chosen) -> None:
    """The one audit entry, and the approvers told if it waits for them."""
    waiting = disclosure.status == Disclosure.Status.AWAITING_APPROVAL
    if waiting:
        tell(
            site_id=disclosure.child.site_id,
            roles=policy.APPROVER_ROLES[Disclosure.Approver(disclosure.approver)],
            message=f"A share of information is waiting for your approval at {disclosure.child.site.name}.",
            url=reverse("disclosure_detail", args=[disclosure.pk]),
            child=disclosure.child,
            besides=actor,
        )
    made = disclosure.status == Disclosure.Status.SENT
    state = {True: "made", False: "waiting for approval" if waiting else "approved, ready to send"}[made]
    audit(
        actor=actor,
        event=Event.SHARED if made else Event.CREATED,
        obj=disclosure,
        child=disclosure.child,
        tier=disclosure.tier,
        reason=f"Disclosure {disclosure.reference} {state}: {len(chosen.records)} records to a "
        f"{RecipientKind(disclosure.recipient.kind).label.lower()} entry, basis {disclosure.basis}"
        + (f", condition {disclosure.condition}" if disclosure.condition else ""),
        data={
            "recipient": str(disclosure.recipient_id),
            "records": [str(r.pk) for r in chosen.records],
            "channel": disclosure.channel,
            "consent": str(disclosure.consent_id or ""),
            "parents_told": disclosure.parents_told,
        },
    )


@transaction.atomic
def _record_refusal(*, actor: User, child: Child, recipient: Recipient, purpose: str) -> None:
    """A refused share leaves its entry too (after the attempt itself was rolled back)."""
    audit(
        actor=actor,
        event=Event.SHARED,
        obj=recipient,
        child=child,
        tier=Tier.GENERAL,
        reason="Share refused: no consent in force covers this recipient, purpose and information",
        data={"outcome": "refused", "recipient": str(recipient.pk), "purpose": purpose},
    )
