"""
Whose files these are: sites, children, their carers, and staff members.

Every personal field is encrypted (crypto/fields.py). ``__str__`` of a model
that holds personal data never returns it: string forms end up in logs, error
pages and the audit trail's object description.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from crypto.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedModel,
    EncryptedTextField,
)
from records.choices import Tier


def file_context(child_id: uuid.UUID | None, staff_member_id: uuid.UUID | None, tier: str) -> dict[str, str]:
    """Whose file a change belongs to, for its audit entry."""
    context = {"tier": str(tier)}
    if child_id:
        context["child_id"] = str(child_id)
    if staff_member_id:
        context["staff_member_id"] = str(staff_member_id)
    return context


class Site(models.Model):
    """A centre or setting. An organisation may run several."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    """A room or group at a site. Staff work in rooms (access.RoomAssignment);
    the room's children's emergency cards and daily list follow who is there."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="room_name_once_per_site")]

    def __str__(self) -> str:
        return self.name


class Child(EncryptedModel):
    class Status(models.TextChoices):
        ENQUIRY = "enquiry", "Enquiry"
        WAITING = "waiting", "On the waiting list"
        ENROLLED = "enrolled", "Enrolled"
        LEFT = "left", "Left"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="children")
    room = models.ForeignKey(
        Room,
        verbose_name="room or group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ENROLLED)
    enrolment_start = models.DateField(null=True, blank=True)
    enrolment_end = models.DateField(null=True, blank=True)

    first_name = EncryptedCharField(max_length=100)
    last_name = EncryptedCharField(max_length=100)
    preferred_name = EncryptedCharField(max_length=100, blank=True, default="")
    date_of_birth = EncryptedDateField()
    address = EncryptedTextField(blank=True, default="")
    phone = EncryptedCharField("main phone", max_length=40, blank=True, default="")
    other_phone = EncryptedCharField("other phone", max_length=40, blank=True, default="")
    medical_conditions = EncryptedTextField(blank=True, default="")
    allergies = EncryptedTextField(blank=True, default="")
    medication = EncryptedTextField(blank=True, default="")
    gp_details = EncryptedTextField("GP", blank=True, default="")
    dietary_needs = EncryptedTextField(blank=True, default="")
    languages = EncryptedCharField("languages spoken", max_length=200, blank=True, default="")

    first_name_bidx = BlindIndexField(source="first_name")
    last_name_bidx = BlindIndexField(source="last_name")
    date_of_birth_bidx = BlindIndexField(source="date_of_birth")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not stored: set on a child fetched for a person (access.selectors), what they may do with it.
    can_read_general: bool
    can_read_safeguarding: bool
    is_my_key_child: bool

    class Meta:
        verbose_name_plural = "children"
        permissions = [
            ("view_child_file", "Can read the child's file (need to know)"),
            ("view_safeguarding_file", "Can read the child's safeguarding file (named by the DSL)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(enrolment_end__isnull=True)
                | Q(enrolment_start__isnull=True)
                | Q(enrolment_end__gte=models.F("enrolment_start")),
                name="child_enrolment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Child {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"child_id": str(self.pk), "tier": Tier.GENERAL}

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self) -> str:
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()


class Carer(EncryptedModel):
    """A parent, carer or guardian. May have a portal login."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carer",
    )
    first_name = EncryptedCharField(max_length=100)
    last_name = EncryptedCharField(max_length=100)
    address = EncryptedTextField(blank=True, default="")
    phone = EncryptedCharField("main phone", max_length=40, blank=True, default="")
    other_phone = EncryptedCharField("other phone", max_length=40, blank=True, default="")
    email = EncryptedEmailField(blank=True, default="")

    last_name_bidx = BlindIndexField(source="last_name")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    children: models.ManyToManyField[Child, ChildCarer] = models.ManyToManyField(
        Child, through="ChildCarer", related_name="carers"
    )

    def __str__(self) -> str:
        return f"Carer {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ChildCarer(EncryptedModel):
    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        GRANDPARENT = "grandparent", "Grandparent"
        FOSTER_CARER = "foster_carer", "Foster carer"
        GUARDIAN = "guardian", "Guardian"
        OTHER_RELATIVE = "other_relative", "Other relative"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="carer_links")
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="child_links")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=False)
    lives_with_child = models.BooleanField(default=False)
    emergency_contact = models.BooleanField(default=False)
    may_collect = models.BooleanField("may collect the child", default=False)
    restricted_contact = models.BooleanField(
        "restricted contact (court order)",
        default=False,
        help_text="A court order restricts this person's contact with the child.",
    )
    restriction_note = EncryptedTextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "carer"], name="child_carer_unique"),
            # Nobody under a court restriction is allowed to collect the child.
            models.CheckConstraint(
                condition=~Q(restricted_contact=True, may_collect=True),
                name="child_carer_restricted_cannot_collect",
            ),
        ]

    def __str__(self) -> str:
        return f"Carer link {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"child_id": str(self.child_id), "tier": Tier.GENERAL}


class StaffMember(EncryptedModel):
    """The staff file's subject: one per staff user."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_member"
    )
    job_title = models.CharField(max_length=100, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    phone = EncryptedCharField(max_length=40, blank=True, default="")
    address = EncryptedTextField(blank=True, default="")

    # Not stored: set by the staff file pages, the sites whose HR may act on the file.
    site_ids: frozenset[uuid.UUID]

    class Meta:
        permissions = [("view_staff_file", "Can read the staff file (need to know)")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="staff_member_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Staff member {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"staff_member_id": str(self.pk), "tier": Tier.PERSONNEL}
