"""What waits for someone: notifications, and corrections parents asked for."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from crypto.fields import EncryptedModel, EncryptedTextField
from records.choices import Tier
from records.models.people import Carer, Child


class Notification(models.Model):
    """An in-app message. Its text names no one: it says what happened and links to it.
    The page names the child it is about, for a reader who may still see the child (or
    says "a child"); it is done when the thing it asks for is done, not only when opened."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # What it asks someone to deal with (a record to sign off, a concern), if anything.
    record = models.ForeignKey(
        "records.Record", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            models.Index(fields=["record", "done_at"], name="notification_about"),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        # A notification goes out when, say, a concern is raised: who was told
        # what, and when, is nobody else's business on the audit pages.
        return {"tier": "private"}

    @property
    def is_new(self) -> bool:
        return self.read_at is None and self.done_at is None


class CorrectionRequest(EncryptedModel):
    """A parent or carer asks for their child's details, or their own, to be
    corrected. Staff approve (the change is made) or decline, with a note."""

    class Field(models.TextChoices):
        CHILD_ADDRESS = "child.address", "Child's address"
        CHILD_PHONE = "child.phone", "Child's main phone"
        CHILD_MEDICAL = "child.medical_conditions", "Medical conditions"
        CHILD_ALLERGIES = "child.allergies", "Allergies"
        CHILD_MEDICATION = "child.medication", "Medication"
        CHILD_DIET = "child.dietary_needs", "Dietary needs"
        CHILD_GP = "child.gp_details", "GP"
        CARER_ADDRESS = "carer.address", "My address"
        CARER_PHONE = "carer.phone", "My phone"
        CARER_EMAIL = "carer.email", "My email"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for staff"
        APPROVED = "approved", "Corrected"
        DECLINED = "declined", "Not changed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="correction_requests")
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="correction_requests")
    field = models.CharField(max_length=40, choices=Field.choices)
    proposed = EncryptedTextField("correct value")
    note = EncryptedTextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "child"], name="correction_queue")]

    def __str__(self) -> str:
        return f"Correction request {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"child_id": str(self.child_id), "tier": Tier.GENERAL}


class FileVisit(models.Model):
    """When a person last opened a child's file: their home says what changed since."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "child"], name="file_visit_once")]

    def __str__(self) -> str:
        return f"File visit {self.pk}"
