"""Checking what someone asked to share, and working out what the share will be:
its tier, its Article 9 condition, who approves it, whether parents see it."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from access import policy
from access.models import User
from access.selectors import records_for
from records.models import Child, Record, Tier
from sharing.models import (
    SPECIAL_CATEGORIES,
    Basis,
    Channel,
    Condition,
    ConsentPosition,
    Disclosure,
    InformationRequest,
    ParentsTold,
    Purpose,
    Recipient,
    SecureChannel,
    media_match,
)
from sharing.models.choices import HIDDEN_KINDS
from sharing.services import redaction

MEDICAL_DETAILS = frozenset(
    code for code, category in redaction.DETAIL_CATEGORY.items() if category == "medical"
)


@dataclass
class Chosen:
    """The records chosen, each with its parts, in the order of the file."""

    records: list[Record] = field(default_factory=list)
    parts: dict[uuid.UUID, set[str]] = field(default_factory=dict)


def chosen_records(actor: User, child: Child, items: Collection[str], concern: Record | None) -> Chosen:
    wanted: dict[uuid.UUID, set[str]] = {}
    try:
        for item in items:
            record_id, _, part = item.partition(":")
            wanted.setdefault(uuid.UUID(record_id), set()).add(part)
    except ValueError:
        raise ValidationError({"items": "Choose the records to share from the list."}) from None
    if concern is not None:
        wanted[concern.pk] = wanted.get(concern.pk, set()) | {"title", "body"}
    if not wanted:
        raise ValidationError(
            {"items": "Choose at least one record to share. Nothing is shared unless chosen."}
        )
    # Only records of this child's file that this person may read (current ones).
    found = list(
        records_for(actor)
        .filter(child=child, pk__in=list(wanted))
        .exclude(status=Record.Status.SUPERSEDED)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("occurred_at", "created_at")
    )
    if len(found) != len(wanted):
        raise ValidationError({"items": "One of the records chosen is not in this child's file."})
    chosen = Chosen(records=found)
    for record in found:
        allowed = {code for code, _label in redaction.record_parts(record, attachment_count=9)}
        if not wanted[record.pk] <= allowed:
            raise ValidationError({"items": "Choose the parts to share from the list."})
        chosen.parts[record.pk] = wanted[record.pk]
    return chosen


def check_recipient(recipient: Recipient, child: Child) -> None:
    if recipient.site_id != child.site_id or not recipient.is_usable:
        raise ValidationError({"recipient": "Choose a recipient from this setting's directory."})
    outlet = media_match(
        names=[recipient.name, recipient.contact_name], addresses=[recipient.email, recipient.secure_email]
    )
    if outlet is not None:
        raise ValidationError(
            {
                "recipient": f"{recipient.name} looks like a media organisation ({outlet}): nothing "
                "is shared with any branch of the media."
            }
        )


@dataclass(frozen=True)
class Share:
    """What someone asked to share, as given to disclosure_make."""

    recipient: Recipient
    basis: str
    purpose: str
    channel: str
    parents_told: str
    items: Collection[str]
    child_details: Collection[str]
    condition: str
    basis_reason: str
    legal_reference: str
    consent_position: str
    purpose_detail: str
    summary: str
    occurred_at: datetime.datetime | None
    redact_third_parties: bool
    redact_passages: str
    include_scans: bool
    onward_confirmed: bool
    parents_not_told_reason: str
    social_care_consulted: bool
    concern: Record | None
    information_request: InformationRequest | None

    @property
    def passages(self) -> list[str]:
        return [p.strip() for p in self.redact_passages.splitlines() if p.strip()]

    @property
    def details(self) -> list[str]:
        return [d for d in self.child_details if d in redaction.DETAIL_CATEGORY]


@dataclass(frozen=True)
class Plan:
    """What the share will be, once its input is checked."""

    tier: str
    condition: str
    approver: str
    hidden: bool


def plan_share(actor: User, child: Child, chosen: Chosen, share: Share) -> Plan:
    """Check the input (every problem at once, next to its field) and work out the share."""
    errors: dict[str, str] = {}
    records, concern = chosen.records, share.concern
    safeguarding = any(r.tier == Tier.SAFEGUARDING for r in records) or concern is not None
    special = safeguarding or any(r.category in SPECIAL_CATEGORIES for r in records)
    special = special or bool(MEDICAL_DETAILS & set(share.details))
    condition = _check_basis(share, special, errors)
    _check_purpose(share, errors)
    _check_channel(share, errors)
    _check_parents(share, errors)
    dsl = policy.may_share_safeguarding(policy.standing_of(actor), child)
    onward = any(redaction.is_from_another_agency(r) for r in records)
    _check_dsl_only(share, chosen, dsl=dsl, safeguarding=safeguarding, onward=onward, errors=errors)
    if errors:
        raise ValidationError(errors)
    safeguarding = safeguarding or condition == Condition.SAFEGUARDING
    if safeguarding or onward:
        approver = Disclosure.Approver.DSL
    elif share.basis != Basis.CONSENT:
        approver = Disclosure.Approver.MANAGER
    else:
        approver = Disclosure.Approver.NONE
    hidden = condition == Condition.SAFEGUARDING or share.recipient.kind in HIDDEN_KINDS
    return Plan(Tier.SAFEGUARDING if safeguarding else Tier.GENERAL, condition, approver, hidden)


def _check_basis(share: Share, special: bool, errors: dict[str, str]) -> str:
    """The basis first; returns the Article 9 condition the share rests on."""
    if share.basis not in Basis.values:
        errors["basis"] = "Choose the lawful basis for this share first."
        return ""
    if share.basis == Basis.CONSENT:
        if share.concern is not None:
            errors["basis"] = "A referral is not made on consent: choose the basis it is made on."
        return Condition.EXPLICIT_CONSENT if special else ""
    if not share.basis_reason.strip():
        errors["basis_reason"] = "Say why this basis applies. It is kept with the disclosure."
    if share.consent_position not in ConsentPosition.values:
        errors["consent_position"] = "Say what happened about consent."
    if share.concern is not None:
        return Condition.SAFEGUARDING
    if special and share.condition not in Condition.values[1:]:
        errors["condition"] = "Health or safeguarding information needs a condition: choose one."
    return share.condition if share.condition in Condition.values else ""


def _check_purpose(share: Share, errors: dict[str, str]) -> None:
    if share.purpose not in Purpose.values:
        errors["purpose"] = "Say what the information is for."
    elif share.purpose == Purpose.OTHER and not share.purpose_detail.strip():
        errors["purpose_detail"] = "Describe what the information is for."


def _check_channel(share: Share, errors: dict[str, str]) -> None:
    unsafe = (SecureChannel.NONE, SecureChannel.PHONE)
    if share.channel not in Channel.values:
        errors["channel"] = "Say how the information is shared."
    elif share.channel == Channel.BUNDLE and share.recipient.secure_channel in unsafe:
        errors["channel"] = (
            f"There is no secure way agreed to send a bundle to {share.recipient.name}. Agree one and "
            "record it in the directory, or share by phone or in a meeting."
        )
    elif share.channel != Channel.BUNDLE and not share.summary.strip():
        errors["summary"] = (
            "Write down what was said or shown: no file is made for a call, meeting or letter."
        )
    when = share.occurred_at
    if when is not None and when > timezone.now() + datetime.timedelta(minutes=5):
        errors["occurred_at"] = "That time is in the future. When was it shared?"


def _check_parents(share: Share, errors: dict[str, str]) -> None:
    if share.parents_told not in ParentsTold.values:
        errors["parents_told"] = "Say whether the parents were told about this share."
    elif share.parents_told == ParentsTold.NO and not share.parents_not_told_reason.strip():
        errors["parents_not_told_reason"] = "Say why the parents were not told."


def _check_dsl_only(
    share: Share, chosen: Chosen, *, dsl: bool, safeguarding: bool, onward: bool, errors: dict[str, str]
) -> None:
    """Safeguarding records, scans and other agencies' documents: the DSL's to share."""
    if safeguarding and not dsl:
        errors["items"] = "Only the designated safeguarding lead can share safeguarding records."
    files = any(redaction.FILES in parts for parts in chosen.parts.values())
    if files and not dsl:
        errors["items"] = "Scans and images are left out unless the designated safeguarding lead shares them."
    elif files and not share.include_scans:
        errors["include_scans"] = (
            "Tick that you have reviewed the scans and images by hand, or leave them out."
        )
    if onward and dsl and not share.onward_confirmed:
        errors["onward_confirmed"] = (
            "A document from another agency is not shared onward without its originator's consent. Tick "
            "to confirm they agreed, or that you are sharing it to safeguard the child."
        )
