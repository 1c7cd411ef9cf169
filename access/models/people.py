"""People: the user model, their roles at sites (memberships), and the rooms they work in."""

from __future__ import annotations

import datetime
import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from crypto.fields import EncryptedCharField, EncryptedEmailField, EncryptedModel, EncryptedQuerySet


class Role(models.TextChoices):
    """What a person does at a site. A person may hold several roles, at several
    sites, each as a dated membership (Membership): the rules ask "this role at
    this child's site"."""

    MANAGER = "manager", "Manager"
    DEPUTY_MANAGER = "deputy_manager", "Deputy manager"
    SENIOR = "senior", "Senior practitioner"
    PRACTITIONER = "practitioner", "Practitioner"
    ROOM_LEAD = "room_lead", "Room lead"
    DSL = "dsl", "Designated safeguarding lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy safeguarding lead"
    HR = "hr", "HR"
    STUDENT = "student", "Student on placement"
    VOLUNTEER = "volunteer", "Volunteer"
    KITCHEN = "kitchen", "Kitchen staff"
    TRUSTEE = "trustee", "Trustee"
    CHAIR = "chair", "Chair of trustees"
    PROPRIETOR = "proprietor", "Proprietor"
    DATA_PROTECTION_LEAD = "data_protection_lead", "Data-protection lead"
    ADMIN = "admin", "Technical admin"


# People who work with the children; the others govern, advise or keep the system.
STAFF_ROLES = frozenset(
    {
        Role.MANAGER,
        Role.DEPUTY_MANAGER,
        Role.SENIOR,
        Role.PRACTITIONER,
        Role.ROOM_LEAD,
        Role.DSL,
        Role.DEPUTY_DSL,
        Role.HR,
        Role.STUDENT,
        Role.VOLUNTEER,
        Role.KITCHEN,
    }
)
# A new membership in one of these roles counts only once a second person confirms it.
CONFIRMED_ROLES = frozenset({Role.MANAGER, Role.DEPUTY_MANAGER, Role.DSL, Role.DEPUTY_DSL})
# The roles the rules speak of, at a site.
MANAGERS = (Role.MANAGER, Role.DEPUTY_MANAGER)  # manage access: key people, grants, conflicts
MANAGEMENT = (Role.MANAGER, Role.DEPUTY_MANAGER, Role.SENIOR)  # sign off, decide corrections
SAFEGUARDING_LEADS = (Role.DSL, Role.DEPUTY_DSL)  # the safeguarding file and concerns
SITE_READERS = MANAGEMENT + SAFEGUARDING_LEADS  # read every child's general file at the site
KEY_WORKER_ROLES = (Role.PRACTITIONER, Role.ROOM_LEAD, *SITE_READERS)  # may be a child's key person
# Who may be that second person, at the site: another manager, or in a small
# setting the chair, the data-protection lead or the proprietor.
CONFIRMERS = (Role.MANAGER, Role.DEPUTY_MANAGER, Role.CHAIR, Role.DATA_PROTECTION_LEAD, Role.PROPRIETOR)


class UserQuerySet(EncryptedQuerySet["User"]):
    pass


class PeopleManager(UserManager["User"]):
    """Django's user manager, over a queryset that writes the sealed names only by save()."""

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    # Migrations use a plain manager: none of them creates accounts.
    use_in_migrations = False


class User(EncryptedModel, AbstractUser):
    """A person who signs in: staff member, trustee, or parent/carer through the portal.

    Names and e-mail address are sealed like every other personal field (a namesake's
    account would otherwise give a child's surname away): they cannot be searched or
    sorted in SQL, so lists of people are one site's staff, sorted once decrypted
    (access.selectors.people.by_name). Null only on accounts made before they were sealed."""

    class Mail(models.TextChoices):
        EACH = "each", "Each time something arrives"
        DAILY = "daily", "Once a day, in the morning"
        NEVER = "never", "Never: I will look in Confide"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_name = EncryptedCharField("first name", max_length=150, blank=True, null=True)
    last_name = EncryptedCharField("last name", max_length=150, blank=True, null=True)
    email = EncryptedEmailField("email address", blank=True, null=True)
    # A parent or carer who signs in to the portal only: every staff page is
    # "not found" for them (access/middleware.py).
    is_portal_user = models.BooleanField("portal only", default=False, editable=False)
    discreet_mode = models.BooleanField(
        default=False,
        help_text="Show children's initials instead of their names in lists (for shared rooms).",
    )

    # How notifications reach the person by e-mail (they name nobody either way).
    notification_mail = models.CharField(
        "e-mail me about notifications", max_length=8, choices=Mail.choices, default=Mail.EACH
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[PeopleManager] = PeopleManager()  # type: ignore[assignment]

    # django-stubs 5.2 declares no AbstractUser.Meta (it does from 6.0: typeddjango/django-stubs#3200).
    class Meta(AbstractUser.Meta):  # type: ignore[name-defined,misc]
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return f"{self.first_name or ''} {self.last_name or ''}".strip()

    def get_short_name(self) -> str:
        return self.first_name or ""


class MembershipQuerySet(models.QuerySet["Membership"]):
    def live(self, at: datetime.datetime | None = None) -> MembershipQuerySet:
        """Memberships that count at this moment: begun, not ended, and confirmed if they must be."""
        at = at or timezone.now()
        return self.filter(
            Q(starts_at__lte=at),
            Q(ends_at__isnull=True) | Q(ends_at__gt=at),
            Q(confirmed_at__isnull=False) | ~Q(role__in=CONFIRMED_ROLES),
        )


class Membership(models.Model):
    """A person's role at a site, from a moment until a moment (or until ended).

    Roles are given only through the managers' pages (never in the admin, never
    to oneself); a manager or DSL membership needs a second person's
    confirmation. Ended, never deleted, so the history stays."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    site = models.ForeignKey("records.Site", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["user", "site"], name="membership_person_site")]

    def __str__(self) -> str:
        return f"Membership {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"tier": "access"}

    @property
    def needs_confirmation(self) -> bool:
        return self.role in CONFIRMED_ROLES and self.confirmed_at is None


class RoomAssignment(models.Model):
    """Who works in which room, from when until when: the room's emergency
    cards and daily list follow it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="room_assignments")
    room = models.ForeignKey("records.Room", on_delete=models.PROTECT, related_name="assignments")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="room_assignment_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Room assignment {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"tier": "access"}
