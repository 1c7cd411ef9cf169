"""Induction and training: per staff member, ticked by a manager with a date; training
has an expiry (DSL training refreshed at least every 2 years)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from access.models import Role, User


class InductionItem(models.Model):
    """One thing every new member of staff in these roles is taken through."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    # The roles it applies to; empty: everyone on the staff.
    roles = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def applies_to(self, roles: set[str]) -> bool:
        return not self.roles or bool(roles.intersection(self.roles))


class InductionTick(models.Model):
    """A manager ticked an item for a member of staff, with the date it was done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff_member = models.ForeignKey("records.StaffMember", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(InductionItem, on_delete=models.PROTECT, related_name="ticks")
    done_on = models.DateField()
    ticked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    ticked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff_member", "item"], name="induction_tick_once")]

    def __str__(self) -> str:
        return f"Induction tick {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"staff_member_id": str(self.staff_member_id), "tier": "personnel"}


class TrainingKind(models.TextChoices):
    SAFEGUARDING = "safeguarding", "Safeguarding and child protection"
    DSL = "dsl", "Designated safeguarding lead training"
    PAEDIATRIC_FIRST_AID = "paediatric_first_aid", "Paediatric first aid"
    FOOD_HYGIENE = "food_hygiene", "Food hygiene"


# How long each kind of training lasts before it must be refreshed.
TRAINING_VALID_MONTHS = {
    TrainingKind.SAFEGUARDING: 36,
    TrainingKind.DSL: 24,  # "refreshed at least once every 2 years"
    TrainingKind.PAEDIATRIC_FIRST_AID: 36,
    TrainingKind.FOOD_HYGIENE: 36,
}
# The training each role must hold in date.
TRAINING_REQUIRED: dict[str, tuple[TrainingKind, ...]] = {
    Role.DSL: (TrainingKind.DSL, TrainingKind.SAFEGUARDING),
    Role.DEPUTY_DSL: (TrainingKind.DSL, TrainingKind.SAFEGUARDING),
    Role.MANAGER: (TrainingKind.SAFEGUARDING, TrainingKind.PAEDIATRIC_FIRST_AID),
    Role.DEPUTY_MANAGER: (TrainingKind.SAFEGUARDING, TrainingKind.PAEDIATRIC_FIRST_AID),
    Role.SENIOR: (TrainingKind.SAFEGUARDING, TrainingKind.PAEDIATRIC_FIRST_AID),
    Role.PRACTITIONER: (TrainingKind.SAFEGUARDING, TrainingKind.PAEDIATRIC_FIRST_AID),
    Role.ROOM_LEAD: (TrainingKind.SAFEGUARDING, TrainingKind.PAEDIATRIC_FIRST_AID),
    Role.KITCHEN: (TrainingKind.FOOD_HYGIENE,),
}


class TrainingRecord(models.Model):
    """Training a member of staff completed, and when it runs out."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff_member = models.ForeignKey("records.StaffMember", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=TrainingKind.choices)
    completed_on = models.DateField()
    expires_on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on"]
        indexes = [models.Index(fields=["staff_member", "kind", "-expires_on"], name="training_latest")]

    def __str__(self) -> str:
        return f"Training record {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"staff_member_id": str(self.staff_member_id), "tier": "personnel"}
