"""A parent's messages with the setting about one of their children."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from access import selectors
from audit.models import Event, Tier
from audit.services import audit_event
from portal.views.pages import PortalHttpRequest, portal_page
from records.forms.common import Form
from records.models import Conversation
from records.services import messages as services
from submissions.decorators import submitted_once


class MessageForm(Form):
    body = forms.CharField(
        label="Your message", widget=forms.Textarea(attrs={"rows": 5}), max_length=services.LONGEST,
        help_text="To your child's key person and the setting's managers.",
        error_messages={"required": "Write your message."},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@portal_page
@submitted_once
def portal_messages(request: PortalHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.portal_child_get(user=request.user, child_id=child_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_from_parent(
                actor=request.user, child=child, carer=request.carer, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            flash.success(request, "Sent. Your child's key person will read it.")
            return redirect("portal_messages", child_id=child.pk)
    thread = selectors.conversation_for_parent(user=request.user, child=child, carer=request.carer)
    if thread is not None:
        services.messages_read_by_parent(actor=request.user, conversation=thread)
    audit_event(
        actor=request.user, event=Event.VIEWED, obj=thread or Conversation, request=request,
        child_id=child.pk, tier=Tier.GENERAL, reason="Portal: messages",
    )  # fmt: skip
    context = {
        "child": child,
        "form": form,
        "thread_messages": selectors.messages_of(thread) if thread else [],
        "quiet_hours": services.quiet_hours_note(child),
    }
    return render(request, "portal/messages.html", context, status=400 if form.errors else 200)
