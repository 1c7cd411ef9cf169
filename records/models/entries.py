"""
The entries in a file: records, their attachments and addenda.

Every personal field is encrypted (crypto/fields.py). ``__str__`` never returns
personal data: string forms end up in logs, error pages and the audit trail.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from crypto.fields import EncryptedCharField, EncryptedJSONField, EncryptedModel, EncryptedTextField
from records.categories import detail_items
from records.choices import CATEGORY_TIER, NEVER_TO_PARENTS, SIGN_OFF_CATEGORIES, Category, Source, Tier
from records.models.people import Child, StaffMember, file_context

# Categories that may be dated before the child's birth.
BEFORE_BIRTH_ALLOWED = frozenset({Category.FAMILY_INFORMATION})


class Record(EncryptedModel):
    """One entry in one file: a child's or a staff member's, never both."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
        RETURNED = "returned", "Returned for correction"
        SIGNED_OFF = "signed_off", "Signed off"
        SUPERSEDED = "superseded", "Superseded"
        CLOSED = "closed", "Closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, blank=True, related_name="records")
    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    category = models.CharField(max_length=32, choices=Category.choices)
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.GENERAL)
    title = EncryptedCharField(max_length=200)
    body = EncryptedTextField(blank=True, default="")
    occurred_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_records"
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.STAFF)
    source_name = EncryptedCharField(
        "who provided it",
        max_length=200,
        blank=True,
        default="",
        help_text="For example the parent's name or the agency.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    subject_staff_member = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records_about",
        help_text="The member of staff this record is about, if any. Nobody sees "
        "safeguarding or personnel records about themselves.",
    )
    is_allegation = models.BooleanField(
        default=False, help_text="An allegation about the member of staff: hidden from them."
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    # Nullable: an encrypted column added to a table with rows cannot be
    # given a sealed default by the migration (crypto/fields.py).
    amendment_reason = EncryptedTextField(blank=True, null=True)
    # What the record's category asks for beyond title and body (who, how,
    # agreed actions, the agency and date received…): records/categories.py.
    details = EncryptedJSONField(blank=True, null=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # A safeguarding concern's links to other concerns in the same child's file.
    linked_concerns = models.ManyToManyField("self", blank=True, symmetrical=True)
    # The parent portal shows a general record only if staff shared it; a
    # record kept from parents says why (seen by management, never by parents).
    visible_to_parents = models.BooleanField(
        "visible to parents",
        default=False,
        help_text="Parents and carers with parental responsibility see it in the portal.",
    )
    withheld_reason = EncryptedTextField(blank=True, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not stored: set on a record by the queries and pages that show it to a person.
    is_my_key_child: bool
    overdue: bool
    actions: frozenset[str]  # access.policy.RecordAction

    class Meta:
        ordering = ["-occurred_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False, staff_member__isnull=True)
                | Q(child__isnull=True, staff_member__isnull=False),
                name="record_in_exactly_one_file",
            ),
            models.CheckConstraint(
                condition=~Q(category=Category.SAFEGUARDING_CONCERN) | Q(tier=Tier.SAFEGUARDING),
                name="record_concern_is_safeguarding",
            ),
            models.CheckConstraint(
                condition=~Q(category=Category.STAFF_RECORD)
                | Q(tier=Tier.PERSONNEL, staff_member__isnull=False),
                name="record_staff_record_is_personnel",
            ),
            # A staff file is personnel, all of it; a child's file never is.
            models.CheckConstraint(
                condition=Q(staff_member__isnull=True) | Q(tier=Tier.PERSONNEL),
                name="record_staff_file_is_personnel",
            ),
            models.CheckConstraint(
                condition=Q(child__isnull=True) | ~Q(tier=Tier.PERSONNEL),
                name="record_child_file_not_personnel",
            ),
            # A signature says who and when, both or neither.
            models.CheckConstraint(
                condition=Q(signed_off_by__isnull=True, signed_off_at__isnull=True)
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="record_signature_has_who_and_when",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "-occurred_at"], name="record_child_chronology"),
            models.Index(fields=["staff_member", "-occurred_at"], name="record_staff_chronology"),
            models.Index(fields=["status", "category"], name="record_queue"),
            # "Concerns you raised" on everyone's home.
            models.Index(fields=["author", "category", "-created_at"], name="record_author_category_time"),
        ]

    def __str__(self) -> str:
        return f"Record {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return file_context(self.child_id, self.staff_member_id, self.tier)

    def clean(self) -> None:
        # Nothing in a child's file happened before the child was born; family information
        # may be older (a family's history), and concerns before birth belong on the family.
        if self.child is None or self.category in BEFORE_BIRTH_ALLOWED or self.occurred_at is None:
            return
        born = self.child.date_of_birth
        if born and timezone.localtime(self.occurred_at).date() < born:
            raise ValidationError(
                {"occurred_at": f"That is before the child was born ({born:%-d %B %Y}). When did it happen?"}
            )

    @property
    def is_concern(self) -> bool:
        return self.category == Category.SAFEGUARDING_CONCERN

    @property
    def never_to_parents(self) -> bool:
        return self.tier != Tier.GENERAL or self.category in NEVER_TO_PARENTS

    @property
    def needs_sign_off(self) -> bool:
        return self.category in SIGN_OFF_CATEGORIES

    @property
    def detail_items(self) -> list[tuple[str, str]]:
        """The category's answers as (question, answer), in the form's order."""
        return detail_items(self.category, self.details or {})

    @staticmethod
    def tier_for(*, category: str, in_staff_file: bool, requested: str | None = None) -> str:
        """The tier a record must have: fixed by its file or category, else as asked."""
        if in_staff_file:
            return Tier.PERSONNEL
        if category in CATEGORY_TIER:
            return CATEGORY_TIER[Category(category)]
        if requested == Tier.SAFEGUARDING:
            return Tier.SAFEGUARDING
        return Tier.GENERAL


class Attachment(EncryptedModel):
    """A scanned document or file on a record, stored encrypted (crypto/attachments.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="attachments")
    original_filename = EncryptedCharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(help_text="Plaintext size in bytes.")
    sha256 = models.CharField("SHA-256 of the plaintext", max_length=64)
    stored_name = models.CharField(max_length=255, unique=True, editable=False)
    key_id = models.CharField(max_length=32, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Attachment {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return file_context(self.record.child_id, self.record.staff_member_id, self.record.tier)


class Addendum(EncryptedModel):
    """Something added to a record without changing it: a note, a sign-off, a
    return for correction, or a DSL's decision, action, referral or outcome on
    a concern. Concerns are never amended, only added to."""

    class Kind(models.TextChoices):
        NOTE = "note", "Addendum"
        SIGNED_OFF = "signed_off", "Signed off"
        RETURNED = "returned", "Returned for correction"
        DECISION = "decision", "Decision"
        ACTION = "action", "Action taken"
        REFERRAL = "referral", "Referral"
        NO_REFERRAL = "no_referral", "Decision not to refer"
        LINKED = "linked", "Linked to another concern"
        OUTCOME = "outcome", "Closed with outcome"
        PARENT_COMMENT = "parent_comment", "Comment from a parent or carer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="addenda")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NOTE)
    text = EncryptedTextField(blank=True, default="")
    agency = EncryptedCharField(
        "referred to",
        max_length=200,
        blank=True,
        default="",
        help_text="For a referral: the agency or team, for example children's social care.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return file_context(self.record.child_id, self.record.staff_member_id, self.record.tier)
