"""The staff side of messages with parents: a child's conversations, one thread, a reply,
and raising a concern from what a parent wrote."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from audit.models import Event, Tier
from audit.services import audit_event
from records.forms.common import Form
from records.models import Conversation
from records.services import messages as services
from submissions.decorators import submitted_once


class ReplyForm(Form):
    body = forms.CharField(
        label="Your reply", widget=forms.Textarea(attrs={"rows": 4}), max_length=services.LONGEST,
        error_messages={"required": "Write your message."},
    )  # fmt: skip


def _conversation_for_user(request: AuthenticatedHttpRequest, conversation_id: uuid.UUID) -> Conversation:
    return access_selectors.conversation_get_for_staff(user=request.user, conversation_id=conversation_id)


@require_GET
@login_required
def child_messages(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = access_selectors.child_get_for_user(user=request.user, child_id=child_id)
    conversations = access_selectors.conversations_of_child(user=request.user, child=child)
    audit_event(
        actor=request.user, event=Event.LISTED, obj=child, request=request, child_id=child.pk,
        tier=Tier.GENERAL, reason="Messages with parents",
    )  # fmt: skip
    return render(request, "records/messages/child.html", {"child": child, "conversations": conversations})


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def conversation(request: AuthenticatedHttpRequest, conversation_id: uuid.UUID) -> HttpResponse:
    thread = _conversation_for_user(request, conversation_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_from_staff(actor=request.user, conversation=thread, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            flash.success(request, "Sent. The parent is told by e-mail that a message is waiting.")
            return redirect("conversation", conversation_id=thread.pk)
    services.messages_read_by_staff(actor=request.user, conversation=thread)
    audit_event(
        actor=request.user, event=Event.VIEWED, obj=thread, request=request, child_id=thread.child_id,
        tier=Tier.GENERAL, reason="Messages with a parent",
    )  # fmt: skip
    context = {"thread": thread, "thread_messages": access_selectors.messages_of(thread), "form": form}
    return render(request, "records/messages/conversation.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def message_concern(request: AuthenticatedHttpRequest, message_id: uuid.UUID) -> HttpResponse:
    message = access_selectors.message_get_for_staff(user=request.user, message_id=message_id)
    try:
        services.message_raise_concern(actor=request.user, message=message)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.success(
            request,
            "A safeguarding concern was raised with this message in it. The safeguarding lead is told.",
        )
    return redirect("conversation", conversation_id=message.conversation_id)
