import uuid

from auditlog.models import AbstractLogEntry
from django.db import models


class Event(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    LISTED = "listed", "Listed"
    SEARCHED = "searched", "Searched"
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DOWNLOADED = "downloaded", "Downloaded"
    EXPORTED = "exported", "Exported"
    SHARED = "shared", "Shared"
    GRANTED = "granted", "Granted"
    REVOKED = "revoked", "Revoked"
    SIGNED_OFF = "signed_off", "Signed off"
    CONCERN_RAISED = "concern_raised", "Concern raised"
    BREAK_GLASS = "break_glass", "Emergency access"
    POLICY_ACKNOWLEDGED = "policy_acknowledged", "Policy acknowledged"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    LOGOUT = "logout", "Signed out"
    MAINTENANCE = "maintenance", "Maintenance"


class AuditEntry(AbstractLogEntry):
    """
    One entry in the audit trail (django-auditlog's swappable log entry).

    Files are referred to by id, not by foreign key: the trail outlives what it
    describes and never cascades, and this app depends on no other app of ours.
    """

    event = models.CharField(max_length=32, choices=Event.choices, blank=True, db_index=True)
    child_id = models.UUIDField(null=True, blank=True, db_index=True)
    staff_member_id = models.UUIDField(null=True, blank=True, db_index=True)
    tier = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    request_id = models.UUIDField(null=True, blank=True, default=uuid.uuid4)

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["child_id", "timestamp"], name="audit_child_time")]
