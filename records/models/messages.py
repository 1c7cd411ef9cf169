"""Messages between a parent or carer and the child's key people: one conversation per
child and carer (separated parents each have their own), part of the child's file (so in
scope for subject access and retention), apart from the sign-off of family information."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from crypto.fields import EncryptedModel, EncryptedTextField
from records.models.entries import Record
from records.models.people import Carer, Child, file_context


class Conversation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="conversations")
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="conversations")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-last_message_at"]
        constraints = [models.UniqueConstraint(fields=["child", "carer"], name="conversation_once")]

    def __str__(self) -> str:
        return f"Conversation {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return file_context(self.child_id, None, "general")


class Message(EncryptedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_parent = models.BooleanField()
    body = EncryptedTextField()
    sent_at = models.DateTimeField(default=timezone.now)
    # Read by the other side: staff (any of the key people) or the parent.
    read_at = models.DateTimeField(null=True, blank=True)
    # The safeguarding concern a member of staff raised from it, if any.
    concern = models.ForeignKey(Record, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["sent_at"]
        indexes = [models.Index(fields=["conversation", "sent_at"], name="message_thread")]

    def __str__(self) -> str:
        return f"Message {self.pk}"

    def get_additional_data(self) -> dict[str, str]:
        return file_context(self.conversation.child_id, None, "general")
