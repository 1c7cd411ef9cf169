"""
The confidential files: sites, children, carers, staff files, records and attachments.

Every personal field is encrypted (records/fields.py). ``__str__`` of a model
that holds personal data never returns it: string forms end up in logs, error
pages and the audit trail's object description.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from records.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedJSONField,
    EncryptedModel,
    EncryptedQuerySet,
    EncryptedTextField,
)


def file_context(child_id: Any, staff_member_id: Any, tier: str) -> dict[str, str]:
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


class ChildQuerySet(EncryptedQuerySet):
    def visible_to(self, user: Any) -> ChildQuerySet:
        # The decision lives in access; this is the hook STYLE.md asks for.
        from access.selectors import child_filter_for_user

        return self.filter(child_filter_for_user(user))


class Child(EncryptedModel):
    class Status(models.TextChoices):
        ENQUIRY = "enquiry", "Enquiry"
        WAITING = "waiting", "On the waiting list"
        ENROLLED = "enrolled", "Enrolled"
        LEFT = "left", "Left"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="children")
    room = models.CharField("room or group", max_length=100, blank=True)
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

    objects = ChildQuerySet.as_manager()

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

    children = models.ManyToManyField(Child, through="ChildCarer", related_name="carers")

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


class StaffMemberQuerySet(EncryptedQuerySet):
    def visible_to(self, user: Any) -> StaffMemberQuerySet:
        from access.selectors import staff_file_filter_for_user

        return self.filter(staff_file_filter_for_user(user))


class StaffMember(EncryptedModel):
    """The staff file's subject: one per staff user."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_member"
    )
    sites = models.ManyToManyField(Site, related_name="staff")
    job_title = models.CharField(max_length=100, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    phone = EncryptedCharField(max_length=40, blank=True, default="")
    address = EncryptedTextField(blank=True, default="")

    objects = StaffMemberQuerySet.as_manager()

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


class Category(models.TextChoices):
    """What a record is, in the words of the policies."""

    REGISTRATION = "registration", "Registration and admission form"
    SIGNED_CONSENT = "signed_consent", "Signed consent"
    CORRESPONDENCE = "correspondence", "Correspondence"
    AGENCY_REPORT = "agency_report", "Report from another agency"
    MEETING_MINUTES = "meeting_minutes", "Minutes of a meeting"
    PARENT_CONTACT = "parent_contact", "Contact with parents"
    PARENT_CONVERSATION = "parent_conversation", "Conversation with parent or carer"
    FAMILY_INFORMATION = "family_information", "Family information"
    PROGRESS = "progress", "Progress"
    BEHAVIOUR = "behaviour", "Behaviour"
    MEDICAL = "medical", "Medical"
    SOCIAL_CARE_REPORT = "social_care_report", "Social care report"
    THERAPY_REPORT = "therapy_report", "Therapy report"
    SAFEGUARDING_CONCERN = "safeguarding_concern", "Safeguarding concern"
    STAFF_RECORD = "staff_record", "Staff record (employment)"
    OTHER = "other", "Other"


class Tier(models.TextChoices):
    GENERAL = "general", "General"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    PERSONNEL = "personnel", "Personnel"


# Categories whose tier is fixed, whatever the author asks for.
CATEGORY_TIER = {
    Category.SAFEGUARDING_CONCERN: Tier.SAFEGUARDING,
    Category.STAFF_RECORD: Tier.PERSONNEL,
}


# "Information shared by families is recorded, shown to and signed by senior
# staff and shared with the key worker."
SIGN_OFF_CATEGORIES = frozenset({Category.PARENT_CONVERSATION, Category.FAMILY_INFORMATION})


# Never shown in the parent portal, whatever a record says (docs/portal.md):
# a social care report is another agency's, shared with parents by that agency.
NEVER_TO_PARENTS = frozenset(
    {
        Category.SOCIAL_CARE_REPORT,
        Category.SAFEGUARDING_CONCERN,
        Category.STAFF_RECORD,
    }
)


class Source(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    STAFF = "staff", "Staff"
    CHILD = "child", "The child"
    AGENCY = "agency", "Another agency"
    OTHER = "other", "Other"


class RecordQuerySet(EncryptedQuerySet):
    def visible_to(self, user: Any) -> RecordQuerySet:
        from access.selectors import record_filter_for_user

        return self.filter(record_filter_for_user(user))


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
    # given a sealed default by the migration (records/fields.py).
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

    objects = RecordQuerySet.as_manager()

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
        ]

    def __str__(self) -> str:
        return f"Record {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return file_context(self.child_id, self.staff_member_id, self.tier)

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
        from records.categories import detail_items

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


class AttachmentQuerySet(EncryptedQuerySet):
    def visible_to(self, user: Any) -> AttachmentQuerySet:
        from access.selectors import record_filter_for_user

        return self.filter(record__in=Record.objects.filter(record_filter_for_user(user)).values("pk"))


class Attachment(EncryptedModel):
    """A scanned document or file on a record, stored encrypted (records/attachments.py)."""

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

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Attachment {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return file_context(self.record.child_id, self.record.staff_member_id, self.record.tier)


class Notification(models.Model):
    """An in-app message. Its text names no one: it says what happened and links to it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"Notification {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        # A notification goes out when, say, a concern is raised: who was told
        # what, and when, is nobody else's business on the audit pages.
        return {"tier": "private"}


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
