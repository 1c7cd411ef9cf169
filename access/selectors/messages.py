"""The conversations between parents and the setting that a person may read."""

from __future__ import annotations

import uuid

from django.db.models import Count, Q
from django.http import Http404

from access import policy
from access.models import User
from records.models import Carer, Child, Conversation, Message


def conversations_of_child(*, user: User, child: Child) -> list[Conversation]:
    """The child's conversations, one per carer, for staff who answer them (404 otherwise)."""
    if not policy.staff_reads_messages(policy.standing_of(user), child):
        raise Http404("No such child")
    unread = Count("messages", filter=Q(messages__from_parent=True, messages__read_at__isnull=True))
    return list(Conversation.objects.filter(child=child).select_related("carer").annotate(unread=unread))


def conversation_get_for_staff(*, user: User, conversation_id: uuid.UUID) -> Conversation:
    conversation = (
        Conversation.objects.select_related("child__site", "child__room", "carer")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None or not policy.staff_reads_messages(policy.standing_of(user), conversation.child):
        raise Http404("No such conversation")
    return conversation


def message_get_for_staff(*, user: User, message_id: uuid.UUID) -> Message:
    message = (
        Message.objects.select_related("conversation__child__site", "conversation__carer")
        .filter(pk=message_id)
        .first()
    )
    if message is None or not policy.staff_reads_messages(
        policy.standing_of(user), message.conversation.child
    ):
        raise Http404("No such message")
    return message


def messages_of(conversation: Conversation) -> list[Message]:
    return list(conversation.messages.select_related("author"))


def unanswered_for_staff(*, user: User, limit: int = 10) -> list[Conversation]:
    """Conversations about the person's key children with messages from parents not yet read."""
    facts = policy.standing_of(user)
    if not facts.key_children:
        return []
    return list(
        Conversation.objects.filter(child_id__in=list(facts.key_children))
        .filter(policy.staff_messages_q(facts))
        .filter(messages__from_parent=True, messages__read_at__isnull=True)
        .annotate(
            unread=Count("messages", filter=Q(messages__from_parent=True, messages__read_at__isnull=True))
        )
        .select_related("child", "carer")
        .order_by("-last_message_at")[:limit]
    )


def conversation_for_parent(*, user: User, child: Child, carer: Carer) -> Conversation | None:
    """The parent's own conversation about one of their children (who may read the child is
    checked by the caller's portal_child_get)."""
    return Conversation.objects.filter(child=child, carer=carer, carer__user_id=user.pk).first()
