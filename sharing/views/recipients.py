"""The recipients directory: read by the staff who share, kept by managers."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy
from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Site
from sharing import selectors, services
from sharing.forms import RecipientForm
from sharing.models import Recipient
from submissions.decorators import submitted_once


def _recipient_for_user(
    request: AuthenticatedHttpRequest, recipient_id: uuid.UUID, *, write: bool = False
) -> Recipient:
    return access_selectors.recipient_get_for_user(user=request.user, recipient_id=recipient_id, write=write)


def _managed_sites(request: AuthenticatedHttpRequest) -> list[Site]:
    sites = policy.standing_of(request.user).sites_with(*policy.MANAGERS)
    return selectors.sites_of(sites) if sites else []


@require_GET
@login_required
def recipient_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.directory_sites(policy.standing_of(request.user)):
        raise Http404
    entries = selectors.directory(user=request.user)
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=Recipient,
        request=request,
        tier=Tier.NONE,
        reason=f"Sharing directory: {len(entries)} entries shown",
    )
    context = {"entries": entries, "may_add": bool(_managed_sites(request))}
    return render(request, "sharing/recipient_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def recipient_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    sites = _managed_sites(request)
    if not sites:
        raise Http404
    form = RecipientForm(request.POST if request.method == "POST" else None, sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            recipient = services.recipient_add(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            waiting = recipient.status == Recipient.Status.AWAITING_APPROVAL
            messages.success(
                request,
                "Added. A second person (another manager, the chair, the data-protection lead or the "
                "proprietor) must approve it before it is used."
                if waiting
                else "Added to the directory.",
            )
            return redirect("recipient_detail", recipient_id=recipient.pk)
    return render(request, "sharing/recipient_form.html", {"form": form}, status=400 if form.errors else 200)


def _recipient_page(
    request: AuthenticatedHttpRequest, recipient: Recipient, status: int = 200
) -> HttpResponse:
    standing = policy.standing_of(request.user)
    shares = list(
        access_selectors.disclosures_for(request.user)
        .filter(recipient=recipient)
        .select_related("child")
        .order_by("-created_at")[:20]
    )
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=recipient,
        request=request,
        tier=Tier.NONE,
        reason="Sharing directory entry",
    )
    context = {
        "recipient": recipient,
        "shares": shares,
        "may_approve": policy.may_approve_recipient(standing, recipient),
        "may_retire": policy.may_keep_directory(standing, recipient.site_id)
        and recipient.status != Recipient.Status.RETIRED,
    }
    return render(request, "sharing/recipient_detail.html", context, status=status)


@require_GET
@login_required
def recipient_detail(request: AuthenticatedHttpRequest, recipient_id: uuid.UUID) -> HttpResponse:
    return _recipient_page(request, _recipient_for_user(request, recipient_id))


@require_POST
@login_required
def recipient_approve(request: AuthenticatedHttpRequest, recipient_id: uuid.UUID) -> HttpResponse:
    recipient = _recipient_for_user(request, recipient_id)
    if not policy.may_approve_recipient(policy.standing_of(request.user), recipient):
        raise Http404
    try:
        services.recipient_approve(actor=request.user, recipient=recipient)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Approved: the entry can now be shared with.")
    return redirect("recipient_detail", recipient_id=recipient.pk)


@require_POST
@login_required
def recipient_retire(request: AuthenticatedHttpRequest, recipient_id: uuid.UUID) -> HttpResponse:
    recipient = _recipient_for_user(request, recipient_id, write=True)
    try:
        services.recipient_retire(actor=request.user, recipient=recipient)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Taken out of use. What was shared with it stays on record.")
    return redirect("recipient_detail", recipient_id=recipient.pk)
