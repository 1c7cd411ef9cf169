"""A record's page and what can be done there: add to it, sign it off or return
it, amend it, download its attachments, and the DSL's handling of a concern."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy
from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from access.models import User
from access.policy import RecordAction
from access.views.step_up import require_step_up
from audit.models import Event
from audit.services import audit_event
from crypto import attachments
from records import selectors, services
from records.forms import (
    AddendumForm,
    AmendForm,
    ConcernActionForm,
    ConcernCloseForm,
    ConcernLinkForm,
    ReturnForm,
    SignOffForm,
)
from records.models import Addendum, Record, Tier
from sharing import services as sharing_services
from submissions.decorators import submitted_once


def _record_for_user(
    request: AuthenticatedHttpRequest, record_id: uuid.UUID, *, to: RecordAction | None = None
) -> Record:
    """A record this person may read (and, with `to`, act on); 404 otherwise.
    What they may do with it is kept on it as ``record.actions``."""
    record = access_selectors.record_get_for_user(user=request.user, record_id=record_id)
    if record.tier in (Tier.SAFEGUARDING, Tier.PERSONNEL):
        require_step_up(request, then=reverse("record_detail", args=[record.pk]))  # a fresh two-factor code
    record.actions = policy.record_actions(
        policy.standing_of(request.user), record, staff_site_ids=access_selectors.staff_site_ids(record)
    )
    if to is not None and to not in record.actions:
        raise Http404
    return record


def record_page_context(user: User, record: Record) -> dict[str, Any]:
    """What the record page shows this person about a record (fetched with
    _record_for_user), without its forms."""
    may_handle = RecordAction.HANDLE in record.actions
    history = selectors.record_history(user=user, record=record)
    returns = selectors.returns_of(history)
    for old in history:
        old.returns = returns.get(old.pk, [])  # type: ignore[attr-defined]
    return {
        "record": record,
        "history": history,
        # The revision this one answers: why it was sent back, kept with the amended version.
        "returned_because": history[0].returns if history else [],  # type: ignore[attr-defined]
        "attachments": list(record.attachments.all()),
        "addenda": selectors.addenda_for(record),
        "may_amend": RecordAction.AMEND in record.actions,
        "may_add_addendum": RecordAction.ADD in record.actions,
        "may_sign_off": RecordAction.SIGN_OFF in record.actions,
        "may_handle": may_handle,
        "may_see_withheld_reason": policy.may_see_withheld_reason(policy.standing_of(user), record),
        "linked": selectors.linked_concerns(user=user, record=record) if record.is_concern else [],
        "linkable": selectors.linkable_concerns(user=user, record=record) if may_handle else [],
    }


def record_page_forms(user: User, context: dict[str, Any]) -> dict[str, Any]:
    """Empty forms for what the person may do on the record page."""
    record: Record = context["record"]
    forms: dict[str, Any] = {}
    if context["may_add_addendum"]:
        forms["addendum_form"] = AddendumForm()
    if context["may_sign_off"]:
        forms["sign_off_form"] = SignOffForm(user=user)
        forms["return_form"] = ReturnForm()
    if context["may_handle"] and record.status != Record.Status.CLOSED:
        linkable = context["linkable"]
        forms["action_form"] = ConcernActionForm()
        forms["link_form"] = ConcernLinkForm(others=linkable) if linkable else None
        forms["close_form"] = ConcernCloseForm()
    return forms


def _record_page(request: AuthenticatedHttpRequest, record: Record, **forms: Any) -> HttpResponse:
    """The record page, with one of its forms shown again with its errors if
    there is one (status 400). Writes the page's audit entry."""
    user = request.user
    context = record_page_context(user, record)
    context |= record_page_forms(user, context)
    # A form shown again with its errors is shown even if the record has moved
    # on since (a concern closed in another tab), so the message is seen.
    context |= forms
    audit_event(
        actor=user,
        event=Event.VIEWED,
        obj=record,
        request=request,
        child_id=record.child_id,
        staff_member_id=record.staff_member_id,
        tier=record.tier,
    )
    return render(request, "records/record_detail.html", context, status=400 if forms else 200)


@require_GET
@login_required
def record_detail(request: AuthenticatedHttpRequest, record_id: uuid.UUID) -> HttpResponse:
    return _record_page(request, _record_for_user(request, record_id))


