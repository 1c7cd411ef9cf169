"""The policy register: policies, their versions (adopted by the setting's adopting
body, signed by its chair, reviewed by a date), who must read them, and who has."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from access.models import Role, User
from crypto.fields import EncryptedCharField, EncryptedModel, EncryptedTextField


class PolicyKind(models.TextChoices):
    CONFIDENTIALITY = "confidentiality", "Confidentiality"
    SAFEGUARDING = "safeguarding", "Safeguarding and child protection"
    DATA_PROTECTION = "data_protection", "Data protection"
    MOBILE_PHONES = "mobile_phones", "Mobile phones and cameras"
    LOST_CHILD = "lost_child", "Lost or missing child"
    FAILURE_TO_COLLECT = "failure_to_collect", "Failure to collect"
    COMPLAINTS = "complaints", "Complaints"
    PRIVACY_NOTICE = "privacy_notice", "Privacy notice for parents"
    OTHER = "other", "Other"


class AdoptingBody(models.TextChoices):
    """Who adopts the setting's policies (GOVERNANCE_ADOPTING_BODY)."""

    TRUSTEES = "trustees", "The trustees"
    GOVERNORS = "governors", "The governors"
    DIRECTORS = "directors", "The directors"
    COMMITTEE = "committee", "The management committee"
    PROPRIETOR = "proprietor", "The proprietor"
    CHILDMINDER = "childminder", "The childminder"


class Policy(models.Model):
    """One of the setting's policies. Its text lives in versions; one is current."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=PolicyKind.choices, default=PolicyKind.OTHER)
    published_to_parents = models.BooleanField(
        "published to parents",
        default=False,
        help_text="Parents see it in the portal, and are asked to read it when it changes.",
    )
    current_version = models.OneToOneField(
        "PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="current_of"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, str]:
        return {"tier": ""}

    @property
    def for_parents(self) -> bool:
        return self.published_to_parents or self.kind == PolicyKind.PRIVACY_NOTICE


class PolicyVersion(EncryptedModel):
    """A version of a policy: drafted by a manager, adopted by the adopting body (the
    chair signs by re-entering their password, or a signed copy is uploaded)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft, waiting for adoption"
        CURRENT = "current", "Current"
        SUPERSEDED = "superseded", "Superseded"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=20)
    # Markdown, rendered and sanitised for reading (governance/rendering.py). Policies
    # name people (the DSL, the manager), so the text is sealed like anything typed.
    text = EncryptedTextField(blank=True, default="")
    summary_of_changes = EncryptedTextField(blank=True, default="")
    review_by = models.DateField("to be reviewed by")
    grace_days = models.PositiveSmallIntegerField(
        "days to read it",
        default=7,
        help_text="After adoption, people are reminded for this many days before files are closed to "
        "anyone who has not read it.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    # Adoption: "adopted by the Trustees on (date) … signed on behalf of the Trustees (Chair)".
    body = models.CharField("adopted by", max_length=16, choices=AdoptingBody.choices, blank=True)
    meeting_on = models.DateField("date of the meeting", null=True, blank=True)
    chair_name = EncryptedCharField("the chair's name", max_length=200, blank=True, default="")
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    adoption_recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Until then, people who have not read it are reminded; from then, they open no file.
    acknowledge_by = models.DateTimeField(null=True, blank=True)
    # Reminders sent (governance/jobs.py): each once.
    review_reminded_on = models.DateField(null=True, blank=True)
    review_due_reminded_on = models.DateField(null=True, blank=True)
    last_call_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["policy__title", "-drafted_at"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "version"], name="policy_version_once"),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(adopted_at__isnull=False, acknowledge_by__isnull=False),
                name="policy_version_adopted_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"Policy version {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"tier": ""}

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.CURRENT

    @property
    def roles(self) -> list[str]:
        return sorted(r.role for r in self.requirements.all())

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.roles]


class PolicyRequirement(models.Model):
    """A role whose holders must read and acknowledge a version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="requirements")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "role"], name="policy_requirement_once")]

    def __str__(self) -> str:
        return f"Policy requirement {self.pk}"


class PolicyFile(EncryptedModel):
    """A PDF: the policy as a document, or the copy the chair signed. Sealed on disk."""

    class Purpose(models.TextChoices):
        DOCUMENT = "document", "The policy (PDF)"
        SIGNED_COPY = "signed_copy", "Signed copy"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="files")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    original_filename = EncryptedCharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=255, unique=True, editable=False)
    key_id = models.CharField(max_length=32, editable=False)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Policy file {self.pk}"


class Acknowledgement(models.Model):
    """Someone read a version and said they will follow it (ticked and confirmed)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="policy_acknowledgements")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="acknowledged_once")]
        indexes = [models.Index(fields=["user", "version"], name="acknowledgement_person")]

    def __str__(self) -> str:
        return f"Acknowledgement {self.pk}"


class ParentNoticeSeen(models.Model):
    """A parent was shown a version published to parents (or the privacy notice)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="seen_by_parents")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="parent_notice_seen_once")]

    def __str__(self) -> str:
        return f"Notice seen {self.pk}"
