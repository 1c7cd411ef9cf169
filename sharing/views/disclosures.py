"""Making a share, referring a concern, and a disclosure's page: approval, the
bundle, recording it sent, releasing it to the parents."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy
from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from access.views.step_up import require_step_up
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Child, Record
from sharing import selectors, services
from sharing.forms import ApproveForm, DisclosureForm, SentForm
from sharing.models import Disclosure, Recipient
from sharing.views.common import child_for, disclosure_for
from submissions.decorators import submitted_once


def share_form(
    request: AuthenticatedHttpRequest, child: Child, *, referral: Record | None = None, bound: bool = True
) -> DisclosureForm:
    """The share form for this person and child (bound on POST); a recipient named in
    the query string is offered first, with its usual basis."""
    dsl = policy.may_share_safeguarding(policy.standing_of(request.user), child)
    recipients = list(access_selectors.recipients_for_sharing(child=child))
    shareable = [
        s
        for s in selectors.shareable_records(user=request.user, child=child, dsl=dsl)
        if referral is None or s.record.pk != referral.pk
    ]
    chosen = _recipient_asked_for(request, recipients)
    initial = {"recipient": chosen.pk, "basis": chosen.default_basis} if chosen else {}
    return DisclosureForm(
        request.POST if request.method == "POST" and bound else None,
        initial=initial,
        recipients=recipients,
        shareable=shareable,
        dsl=dsl,
        referral=referral is not None,
    )


def _recipient_asked_for(request: AuthenticatedHttpRequest, recipients: list[Recipient]) -> Recipient | None:
    wanted = request.GET.get("recipient", "")
    return next((r for r in recipients if str(r.pk) == wanted), None)


def _form_page_entry(
    request: AuthenticatedHttpRequest, obj: Child | Record, child: Child, reason: str
) -> None:
    # Shown (or shown again with errors): an entry either way.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=obj,
        request=request,
        child_id=child.pk,
        tier=Tier.SAFEGUARDING if isinstance(obj, Record) else Tier.GENERAL,
        reason=reason,
    )


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def disclosure_start(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_for(request, child_id, may=policy.may_start_disclosure)
    if child.can_read_safeguarding:
        require_step_up(request)  # safeguarding records are offered: a fresh two-factor code
    form = share_form(request, child)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure = services.disclosure_make(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _made_message(disclosure))
            return redirect("disclosure_detail", disclosure_id=disclosure.pk)
    _form_page_entry(request, child, child, "Share-information page")
    context = {"child": child, "form": form, "referral": None}
    return render(request, "sharing/disclosure_form.html", context, status=400 if form.errors else 200)


def _made_message(disclosure: Disclosure) -> str:
    if disclosure.status == Disclosure.Status.AWAITING_APPROVAL:
        who = disclosure.get_approver_display().lower()
        return f"Saved as {disclosure.reference}: {who} is asked to approve it."
    if disclosure.status == Disclosure.Status.READY:
        return (
            f"Saved as {disclosure.reference}. Download the bundle, send it securely, then record it as sent."
        )
    return f"Recorded as {disclosure.reference}."


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def concern_refer(request: AuthenticatedHttpRequest, record_id: uuid.UUID) -> HttpResponse:
    """The DSL refers a concern to another agency, in one pass."""
    record = access_selectors.record_get_for_user(user=request.user, record_id=record_id)
    require_step_up(request, then=reverse("concern_refer", args=[record.pk]))  # the safeguarding tier
    if not policy.may_handle_concern(policy.standing_of(request.user), record) or record.child is None:
        raise Http404
    child = access_selectors.child_get_for_user(user=request.user, child_id=record.child.pk)
    form = share_form(request, child, referral=record)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure = services.concern_refer(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Referral recorded as {disclosure.reference}, and noted on the concern."
            )
            return redirect("disclosure_detail", disclosure_id=disclosure.pk)
    _form_page_entry(request, record, child, "Refer-a-concern page")
    context = {"child": child, "form": form, "referral": record}
    return render(request, "sharing/disclosure_form.html", context, status=400 if form.errors else 200)


def _disclosure_page(request: AuthenticatedHttpRequest, disclosure: Disclosure, **forms: Any) -> HttpResponse:
    standing = policy.standing_of(request.user)
    may_send = policy.may_send_disclosure(standing, disclosure)
    ready = disclosure.status == Disclosure.Status.READY
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=disclosure,
        request=request,
        child_id=disclosure.child_id,
        tier=disclosure.tier,
        reason="Disclosure",
    )
    context = {
        "disclosure": disclosure,
        "child": disclosure.child,
        "items": list(disclosure.items.select_related("record").prefetch_related("attachments")),
        "may_download": may_send and disclosure.channel == "bundle",
        "approve_form": forms.get("approve_form")
        or (ApproveForm() if policy.may_approve_disclosure(standing, disclosure) else None),
        "sent_form": forms.get("sent_form")
        or (SentForm(bundle=disclosure.channel == "bundle") if may_send and ready else None),
        "may_release": policy.may_release_to_parents(standing, disclosure),
    }
    return render(request, "sharing/disclosure_detail.html", context, status=400 if forms else 200)


@require_GET
@login_required
def disclosure_detail(request: AuthenticatedHttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    return _disclosure_page(request, disclosure_for(request, disclosure_id))


@require_POST
@login_required
def disclosure_approve(request: AuthenticatedHttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    disclosure = disclosure_for(request, disclosure_id)
    if not policy.may_approve_disclosure(policy.standing_of(request.user), disclosure):
        raise Http404
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.disclosure_approve(actor=request.user, disclosure=disclosure, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your decision is recorded; the person who asked is told.")
            return redirect("disclosure_detail", disclosure_id=disclosure.pk)
    return _disclosure_page(request, disclosure, approve_form=form)


@require_POST
@login_required
def disclosure_sent(request: AuthenticatedHttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    disclosure = disclosure_for(request, disclosure_id)
    if not policy.may_send_disclosure(policy.standing_of(request.user), disclosure):
        raise Http404
    form = SentForm(request.POST, bundle=disclosure.channel == "bundle")
    if form.is_valid():
        try:
            services.disclosure_mark_sent(actor=request.user, disclosure=disclosure, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Recorded as sent.")
            return redirect("disclosure_detail", disclosure_id=disclosure.pk)
    return _disclosure_page(request, disclosure, sent_form=form)


@require_GET
@login_required
def disclosure_bundle(request: AuthenticatedHttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    disclosure = disclosure_for(request, disclosure_id)
    if disclosure.channel != "bundle" or not policy.may_send_disclosure(
        policy.standing_of(request.user), disclosure
    ):
        raise Http404
    require_step_up(request)  # it leaves the setting: a fresh two-factor code
    data = services.disclosure_bundle(actor=request.user, disclosure=disclosure)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"disclosure-{disclosure.reference.lower()}.pdf"
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=name) or "attachment"
    )
    return response


@require_POST
@login_required
def disclosure_release(request: AuthenticatedHttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    disclosure = disclosure_for(request, disclosure_id)
    if not policy.may_release_to_parents(policy.standing_of(request.user), disclosure):
        raise Http404
    services.disclosure_release(actor=request.user, disclosure=disclosure)
    messages.success(request, "Released: the parents now see this disclosure in the portal.")
    return redirect("disclosure_detail", disclosure_id=disclosure.pk)
