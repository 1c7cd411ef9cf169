"""Emergency access ("break-glass"): a member of staff opens a child's general file for
themself, for a short time, with a reason; the DSL reviews every use afterwards.

The access itself is an ordinary Grant (marked ``break_glass``), so the facts, the
expiry at the second and the conflict and "about me" exclusions apply unchanged;
this row holds what the review needs.
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.db import models
from django.utils import timezone

from access.models.grants import Grant
from access.models.people import User
from crypto.fields import EncryptedModel, EncryptedTextField

# Letters and digits that cannot be confused when read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "BG-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class BreakGlass(EncryptedModel):
    """One use of emergency access: why, until when, and the DSL's review."""

    class Reason(models.TextChoices):
        TAKEN_ILL = "taken_ill", "The child is ill or injured"
        ALLERGY = "allergic_reaction", "An allergic reaction"
        HOSPITAL = "hospital", "An ambulance or a hospital visit"
        COLLECTION = "collection", "An unexpected adult at collection"
        MISSING = "missing", "The child is missing"
        OTHER = "other", "Another emergency"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="break_glass_use")
    # The alert reference: the only thing the e-mails about this use carry.
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    reason_kind = models.CharField("what happened", max_length=20, choices=Reason.choices)
    child = models.ForeignKey("records.Child", on_delete=models.PROTECT, related_name="break_glass_uses")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="break_glass_uses")
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_early_at = models.DateTimeField(null=True, blank=True)
    # One of several uses by the same person in a short time (BREAK_GLASS_REPEAT_*).
    repeated = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    justified = models.BooleanField(null=True, blank=True)
    review_comment = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = "emergency access"
        verbose_name_plural = "emergency accesses"
        indexes = [models.Index(fields=["user", "opened_at"], name="break_glass_person_time")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reviewed_by=models.F("user")),
                name="break_glass_not_reviewed_by_the_person",
            ),
            models.CheckConstraint(
                condition=models.Q(reviewed_at__isnull=True) | models.Q(justified__isnull=False),
                name="break_glass_review_has_a_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Emergency access {self.reference}"

    def get_additional_data(self) -> dict[str, str]:
        return {"child_id": str(self.child_id), "tier": "access"}

    @property
    def ends_at(self) -> datetime.datetime:
        """When the access ended, or will end."""
        return self.ended_early_at or self.expires_at

    def is_open(self, at: datetime.datetime | None = None) -> bool:
        return self.grant.is_live(at)
