"""Need-to-know access: key people, grants (with django-guardian's permission rows), conflicts.

Models of records are named by string ("records.Child"): records imports nothing of access.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth.models import Permission
from django.db import models
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from access.models.people import User
from crypto.fields import EncryptedModel, EncryptedTextField


class Scope(models.TextChoices):
    """What a grant opens. Each maps to one object permission."""

    CHILD_FILE = "child_file", "Child's file"
    SAFEGUARDING_FILE = "safeguarding_file", "Safeguarding file"
    STAFF_FILE = "staff_file", "Staff file"


SCOPE_PERMISSION = {
    Scope.CHILD_FILE: "view_child_file",
    Scope.SAFEGUARDING_FILE: "view_safeguarding_file",
    Scope.STAFF_FILE: "view_staff_file",
}


class KeyWorkerAssignment(models.Model):
    """A key person for a child. Ended, never deleted, so the history stays."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey("records.Child", on_delete=models.PROTECT, related_name="key_workers")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="key_children")
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="key_worker_once_per_child",
            )
        ]

    def __str__(self) -> str:
        return f"Key worker assignment {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"child_id": str(self.child_id), "tier": "access"}


class Grant(EncryptedModel):
    """Need-to-know access for one named person to one file, with a reason.

    The permission itself is a django-guardian object permission row (below),
    which points back here; this row holds why, who and until when. Access
    checks require the grant to be live at the moment of the query.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scope = models.CharField(max_length=20, choices=Scope.choices)
    child = models.ForeignKey(
        "records.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="grants"
    )
    staff_member = models.ForeignKey(
        "records.StaffMember", on_delete=models.PROTECT, null=True, blank=True, related_name="grants"
    )
    grantee = models.ForeignKey(User, on_delete=models.PROTECT, related_name="grants_held")
    reason = EncryptedTextField()
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Emergency access a person opened for themself (access/services/break_glass.py):
    # the same grant, facts and expiry, with its details in BreakGlass.
    break_glass = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope=Scope.STAFF_FILE, staff_member__isnull=False, child__isnull=True)
                    | models.Q(
                        scope__in=[Scope.CHILD_FILE, Scope.SAFEGUARDING_FILE],
                        child__isnull=False,
                        staff_member__isnull=True,
                    )
                ),
                name="grant_names_one_file_of_its_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"Grant {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        if self.staff_member_id:
            return {"staff_member_id": str(self.staff_member_id), "tier": "personnel"}
        tier = "safeguarding" if self.scope == Scope.SAFEGUARDING_FILE else "access"
        return {"child_id": str(self.child_id), "tier": tier}

    def is_live(self, at: datetime.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)


class ChildUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key object permissions on children (django-guardian)."""

    content_object = models.ForeignKey("records.Child", on_delete=models.CASCADE)
    grant = models.OneToOneField(
        Grant, on_delete=models.CASCADE, null=True, blank=True, related_name="child_permission"
    )

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False

    def __str__(self) -> str:
        return f"Child permission {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        codename = Permission.objects.filter(pk=self.permission_id).values_list("codename", flat=True).first()
        tier = "safeguarding" if codename == SCOPE_PERMISSION[Scope.SAFEGUARDING_FILE] else "access"
        return {"child_id": str(self.content_object_id), "tier": tier}


class ChildGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian's group table for children. Need-to-know access is only ever
    given to a named person with a reason, so access ignores these rows."""

    content_object = models.ForeignKey("records.Child", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class StaffMemberUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key object permissions on staff files (django-guardian)."""

    content_object = models.ForeignKey("records.StaffMember", on_delete=models.CASCADE)
    grant = models.OneToOneField(
        Grant, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_permission"
    )

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False

    def __str__(self) -> str:
        return f"Staff file permission {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"staff_member_id": str(self.content_object_id), "tier": "personnel"}


class StaffMemberGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian's group table for staff files; ignored by access, as for children."""

    content_object = models.ForeignKey("records.StaffMember", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class Conflict(EncryptedModel):
    """A declared conflict of interest: the person is kept out of the child's file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey("records.Child", on_delete=models.PROTECT, related_name="conflicts")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="conflicts")
    reason = EncryptedTextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    cleared_reason = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "user"],
                condition=models.Q(cleared_at__isnull=True),
                name="conflict_once_per_child",
            ),
        ]

    def __str__(self) -> str:
        return f"Conflict {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return {"child_id": str(self.child_id), "tier": "access"}
