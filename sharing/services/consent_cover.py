"""Does a consent cover this share? The consent in force for this recipient,
purpose and information, or why there is none, in words."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from records.models import Category, Child, ChildCarer
from sharing.models import Consent, Purpose, Recipient


@dataclass(frozen=True)
class Cover:
    consent: Consent | None
    refusal: str  # why no consent covers it, in words, when consent is None


def consent_covering(
    *, child: Child, recipient: Recipient, purpose: str, categories: Collection[str]
) -> Cover:
    """The consent in force that covers this recipient, purpose and every category,
    or why there is none (withdrawn, expired, waiting, not covering)."""
    consents = list(
        Consent.objects.filter(child=child)
        .select_related("given_by__carer", "withdrawn_by__carer")
        .prefetch_related("recipients")
    )
    missing: list[str] = []
    for consent in consents:
        named = recipient in consent.recipients.all()
        gaps = _gaps(consent, recipient, named, purpose, categories)
        if not gaps and consent.is_in_force and _giver_still_may(consent.given_by):
            return Cover(consent, "")
        if not gaps:
            missing.append(_why_not_in_force(consent))
        else:
            missing.append(f"the consent given by {consent.given_by.carer.full_name} does not cover {gaps}")
    if not consents:
        reason = "There is no consent from a parent with parental responsibility for this child."
    else:
        reason = "No consent in force covers this share: " + "; ".join(dict.fromkeys(missing)) + "."
    return Cover(None, reason)


def _gaps(
    consent: Consent, recipient: Recipient, named: bool, purpose: str, categories: Collection[str]
) -> str:
    gaps = []
    if not named and recipient.kind not in consent.recipient_kinds:
        gaps.append(f"sharing with {recipient.label}")
    if purpose not in consent.purposes:
        gaps.append(f"the purpose “{Purpose(purpose).label}”")
    uncovered = [Category(c).label for c in categories if c not in consent.categories]
    if uncovered:
        gaps.append("these kinds of information: " + ", ".join(sorted(uncovered)))
    return " or ".join(gaps)


def _giver_still_may(link: ChildCarer) -> bool:
    return bool(link.parental_responsibility and not link.restricted_contact)


def _why_not_in_force(consent: Consent) -> str:
    giver = consent.given_by.carer.full_name
    if consent.status == Consent.Status.WITHDRAWN and consent.withdrawn_at is not None:
        by = consent.withdrawn_by.carer.full_name if consent.withdrawn_by else "a parent"
        return f"the consent given by {giver} was withdrawn by {by} on {consent.withdrawn_at:%-d %B %Y}"
    if consent.status == Consent.Status.AWAITING_CONFIRMATION:
        return f"the consent {giver} gave in the portal has not been confirmed by staff yet"
    if consent.status == Consent.Status.NOT_CONFIRMED:
        return f"the consent {giver} gave in the portal was not confirmed"
    if consent.is_expired():
        return f"the consent given by {giver} expired on {consent.expires_on:%-d %B %Y}"
    return f"{giver} no longer has parental responsibility without restriction"
