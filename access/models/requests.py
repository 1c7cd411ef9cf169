"""Asking: invitations to the parent portal, and staff asking for access to a file."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from access.models.grants import Grant
from access.models.people import User
from crypto.fields import EncryptedModel, EncryptedTextField


class PortalInvitation(models.Model):
    """A single-use link that lets a carer with parental responsibility set a
    password for the parent portal. Only a hash of the token is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    carer = models.ForeignKey("records.Carer", on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Portal invitation {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"tier": "access"}


class AccessRequest(EncryptedModel):
    """A member of staff asks the manager for need-to-know access to a child's
    file, saying why. Granting it makes an ordinary grant."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the manager"
        GRANTED = "granted", "Granted"
        DECLINED = "declined", "Declined"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey("records.Child", on_delete=models.PROTECT, related_name="access_requests")
    requester = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_requests")
    reason = EncryptedTextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(blank=True, default="")
    grant = models.OneToOneField(
        Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "requester"],
                condition=models.Q(status="pending"),
                name="access_request_once_while_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Access request {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"child_id": str(self.child_id), "tier": "access"}
