"""Concerns about a member of staff: low-level concerns (below the harm threshold),
self-referrals, and allegations (that meet it), kept in the personnel tier of the
subject's staff file, never shown to them (access/policy/staff_concerns.py).

An allegation carries its statutory clocks: the local authority designated officer
(LADO) contacted within 24 hours, Ofsted told within 14 days (EYFS: failing to is an
offence), and an outcome from the fixed list (KCSIE).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from crypto.fields import EncryptedCharField, EncryptedModel, EncryptedTextField
from records.choices import Tier
from records.models.people import Child, Site, StaffMember

LADO_HOURS = 24
OFSTED_DAYS = 14
# The Ofsted countdown turns red on this day after the setting learned of the allegation.
OFSTED_RED_FROM_DAY = 12


class StaffConcern(EncryptedModel):
    """A concern about a member of staff's conduct, and its handling."""

    class Kind(models.TextChoices):
        LOW_LEVEL = "low_level", "Low-level concern"
        SELF_REFERRAL = "self_referral", "Low-level concern (self-referral)"
        ALLEGATION = "allegation", "Allegation (meets the harm threshold)"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        # Allegations: the fixed list (KCSIE).
        SUBSTANTIATED = "substantiated", "Substantiated"
        MALICIOUS = "malicious", "Malicious"
        FALSE = "false", "False"
        UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
        UNFOUNDED = "unfounded", "Unfounded"
        # Low-level concerns: their own decisions.
        NO_FURTHER_ACTION = "no_further_action", "No further action"
        DISCUSSED = "discussed", "Discussed with the member of staff; guidance given"
        TRAINING = "training", "Training or support arranged"
        HR_PROCESS = "hr_process", "A pattern: referred to HR's conduct process"

    class Suspension(models.TextChoices):
        NOT_DECIDED = "", "Not decided yet"
        NONE = "none", "Neither: no risk identified"
        RISK_ASSESSMENT = "risk_assessment", "Risk assessment; carries on working"
        ALTERNATIVE = "alternative", "Alternative duties"
        SUSPENDED = "suspended", "Suspended"

    class Police(models.TextChoices):
        NOT_DECIDED = "", "Not decided yet"
        NOT_INVOLVED = "not_involved", "Not involved"
        INFORMED = "informed", "Informed"
        INVESTIGATING = "investigating", "Investigating"

    class Dbs(models.TextChoices):
        NOT_DECIDED = "", "Not decided yet"
        NOT_REQUIRED = "not_required", "No referral: the duty to refer does not arise"
        REFERRED = "referred", "Referred to the DBS"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The subject's staff file: the concern is in its personnel tier, about them.
    staff_member = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="concerns_about")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    occurred_at = models.DateTimeField()
    what_happened = EncryptedTextField()
    # A child involved: their safeguarding file links to this without naming it.
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="staff_concerns"
    )
    # The site's manager, or the chair of trustees when the concern is about the manager.
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case_manager_is_chair = models.BooleanField(default=False)
    # When it became an allegation (raised as one, or referred on): the clocks start here.
    allegation_from = models.DateTimeField(null=True, blank=True)
    lado_contacted_at = models.DateTimeField("LADO contacted at", null=True, blank=True)
    lado_officer = EncryptedCharField("LADO's name", max_length=200, blank=True, default="")
    lado_reference = EncryptedCharField("LADO's reference", max_length=100, blank=True, default="")
    lado_advice = EncryptedTextField("advice given", blank=True, default="")
    ofsted_notified_on = models.DateField("Ofsted told on", null=True, blank=True)
    ofsted_reference = EncryptedCharField("Ofsted's reference", max_length=100, blank=True, default="")
    suspension = models.CharField(max_length=16, choices=Suspension.choices, blank=True, default="")
    suspension_note = EncryptedTextField(blank=True, default="")
    police = models.CharField(max_length=16, choices=Police.choices, blank=True, default="")
    police_note = EncryptedTextField(blank=True, default="")
    dbs = models.CharField("DBS referral", max_length=16, choices=Dbs.choices, blank=True, default="")
    dbs_note = EncryptedTextField(blank=True, default="")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, default="")
    outcome_note = EncryptedTextField(blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Found malicious: the details are taken out of the personnel record (KCSIE).
    details_removed_at = models.DateTimeField(null=True, blank=True)

    # Not stored: set when fetched for a person (access.selectors), the subject's sites.
    subject_site_ids: frozenset[uuid.UUID]

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["staff_member", "-raised_at"], name="staff_concern_file"),
            models.Index(fields=["raised_by", "-raised_at"], name="staff_concern_author"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="allegation") | Q(allegation_from__isnull=False),
                name="staff_concern_allegation_has_its_start",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False) & ~Q(outcome=""),
                name="staff_concern_closed_with_an_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Staff concern {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"staff_member_id": str(self.staff_member_id), "tier": Tier.PERSONNEL}

    @property
    def is_allegation(self) -> bool:
        return self.kind == self.Kind.ALLEGATION

    # --- the clocks ---------------------------------------------------------------------

    @property
    def lado_due_at(self) -> datetime.datetime | None:
        return self.allegation_from + datetime.timedelta(hours=LADO_HOURS) if self.allegation_from else None

    def lado_overdue(self, now: datetime.datetime | None = None) -> bool:
        due = self.lado_due_at
        return due is not None and self.lado_contacted_at is None and (now or timezone.now()) > due

    @property
    def ofsted_due_on(self) -> datetime.date | None:
        if self.allegation_from is None:
            return None
        return timezone.localdate(self.allegation_from) + datetime.timedelta(days=OFSTED_DAYS)

    def ofsted_day(self, today: datetime.date | None = None) -> int | None:
        """Days since the setting learned of the allegation (0 on that day)."""
        if self.allegation_from is None:
            return None
        return ((today or timezone.localdate()) - timezone.localdate(self.allegation_from)).days

    def ofsted_days_left(self, today: datetime.date | None = None) -> int | None:
        day = self.ofsted_day(today)
        return None if day is None else OFSTED_DAYS - day

    def ofsted_red(self, today: datetime.date | None = None) -> bool:
        """Not yet told, and day 12 or later: the countdown is red."""
        day = self.ofsted_day(today)
        return day is not None and self.ofsted_notified_on is None and day >= OFSTED_RED_FROM_DAY


class StaffConcernNote(EncryptedModel):
    """What happened on a case, in order: each decision, contact and note."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    concern = models.ForeignKey(StaffConcern, on_delete=models.PROTECT, related_name="notes")
    heading = models.CharField(max_length=100)
    text = EncryptedTextField(blank=True, default="")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Staff concern note {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"staff_member_id": str(self.concern.staff_member_id), "tier": Tier.PERSONNEL}
