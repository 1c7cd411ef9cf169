"""A concern about a child the person raising it cannot identify fully.

A volunteer seldom knows a child's date of birth, and nothing may stand between
anyone at the setting and raising a concern: they describe the child instead. The
setting's safeguarding leads read it, find the child and link it, which files it
as a safeguarding concern in that child's file (raised by the person who wrote it).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from crypto.fields import EncryptedModel, EncryptedTextField
from records.models.entries import Record
from records.models.people import Site


class UnidentifiedConcern(EncryptedModel):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the safeguarding lead"
        LINKED = "linked", "Filed in the child's file"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="unidentified_concerns")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who the child seems to be: a name as heard, age, room, appearance, who collects them.
    description = EncryptedTextField()
    # The concern itself, as the raise-a-concern form would have written it.
    body = EncryptedTextField()
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    record = models.OneToOneField(
        Record, on_delete=models.PROTECT, null=True, blank=True, related_name="unidentified_origin"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["site", "status", "created_at"], name="unidentified_queue")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="waiting", record__isnull=True)
                    | models.Q(status="linked", record__isnull=False, linked_at__isnull=False)
                ),
                name="unidentified_linked_has_its_record",
            ),
        ]

    def __str__(self) -> str:
        return f"Unidentified concern {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"tier": "safeguarding"}
