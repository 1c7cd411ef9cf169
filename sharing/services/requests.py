"""Requests for information and the decisions on them; the DSL's referral of a
concern and decision not to refer it. Every request is answered with a decision,
always with its reason: share (a disclosure), share in part, or not share."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from access import policy
from access.models import User
from crypto.attachments import CheckedUpload
from records.models import Addendum, Category, Child, Record, Source, Tier
from records.services import addendum_create, attachment_store, lock_record, record_create
from sharing.models import (
    DecisionOutcome,
    Disclosure,
    InformationRequest,
    Purpose,
    Recipient,
    RequestAuthority,
    SharingDecision,
)
from sharing.services.common import Event, audit, require
from sharing.services.disclosures import disclosure_make

SAFEGUARDING_AUTHORITIES = frozenset(
    {RequestAuthority.POLICE_CRIME, RequestAuthority.POLICE_THIRD_PARTY, RequestAuthority.LOCAL_AUTHORITY}
)


@transaction.atomic
def request_log(
    *,
    actor: User,
    child: Child,
    authority: str,
    requester_name: str,
    asked_for: str,
    received_at: datetime.datetime,
    requester_organisation: str = "",
    recipient: Recipient | None = None,
    reference: str = "",
    respond_by: datetime.date | None = None,
    safeguarding: bool = False,
    request_form: CheckedUpload | None = None,
) -> InformationRequest:
    """A manager or the DSL logs a request: who asked, on what authority, for what."""
    standing = policy.standing_of(actor)
    require(policy.may_log_request(standing, child))
    errors: dict[str, str] = {}
    if authority not in RequestAuthority.values:
        errors["authority"] = "Say on what authority they ask."
    if not requester_name.strip():
        errors["requester_name"] = "Say who asked."
    if not asked_for.strip():
        errors["asked_for"] = "Say what they asked for."
    if received_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["received_at"] = "That time is in the future. When did the request arrive?"
    if recipient is not None and recipient.site_id != child.site_id:
        errors["recipient"] = "Choose an entry of this setting's directory, or leave it empty."
    if safeguarding and not policy.may_share_safeguarding(standing, child):
        errors["safeguarding"] = (
            "Only the designated safeguarding lead keeps a request in the safeguarding file."
        )
    if errors:
        raise ValidationError(errors)
    tier = Tier.SAFEGUARDING if safeguarding else Tier.GENERAL
    form_record = None
    if request_form is not None:
        form_record = record_create(
            actor=actor,
            child=child,
            category=Category.CORRESPONDENCE,
            title="Request for information",
            occurred_at=received_at,
            source=Source.AGENCY,
            source_name=requester_organisation or requester_name,
            requested_tier=tier,
            details={"direction": "received", "correspondent": requester_name},
        )
        attachment_store(actor=actor, record=form_record, checked=request_form)
    found = InformationRequest(
        child=child,
        tier=tier,
        authority=authority,
        recipient=recipient,
        requester_name=requester_name.strip(),
        requester_organisation=requester_organisation.strip(),
        reference=reference.strip(),
        asked_for=asked_for.strip(),
        received_at=received_at,
        respond_by=respond_by,
        form_record=form_record,
        created_by=actor,
    )
    found.full_clean()
    found.save()
    audit(
        actor=actor,
        event=Event.CREATED,
        obj=found,
        child=child,
        tier=tier,
        reason=f"Request for information logged ({authority})",
    )
    return found


@transaction.atomic
def request_decide(
    *, actor: User, information_request: InformationRequest, outcome: str, reason: str, **share: Any
) -> SharingDecision:
    """The answer to a request, with its reason. To share (or share in part) is to
    make the disclosure, through the one sharing service, in the same step."""
    found = (
        InformationRequest.objects.select_for_update(of=("self",))
        .select_related("child__site")
        .get(pk=information_request.pk)
    )
    require(policy.may_decide_request(policy.standing_of(actor), found))
    errors: dict[str, str] = {}
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = "Choose the decision."
    if not reason.strip():
        errors["reason"] = "Give the reason for the decision. It is kept with it."
    if outcome != DecisionOutcome.NOT_SHARE and share.get("recipient") is None:
        errors["recipient"] = "Choose whom the information goes to."
    if errors:
        raise ValidationError(errors)
    disclosure = None
    if outcome != DecisionOutcome.NOT_SHARE:
        disclosure = disclosure_make(actor=actor, child=found.child, information_request=found, **share)
    decision = _decide(actor, found.child, outcome, reason, found.tier, request=found, disclosure=disclosure)
    found.status = InformationRequest.Status.ANSWERED
    found.save(update_fields=["status"])
    return decision


def _decide(
    actor: User,
    child: Child,
    outcome: str,
    reason: str,
    tier: str,
    *,
    request: InformationRequest | None = None,
    concern: Record | None = None,
    disclosure: Disclosure | None = None,
) -> SharingDecision:
    decision = SharingDecision(
        child=child,
        tier=Tier.SAFEGUARDING if disclosure is not None and disclosure.tier == Tier.SAFEGUARDING else tier,
        outcome=outcome,
        reason=reason.strip(),
        information_request=request,
        concern=concern,
        recipient=disclosure.recipient if disclosure else (request.recipient if request else None),
        disclosure=disclosure,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    decision.full_clean()
    decision.save()
    what = "Decision not to refer a concern" if concern else f"Decision on a request: {outcome}"
    audit(
        actor=actor,
        event=Event.CREATED,
        obj=decision,
        child=child,
        tier=decision.tier,
        reason=what,
        data={"disclosure": str(disclosure.pk) if disclosure else ""},
    )
    return decision


# --- the DSL's handling of a concern -----------------------------------------------------------


def _open_concern(actor: User, concern: Record) -> Record:
    concern = lock_record(concern)
    require(policy.may_handle_concern(policy.standing_of(actor), concern))
    if concern.status == Record.Status.CLOSED:
        raise ValidationError("This concern is closed. Raise a new concern, or add a note.")
    return concern


@transaction.atomic
def concern_decide_not_to_refer(*, actor: User, record: Record, text: str) -> SharingDecision:
    """A decision not to refer is a decision not to share, with its reason."""
    concern = _open_concern(actor, record)
    if not text.strip():
        raise ValidationError({"text": "Write the details and your reasons."})
    assert concern.child is not None  # noqa: S101 - a concern is always in a child's file
    addendum_create(actor=actor, record=concern, kind=Addendum.Kind.NO_REFERRAL, text=text)
    return _decide(actor, concern.child, DecisionOutcome.NOT_SHARE, text, Tier.SAFEGUARDING, concern=concern)


@transaction.atomic
def concern_refer(*, actor: User, record: Record, **share: Any) -> Disclosure:
    """The DSL refers a concern to another agency: a disclosure on the safeguarding
    basis, made in one pass, noted on the concern."""
    concern = _open_concern(actor, record)
    child = concern.child
    assert child is not None  # noqa: S101 - a concern is always in a child's file
    share.setdefault("purpose", Purpose.SAFEGUARDING)
    disclosure = disclosure_make(actor=actor, child=child, concern=concern, **share)
    told = "Parents told." if disclosure.parents_told == "yes" else "Parents not told."
    addendum_create(
        actor=actor,
        record=concern,
        kind=Addendum.Kind.REFERRAL,
        text=f"{disclosure.get_channel_display()}; disclosure {disclosure.reference}. {told}\n\n"
        + (disclosure.summary or ""),
        agency=disclosure.recipient.label,
    )
    return disclosure
