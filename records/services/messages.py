"""Messages between a parent or carer and the child's key people, and the e-mails that
tell a parent something is waiting for them (never what it says)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import User
from access.services.where_and_when import rules_for
from records.models import Carer, Child, Conversation, Message, Record
from records.services.concerns import concern_raise
from records.services.notifications import notify, tell_parent
from records.services.sign_off import key_people_to_tell

LONGEST = 5000


def _body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": "Write your message."})
    if len(text) > LONGEST:
        raise ValidationError({"body": f"A message can be at most {LONGEST} characters. Split it in two."})
    return text


@transaction.atomic
def message_from_parent(*, actor: User, child: Child, carer: Carer, body: str) -> Message:
    """A parent writes to the setting about their child; the key people are told."""
    if carer.user_id != actor.pk or not policy.reads_portal_child(policy.standing_of(actor), child):
        raise PermissionDenied
    text = _body(body)
    conversation, _ = Conversation.objects.get_or_create(child=child, carer=carer)
    message = Message(conversation=conversation, author=actor, from_parent=True, body=text)
    message.full_clean()
    message.save()
    conversation.last_message_at = message.sent_at
    conversation.save(update_fields=["last_message_at"])
    notify(
        recipients=key_people_to_tell(child),
        message="A parent or carer sent a message about one of your key children.",
        url=reverse("conversation", args=[conversation.pk]),
        child=child,
    )
    return message


@transaction.atomic
def message_from_staff(*, actor: User, conversation: Conversation, body: str) -> Message:
    """A key person (or the site's management) answers; the parent is e-mailed that a
    message is waiting, with nothing of what it says."""
    if not policy.staff_reads_messages(policy.standing_of(actor), conversation.child):
        raise PermissionDenied
    text = _body(body)
    messages_read_by_staff(actor=actor, conversation=conversation)
    message = Message(conversation=conversation, author=actor, from_parent=False, body=text)
    message.full_clean()
    message.save()
    conversation.last_message_at = message.sent_at
    conversation.save(update_fields=["last_message_at"])
    tell_parent(carer=conversation.carer, what="a new message from the setting")
    return message


def messages_read_by_staff(*, actor: User, conversation: Conversation) -> int:
    if not policy.staff_reads_messages(policy.standing_of(actor), conversation.child):
        raise PermissionDenied
    return _mark_read(conversation, from_parent=True)


def messages_read_by_parent(*, actor: User, conversation: Conversation) -> int:
    if not policy.parent_reads_conversation(policy.standing_of(actor), conversation):
        raise PermissionDenied
    return _mark_read(conversation, from_parent=False)


def _mark_read(conversation: Conversation, *, from_parent: bool) -> int:
    now, marked = timezone.now(), 0
    for message in conversation.messages.filter(from_parent=from_parent, read_at__isnull=True):
        message.read_at = now
        message.save(update_fields=["read_at"])
        marked += 1
    return marked


@transaction.atomic
def message_raise_concern(*, actor: User, message: Message) -> Record:
    """A member of staff reads a worry in a parent's message: a safeguarding concern is
    raised with the message in it, for the safeguarding lead."""
    message = (
        Message.objects.select_for_update().select_related("conversation__child__site").get(pk=message.pk)
    )
    if not message.from_parent:
        raise ValidationError("Only a parent's message can be raised as a concern.")
    if message.concern_id is not None:
        raise ValidationError("A concern has already been raised from this message.")
    conversation = message.conversation
    sent = timezone.localtime(message.sent_at)
    record = concern_raise(
        actor=actor,
        child=conversation.child,
        what_happened=(
            f"A message from {conversation.carer.full_name} (parent or carer) on "
            f"{sent:%-d %B %Y at %H:%M}:\n\n{message.body}"
        ),
        occurred_at=message.sent_at,
        actions_taken="Raised from the parent's message in Confide.",
    )
    message.concern = record
    message.save(update_fields=["concern"])
    return record


def quiet_hours_note(child: Child, *, now: datetime.datetime | None = None) -> str:
    """What a parent is told about when messages are read (the site's opening hours)."""
    rules = rules_for(child.site)
    days = ", ".join(day for _, day in rules.day_names)
    note = (
        f"Messages are read while {child.site.name} is open ({days}, "
        f"{rules.opens_at:%H:%M} to {rules.closes_at:%H:%M}). "
        f"If something is urgent, phone {child.site.phone or 'the setting'}."
    )
    if not rules.is_open(now or timezone.now(), with_margin=False):
        note += " It is closed now: your message will be read when it opens."
    return note
