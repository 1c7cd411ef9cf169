"""Bulk exports for an inspection or a transfer: who, which tier, why, what was included."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from crypto.fields import EncryptedModel, EncryptedTextField
from records.models import Child, Site, StaffMember
from sharing.models.choices import ExportTier


class BulkExport(EncryptedModel):
    """One export: general files by a manager, safeguarding files by the DSL,
    staff files by HR; always with a reason. What was included is listed, by
    id, in its audit entry."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    tier = models.CharField(max_length=16, choices=ExportTier.choices)
    reason = EncryptedTextField()
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_count = models.PositiveIntegerField(default=0)
    record_count = models.PositiveIntegerField(default=0)
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField()

    class Meta:
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return f"Bulk export {self.pk}"
