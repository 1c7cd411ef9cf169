"""Requests for information, and the decisions made on them: to share, to share in
part, or not to share, always with the reason. A DSL's decision not to refer a
concern is a decision not to share with no request behind it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from crypto.fields import EncryptedCharField, EncryptedModel, EncryptedTextField
from records.choices import Tier
from records.models import Child, Record
from sharing.models.choices import DecisionOutcome, RequestAuthority
from sharing.models.disclosures import Disclosure
from sharing.models.recipients import Recipient


class InformationRequest(EncryptedModel):
    """Someone asked for information about a child: who, on what authority, what for."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a decision"
        ANSWERED = "answered", "Answered"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="information_requests")
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.GENERAL)
    authority = models.CharField("on what authority", max_length=24, choices=RequestAuthority.choices)
    recipient = models.ForeignKey(
        Recipient, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    requester_name = EncryptedCharField("who asked", max_length=200)
    requester_organisation = EncryptedCharField("their organisation", max_length=200, blank=True, default="")
    reference = EncryptedCharField("their reference", max_length=100, blank=True, default="")
    asked_for = EncryptedTextField("what they asked for")
    received_at = models.DateTimeField()
    respond_by = models.DateField(null=True, blank=True)
    # The request form, kept in the child's file as correspondence.
    form_record = models.ForeignKey(Record, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["child", "-received_at"], name="request_child_time")]

    def __str__(self) -> str:
        return f"Information request {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"child_id": str(self.child_id), "tier": str(self.tier)}


class SharingDecision(EncryptedModel):
    """A decision to share, share in part or not share, and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="sharing_decisions")
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.GENERAL)
    outcome = models.CharField(max_length=16, choices=DecisionOutcome.choices)
    reason = EncryptedTextField()
    information_request = models.OneToOneField(
        InformationRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )
    concern = models.ForeignKey(
        Record, on_delete=models.PROTECT, null=True, blank=True, related_name="sharing_decisions"
    )
    recipient = models.ForeignKey(
        Recipient, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    disclosure = models.OneToOneField(
        Disclosure, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at"]
        indexes = [models.Index(fields=["child", "-decided_at"], name="sharing_decision_child_time")]

    def __str__(self) -> str:
        return f"Sharing decision {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"child_id": str(self.child_id), "tier": str(self.tier)}

    @property
    def is_decision_not_to_refer(self) -> bool:
        return self.concern_id is not None and self.outcome == DecisionOutcome.NOT_SHARE
