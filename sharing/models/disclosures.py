"""Disclosures: what left the setting, to whom, why, on what basis, approved by whom,
and when and how it was sent. Every share is one of these."""

from __future__ import annotations

import json
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from crypto.fields import EncryptedCharField, EncryptedModel, EncryptedTextField
from records.choices import Tier
from records.models import Attachment, Child, Record
from sharing.models.choices import (
    Basis,
    Channel,
    Condition,
    ConsentPosition,
    ParentsTold,
    Purpose,
    SecureChannel,
)
from sharing.models.consents import Consent
from sharing.models.recipients import Recipient

# Ambiguous letters left out: a reference is read out on the phone.
REFERENCE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "SH-" + "".join(secrets.choice(REFERENCE_LETTERS) for _ in range(8))


def lines_of(text: str | None) -> list[tuple[str, str]]:
    """A snapshot kept as JSON text: [[label, value], …]."""
    return [(str(label), str(value)) for label, value in json.loads(text or "[]")]


class Disclosure(EncryptedModel):
    """One share with one recipient about one child. Its content is a snapshot,
    taken (and redacted) when it was made: what was sent stays what was sent."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
        NOT_APPROVED = "not_approved", "Not approved"
        READY = "ready", "Approved: ready to send"
        SENT = "sent", "Sent"

    class Approver(models.TextChoices):
        NONE = "", "No approval needed"
        MANAGER = "manager", "A manager"
        DSL = "dsl", "The designated safeguarding lead"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="disclosures")
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="disclosures")
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.GENERAL)
    basis = models.CharField(max_length=24, choices=Basis.choices)
    condition = models.CharField(max_length=32, choices=Condition.choices, blank=True, default="")
    basis_reason = EncryptedTextField(blank=True, default="")
    legal_reference = EncryptedCharField(max_length=200, blank=True, default="")
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    consent_position = models.CharField(max_length=20, choices=ConsentPosition.choices, blank=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    purpose_detail = EncryptedTextField(blank=True, default="")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    summary = EncryptedTextField("what was said or shown", blank=True, default="")
    occurred_at = models.DateTimeField(null=True, blank=True, help_text="When the call or meeting was.")
    # The child's details shared, as [[label, value], …]; items hold the records.
    child_details = EncryptedTextField(blank=True, default="[]")
    redact_third_parties = models.BooleanField(default=True)
    redacted_passages = EncryptedTextField(blank=True, default="")
    include_scans = models.BooleanField(default=False)
    onward_confirmed = models.BooleanField(default=False)
    parents_told = models.CharField(max_length=4, choices=ParentsTold.choices)
    parents_not_told_reason = EncryptedTextField(blank=True, default="")
    social_care_consulted = models.BooleanField(null=True, blank=True)
    hidden_from_parents = models.BooleanField(default=False)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    concern = models.ForeignKey(
        Record, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    information_request = models.ForeignKey(
        "sharing.InformationRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    approver = models.CharField(max_length=8, choices=Approver.choices, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = EncryptedTextField(blank=True, default="")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_how = models.CharField(max_length=20, choices=SecureChannel.choices, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="disclosure_sent_has_a_time"
            ),
            models.CheckConstraint(
                condition=~Q(basis="consent") | Q(consent__isnull=False),
                name="disclosure_consent_basis_names_the_consent",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "-created_at"], name="disclosure_child_time"),
            models.Index(fields=["status", "approver"], name="disclosure_approval_queue"),
        ]

    def __str__(self) -> str:
        return f"Disclosure {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"child_id": str(self.child_id), "tier": str(self.tier)}

    @property
    def details_shared(self) -> list[tuple[str, str]]:
        return lines_of(self.child_details)

    @property
    def passages(self) -> list[str]:
        return [p for p in (self.redacted_passages or "").splitlines() if p.strip()]

    @property
    def is_safeguarding_basis(self) -> bool:
        return self.condition == Condition.SAFEGUARDING

    @property
    def is_visible_to_parents(self) -> bool:
        return self.status == self.Status.SENT and (
            not self.hidden_from_parents or self.released_at is not None
        )


class DisclosureItem(EncryptedModel):
    """One record in a disclosure: the parts chosen and, as they were sent, their text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="items")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="disclosure_items")
    parts = models.JSONField(default=list)  # codes only: which parts of the record
    content = EncryptedTextField(default="[]")  # [[label, value], …], redacted
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="disclosure_items")

    class Meta:
        ordering = ["disclosure", "record__occurred_at"]
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "record"], name="disclosure_item_once_per_record")
        ]

    def __str__(self) -> str:
        return f"Disclosure item {self.pk}"

    @property
    def lines(self) -> list[tuple[str, str]]:
        return lines_of(self.content)