@require_POST
@login_required
@submitted_once
def record_addendum(request: AuthenticatedHttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = _record_for_user(request, record_id, to=RecordAction.ADD)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.addendum_add(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Added to the record.")
            return redirect("record_detail", record_id=record.pk)
    return _record_page(request, record, addendum_form=form)


@require_POST
@login_required
def record_sign_off(request: AuthenticatedHttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = _record_for_user(request, record_id, to=RecordAction.SIGN_OFF)
    require_step_up(request, then=reverse("record_detail", args=[record.pk]))  # signing: a fresh code
    form = SignOffForm(request.POST, user=request.user, request=request)
    if form.is_valid():
        try:
            services.record_sign_off(actor=request.user, record=record, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            following = selectors.next_to_sign(user=request.user, after=record)
            if following is None:
                messages.success(
                    request, "Signed off. The key person has been told. Nothing else is waiting."
                )
                return redirect("sign_off_queue")
            messages.success(request, "Signed off. The key person has been told. Here is the next one.")
            return redirect("record_detail", record_id=following)
    return _record_page(request, record, sign_off_form=form)


@require_POST
@login_required
def record_return(request: AuthenticatedHttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = _record_for_user(request, record_id, to=RecordAction.SIGN_OFF)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.record_return(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Returned to its author for correction.")
            return redirect("record_detail", record_id=record.pk)
    return _record_page(request, record, return_form=form)


@require_POST
@login_required
def concern_action(request: AuthenticatedHttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = _record_for_user(request, record_id, to=RecordAction.HANDLE)
    form = ConcernActionForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["kind"] == Addendum.Kind.NO_REFERRAL:
                # A decision not to refer is a decision not to share (the sharing log).
                sharing_services.concern_decide_not_to_refer(
                    actor=request.user, record=record, text=form.cleaned_data["text"]
                )
            else:
                services.concern_record_action(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Recorded on the concern.")
            return redirect("record_detail", record_id=record.pk)
    return _record_page(request, record, action_form=form)


@require_POST
@login_required
def concern_link(request: AuthenticatedHttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = _record_for_user(request, record_id, to=RecordAction.HANDLE)
    form = ConcernLinkForm(request.POST, others=selectors.linkable_concerns(user=request.user, record=record))
    if form.is_valid():
        try:
            services.concern_link(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The concerns are linked.")
            return redirect("record_detail", record_id=record.pk)
    return _record_page(request, record, link_form=form)


@require_POST
@login_required
def concern_close(request: AuthenticatedHttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = _record_for_user(request, record_id, to=RecordAction.HANDLE)
    form = ConcernCloseForm(request.POST)
    if form.is_valid():
        try:
            services.concern_close(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The concern is closed.")
            return redirect("record_detail", record_id=record.pk)
    return _record_page(request, record, close_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def record_amend(request: AuthenticatedHttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = _record_for_user(request, record_id, to=RecordAction.AMEND)
    initial = {"title": record.title, "body": record.body, **(record.details or {})}
    form = AmendForm(request.POST or None, initial=initial, category=record.category)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.record_amend(actor=request.user, record=record, **form.service_arguments())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The amendment is saved; the original is kept in the history.")
            return redirect("record_detail", record_id=revision.pk)
    # Shown (or shown again with errors): an entry either way.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=record,
        request=request,
        child_id=record.child_id,
        staff_member_id=record.staff_member_id,
        tier=record.tier,
        reason="Amend page",
    )
    context = {"record": record, "form": form}
    return render(request, "records/record_amend.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def attachment_download(request: AuthenticatedHttpRequest, attachment_id: uuid.UUID) -> StreamingHttpResponse:
    attachment = access_selectors.attachment_get_for_user(user=request.user, attachment_id=attachment_id)
    view = request.GET.get("view") == "1" and attachment.content_type in attachments.PREVIEWABLE
    response = attachments.download_response(attachment, inline=view)
    if view and attachment.content_type == "application/pdf":
        # The browser's PDF viewer is a plugin: allowed for this response only (no script runs).
        response["Content-Security-Policy"] = "default-src 'none'; object-src 'self'"
        response._csp_exempt = True  # type: ignore[attr-defined]
    audit_event(
        actor=request.user,
        event=Event.VIEWED if view else Event.DOWNLOADED,
        obj=attachment,
        request=request,
        child_id=attachment.record.child_id,
        staff_member_id=attachment.record.staff_member_id,
        tier=attachment.record.tier,
    )
    return response
