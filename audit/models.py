from typing import Any

from auditlog.models import AbstractLogEntry
from django.conf import settings
from django.db import models

from audit import chain
from audit.context import current_request_id


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
    FILES_OPENED = "files_opened", "Files opened outside hours, with a reason"
    POLICY_ACKNOWLEDGED = "policy_acknowledged", "Policy acknowledged"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    LOGOUT = "logout", "Signed out"
    LOCKED_OUT = "locked_out", "Locked out after failed sign-ins"
    UNLOCKED = "unlocked", "Sign-in unlocked"
    TWO_FACTOR_SET_UP = "two_factor_set_up", "Two-factor set up"
    TWO_FACTOR_VERIFIED = "two_factor_verified", "Two-factor code accepted"
    TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code refused"
    TWO_FACTOR_RESET = "two_factor_reset", "Two-factor reset"
    TWO_FACTOR_REMOVED = "two_factor_removed", "Two-factor key removed"
    DELETED = "deleted", "Deleted"
    MAINTENANCE = "maintenance", "Maintenance"


class Tier(models.TextChoices):
    """Which part of a file an entry is about. Entries are shown only to people
    who may read that part, so the trail never reveals that, say, safeguarding
    records exist."""

    NONE = "", "No file"
    GENERAL = "general", "General"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    PERSONNEL = "personnel", "Personnel"
    ACCESS = "access", "Who may read the file"
    # A person's own messages: kept in the trail, shown on no page.
    PRIVATE = "private", "Private to one person"


# The entries django-auditlog writes for model changes, by its action number.
ACTION_EVENTS = {0: Event.CREATED, 1: Event.UPDATED, 2: Event.DELETED, 3: Event.VIEWED}


class RowMacField(models.CharField[str, str]):
    """An entry's row MAC, computed as the entry is inserted, by whatever path
    (save(), bulk_create(), audit.services' lean INSERT): after django-auditlog's
    pre_save receivers have filled in the actor, so it covers what is stored."""

    def deconstruct(self) -> Any:
        # Stored as a plain CharField: migrations need not know this class.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        if not add:
            return str(getattr(model_instance, self.attname))
        value = chain.row_mac(model_instance)
        setattr(model_instance, self.attname, value)
        return value


class AuditEntry(AbstractLogEntry):
    """
    One entry in the audit trail (django-auditlog's swappable log entry).

    Files are referred to by id, not by foreign key: the trail outlives what it
    describes and never cascades, and this app depends on no other app of ours.

    Entries are append-only (database triggers), carry a row MAC made with the
    audit key as they are written, and are chained: once committed, each is
    sealed with its place in the chain (`seq`), the previous entry's hash and
    its own, an HMAC under the audit key named in `seal_key` (audit/chain.py).
    """

    event = models.CharField(max_length=32, choices=Event.choices, blank=True, db_index=True)
    child_id = models.UUIDField(null=True, blank=True, db_index=True)
    staff_member_id = models.UUIDField(null=True, blank=True, db_index=True)
    tier = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    # People with a history are deactivated, never deleted: the trail keeps who did what.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        blank=True,
        null=True,
        related_name="+",
        verbose_name="actor",
    )
    request_id = models.UUIDField(null=True, blank=True)
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # "key id:nonce:HMAC" over the entry's columns, made with the audit key as the
    # row is written: a row put in by anything but Confide has none that checks.
    mac = RowMacField(max_length=160, blank=True, editable=False)
    # The audit key that sealed the entry into the chain (its link is an HMAC under
    # it); blank for entries sealed before the chain was keyed.
    seal_key = models.CharField(max_length=32, blank=True, editable=False)

    # Not stored: set by the pages that list entries, in words the reader may see.
    child_name: str
    description: str
    reason_shown: str

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["child_id", "timestamp"], name="audit_child_time"),
            models.Index(fields=["actor", "timestamp"], name="audit_actor_time"),
            models.Index(fields=["staff_member_id", "timestamp"], name="audit_staff_time"),
            # Finding the entries still to seal must not scan the sealed ones.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed"),
        ]
        constraints = [
            # A row copied with its MAC (a replay) is refused: each MAC has its own nonce.
            models.UniqueConstraint(fields=["mac"], condition=~models.Q(mac=""), name="audit_mac_once"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Entries django-auditlog writes for model changes say what happened and
        # to whose file, from the model's get_additional_data().
        if not self.event:
            self.event = ACTION_EVENTS.get(self.action, Event.UPDATED)
        context = self.additional_data if isinstance(self.additional_data, dict) else {}
        self.child_id = self.child_id or context.get("child_id")
        self.staff_member_id = self.staff_member_id or context.get("staff_member_id")
        self.tier = self.tier or context.get("tier", "")
        self.request_id = self.request_id or current_request_id()
        super().save(*args, **kwargs)
        chain.seal_after_commit(using=kwargs.get("using") or "default")
