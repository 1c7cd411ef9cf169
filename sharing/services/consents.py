"""The consent register: recording, confirming and withdrawing a parent's consent,
and finding the consent (if any) that covers a share."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import MANAGERS, SITE_READERS, User
from audit.models import Tier
from crypto.attachments import CheckedUpload
from records.models import Category, Child, ChildCarer, Source
from records.services import attachment_store, record_create
from sharing.models import (
    CONSENT_PURPOSES,
    DEFAULT_LIFETIME,
    Consent,
    ConsentMethod,
    Purpose,
    Recipient,
    RecipientKind,
)
from sharing.services.common import Event, audit, require, tell

PORTAL_FORM = "Parent portal consent, version 2026-1"


def _check_giver(child: Child, link: ChildCarer) -> None:
    if link.child_id != child.pk:
        raise ValidationError({"given_by": "Choose one of this child's parents or carers."})
    name = link.carer.full_name
    if link.restricted_contact:
        raise ValidationError(
            {"given_by": f"{name} is under a court restriction about this child and cannot give consent."}
        )
    if not link.parental_responsibility:
        raise ValidationError(
            {
                "given_by": f"{name} does not have parental responsibility for this child, so cannot "
                "give consent. Ask a parent or carer who has it."
            }
        )


def _check_scope(
    purposes: Collection[str],
    categories: Collection[str],
    kinds: Collection[str],
    named: Collection[Recipient],
) -> None:
    errors: dict[str, str] = {}
    if not purposes or not set(purposes) <= set(CONSENT_PURPOSES):
        errors["purposes"] = "Choose what the consent is for."
    if not categories or not set(categories) <= set(Category.values):
        errors["categories"] = "Choose which information may be shared."
    if not kinds and not named:
        errors["recipient_kinds"] = "Choose who it may be shared with: kinds of recipient, or named ones."
    if not set(kinds) <= set(RecipientKind.values):
        errors["recipient_kinds"] = "Choose from the kinds of recipient listed."
    if errors:
        raise ValidationError(errors)


def _default_expiry(given_at: datetime.datetime) -> datetime.date:
    return (timezone.localtime(given_at) + DEFAULT_LIFETIME).date()


@transaction.atomic
def consent_record(
    *,
    actor: User,
    child: Child,
    given_by: ChildCarer,
    purposes: Collection[str],
    categories: Collection[str],
    method: str,
    told: str,
    form_version: str,
    given_at: datetime.datetime,
    recipient_kinds: Collection[str] = (),
    recipients: Collection[Recipient] = (),
    purpose_detail: str = "",
    expires_on: datetime.date | None = None,
    witness: User | None = None,
    signed_form: CheckedUpload | None = None,
) -> Consent:
    """Staff record a consent given on a signed form or verbally (with a witness)."""
    require(policy.may_keep_consents(policy.standing_of(actor), child))
    _check_giver(child, given_by)
    _check_scope(purposes, categories, recipient_kinds, recipients)
    errors: dict[str, str] = {}
    if method == ConsentMethod.VERBAL and (witness is None or witness.pk == actor.pk):
        errors["witness"] = "A verbal consent needs a witness: someone other than you who heard it."
    if method == ConsentMethod.SIGNED_FORM and signed_form is None:
        errors["signed_form"] = "Attach the scan of the signed form."
    if method not in (ConsentMethod.SIGNED_FORM, ConsentMethod.VERBAL):
        errors["method"] = "Say how the consent was given."
    if Purpose.OTHER in purposes and not purpose_detail.strip():
        errors["purpose_detail"] = "Describe what the consent is for."
    if any(r.site_id != child.site_id or not r.is_usable for r in recipients):
        errors["recipients"] = "Choose recipients from this setting's directory."
    if given_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["given_at"] = "That date is in the future. When was the consent given?"
    expires_on = expires_on or _default_expiry(given_at)
    if expires_on <= timezone.localtime(given_at).date():
        errors["expires_on"] = "The review date must be after the consent was given."
    if errors:
        raise ValidationError(errors)
    form_record = None
    if signed_form is not None:
        form_record = record_create(
            actor=actor,
            child=child,
            category=Category.SIGNED_CONSENT,
            title="Consent to share information",
            occurred_at=given_at,
            source=Source.PARENT,
            source_name=given_by.carer.full_name,
            details={
                "consent_for": "Sharing information with other professionals",
                "signed_by": given_by.carer.full_name,
                "date_signed": timezone.localtime(given_at).date().isoformat(),
            },
        )
        attachment_store(actor=actor, record=form_record, checked=signed_form)
    consent = _save(
        Consent(
            child=child,
            given_by=given_by,
            purposes=list(purposes),
            categories=list(categories),
            recipient_kinds=list(recipient_kinds),
            purpose_detail=purpose_detail.strip(),
            method=method,
            witness=witness if method == ConsentMethod.VERBAL else None,
            form_record=form_record,
            told=told.strip(),
            form_version=form_version.strip(),
            given_at=given_at,
            expires_on=expires_on,
            status=Consent.Status.ACTIVE,
            recorded_by=actor,
        ),
        recipients,
    )
    audit(
        actor=actor,
        event=Event.CREATED,
        obj=consent,
        child=child,
        tier=Tier.GENERAL,
        reason=f"Consent recorded ({ConsentMethod(method).label}), given by carer link {given_by.pk}",
    )
    return consent


def _save(consent: Consent, recipients: Collection[Recipient]) -> Consent:
    consent.full_clean()
    consent.save()
    consent.recipients.set(list(recipients))
    return consent


@transaction.atomic
def consent_give_in_portal(
    *,
    actor: User,
    child: Child,
    purposes: Collection[str],
    categories: Collection[str],
    recipient_kinds: Collection[str],
    purpose_detail: str = "",
) -> Consent:
    """A parent gives a consent in the portal. It counts once staff confirm it."""
    require(policy.reads_portal_child(policy.facts_of(actor), child))
    link = ChildCarer.objects.select_related("carer").get(child=child, carer__user=actor)
    _check_giver(child, link)
    _check_scope(purposes, categories, recipient_kinds, ())
    if Purpose.OTHER in purposes and not purpose_detail.strip():
        raise ValidationError({"purpose_detail": "Describe what the consent is for."})
    now = timezone.now()
    consent = _save(
        Consent(
            child=child,
            given_by=link,
            purposes=list(purposes),
            categories=list(categories),
            recipient_kinds=list(recipient_kinds),
            purpose_detail=purpose_detail.strip(),
            method=ConsentMethod.PORTAL,
            told=PORTAL_STATEMENT,
            form_version=PORTAL_FORM,
            given_at=now,
            expires_on=_default_expiry(now),
            status=Consent.Status.AWAITING_CONFIRMATION,
            recorded_by=actor,
        ),
        (),
    )
    tell(
        site_id=child.site_id,
        roles=SITE_READERS,
        message=f"A parent gave a consent in the portal at {child.site.name}: please confirm it.",
        url=reverse("consent_detail", args=[consent.pk]),
        child=child,
        besides=actor,
        key_people=True,
    )
    audit(
        actor=actor,
        event=Event.CREATED,
        obj=consent,
        child=child,
        tier=Tier.GENERAL,
        reason="Consent given in the portal, waiting for staff to confirm",
    )
    return consent


PORTAL_STATEMENT = (
    "The setting will share only what is needed, for the purposes and with the people you chose, "
    "and will record each share. You can withdraw this consent at any time, here or by telling us, "
    "and it stops at once. It lasts a year unless you withdraw it sooner. Where a child may be at "
    "risk of harm, the setting may share information without consent, as the law allows."
)


def _lock(consent: Consent) -> Consent:
    return (
        Consent.objects.select_for_update(of=("self",))
        .select_related("child__site", "given_by__carer")
        .get(pk=consent.pk)
    )


@transaction.atomic
def consent_confirm(*, actor: User, consent: Consent, confirmed: bool, note: str = "") -> Consent:
    """Staff confirm (or do not confirm) a consent a parent gave in the portal."""
    consent = _lock(consent)
    child = consent.child
    require(policy.may_keep_consents(policy.standing_of(actor), child))
    if consent.status != Consent.Status.AWAITING_CONFIRMATION:
        raise ValidationError("This consent is not waiting to be confirmed.")
    if not confirmed and not note.strip():
        raise ValidationError({"note": "Say why it is not confirmed: the parent will be told."})
    consent.status = Consent.Status.ACTIVE if confirmed else Consent.Status.NOT_CONFIRMED
    consent.confirmed_by, consent.confirmed_at = actor, timezone.now()
    consent.not_confirmed_reason = "" if confirmed else note.strip()
    consent.save(update_fields=["status", "confirmed_by", "confirmed_at", "not_confirmed_reason"])
    audit(
        actor=actor,
        event=Event.UPDATED,
        obj=consent,
        child=child,
        tier=Tier.GENERAL,
        reason="Consent given in the portal confirmed" if confirmed else "Portal consent not confirmed",
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, actor: User, consent: Consent, withdrawn_by: ChildCarer | None = None, note: str = ""
) -> Consent:
    """Any one holder of parental responsibility withdraws a consent, at once: in the
    portal (themselves) or by telling staff, who record it."""
    consent = _lock(consent)
    facts = policy.facts_of(actor)
    if actor.is_portal_user or withdrawn_by is None:
        require(policy.reads_portal_child(facts, consent.child))
        withdrawn_by = ChildCarer.objects.select_related("carer").get(child=consent.child, carer__user=actor)
    else:
        require(policy.may_keep_consents(facts, consent.child))
        if withdrawn_by.child_id != consent.child_id or not withdrawn_by.parental_responsibility:
            raise ValidationError(
                {"withdrawn_by": "Choose a parent or carer of this child with parental responsibility."}
            )
    if consent.status not in (Consent.Status.ACTIVE, Consent.Status.AWAITING_CONFIRMATION):
        raise ValidationError("This consent is not in force, so there is nothing to withdraw.")
    consent.status = Consent.Status.WITHDRAWN
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), withdrawn_by
    consent.withdrawal_recorded_by, consent.withdrawal_note = actor, note.strip()
    consent.save(
        update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_recorded_by", "withdrawal_note"]
    )
    _tell_of_withdrawal(actor, consent)
    audit(
        actor=actor,
        event=Event.UPDATED,
        obj=consent,
        child=consent.child,
        tier=Tier.GENERAL,
        reason=f"Consent withdrawn by carer link {withdrawn_by.pk}"
        + (" (not the carer who gave it)" if withdrawn_by.pk != consent.given_by_id else ""),
    )
    return consent


def _tell_of_withdrawal(actor: User, consent: Consent) -> None:
    """The key people and senior staff stop sharing on it; if one parent withdrew what
    the other gave, the managers are told they disagree."""
    child = consent.child
    url = reverse("consent_detail", args=[consent.pk])
    tell(
        site_id=child.site_id,
        roles=SITE_READERS,
        message=f"A consent was withdrawn at {child.site.name}: shares that relied on it have stopped.",
        url=url,
        child=child,
        besides=actor,
        key_people=True,
    )
    if consent.withdrawn_by_id != consent.given_by_id:
        tell(
            site_id=child.site_id,
            roles=MANAGERS,
            message=f"Parents disagree about a consent at {child.site.name}: one withdrew what another gave.",
            url=url,
            child=child,
            besides=actor,
        )
