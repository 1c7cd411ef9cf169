"""The consent register: a parent's permission to share information about their child."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from crypto.fields import EncryptedCharField, EncryptedModel, EncryptedTextField
from records.choices import Category, Tier
from records.models import Child, ChildCarer, Record
from sharing.models.choices import ConsentMethod, Purpose, RecipientKind
from sharing.models.recipients import Recipient

# A consent is reviewed a year after it is given, unless it says otherwise.
DEFAULT_LIFETIME = datetime.timedelta(days=365)
# How long before its end a consent shows as due for review.
REVIEW_WARNING = datetime.timedelta(days=42)


class Consent(EncryptedModel):
    """Who gave it (a carer with parental responsibility), to share what
    (categories of record), with whom (kinds of recipient, or named entries),
    for what, when and how, what they were told, until when; and its withdrawal.

    Any one holder of parental responsibility may withdraw it, which stops
    every consent-based share that relied on it."""

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting_confirmation", "Given in the portal: waiting for staff to confirm"
        ACTIVE = "active", "In force"
        WITHDRAWN = "withdrawn", "Withdrawn"
        NOT_CONFIRMED = "not_confirmed", "Not confirmed by staff"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="consents")
    given_by = models.ForeignKey(ChildCarer, on_delete=models.PROTECT, related_name="consents_given")
    # Codes only (not personal): lists of Purpose, Category and RecipientKind values.
    purposes = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    recipient_kinds = models.JSONField(default=list, blank=True)
    recipients = models.ManyToManyField(Recipient, blank=True, related_name="consents")
    purpose_detail = EncryptedTextField("what the consent is for, in words", blank=True, default="")
    method = models.CharField(max_length=16, choices=ConsentMethod.choices)
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The signed form, kept in the child's file as a signed-consent record.
    form_record = models.ForeignKey(Record, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    told = EncryptedTextField("what the person was told")
    form_version = EncryptedCharField("consent form and version", max_length=100)
    given_at = models.DateTimeField()
    expires_on = models.DateField("review or expiry date")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.ACTIVE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    not_confirmed_reason = EncryptedTextField(blank=True, default="")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        ChildCarer, on_delete=models.PROTECT, null=True, blank=True, related_name="consents_withdrawn"
    )
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | models.Q(withdrawn_at__isnull=False),
                name="consent_withdrawal_has_a_time",
            )
        ]
        indexes = [models.Index(fields=["child", "status"], name="consent_child_status")]

    def __str__(self) -> str:
        return f"Consent {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"child_id": str(self.child_id), "tier": Tier.GENERAL}

    # --- what it covers, in words and as a test ---

    @property
    def purpose_labels(self) -> list[str]:
        return [Purpose(p).label for p in self.purposes if p in Purpose.values]

    @property
    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.categories if c in Category.values]

    @property
    def kind_labels(self) -> list[str]:
        return [RecipientKind(k).label for k in self.recipient_kinds if k in RecipientKind.values]

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return self.expires_on < (today or timezone.localdate())

    def is_due_for_review(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return not self.is_expired(today) and self.expires_on <= today + REVIEW_WARNING

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.ACTIVE and not self.is_expired()

    @property
    def flag(self) -> str:
        """What the register flags at a glance: expired, due for review, waiting, withdrawn."""
        if self.status == self.Status.WITHDRAWN:
            return "Withdrawn"
        if self.status == self.Status.AWAITING_CONFIRMATION:
            return "Waiting for staff to confirm"
        if self.status == self.Status.NOT_CONFIRMED:
            return "Not confirmed"
        if self.is_expired():
            return "Expired"
        if self.is_due_for_review():
            return "Due for review"
        return ""
