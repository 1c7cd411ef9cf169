"""Requests for information: logging one, and answering it with a decision."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy
from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from access.views.step_up import require_step_up
from audit.models import Event, Tier
from audit.services import audit_event
from sharing import services
from sharing.forms import DecideForm, RequestForm
from sharing.models import DecisionOutcome, InformationRequest
from sharing.views.common import child_for
from sharing.views.disclosures import share_form
from submissions.decorators import submitted_once


def _request_for_user(
    request: AuthenticatedHttpRequest, information_request_id: uuid.UUID
) -> InformationRequest:
    found = access_selectors.request_get_for_user(
        user=request.user, information_request_id=information_request_id
    )
    if found.tier == Tier.SAFEGUARDING:
        require_step_up(request, then=f"/requests-for-information/{found.pk}/")
    return found


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def request_add(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_for(request, child_id, may=policy.may_log_request)
    dsl = policy.may_share_safeguarding(policy.standing_of(request.user), child)
    recipients = list(access_selectors.recipients_for_sharing(child=child))
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        recipients=recipients,
        dsl=dsl,
    )
    if request.method == "POST" and form.is_valid():
        try:
            found = services.request_log(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The request is logged. Record the decision once it is made.")
            return redirect("request_detail", information_request_id=found.pk)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL,
        reason="Log-a-request page",
    )
    context = {"child": child, "form": form}
    return render(request, "sharing/request_form.html", context, status=400 if form.errors else 200)


def _request_page(request: AuthenticatedHttpRequest, found: InformationRequest, **forms: Any) -> HttpResponse:
    may_decide = policy.may_decide_request(policy.standing_of(request.user), found)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=found,
        request=request,
        child_id=found.child_id,
        tier=found.tier,
        reason="Request for information",
    )
    decision = getattr(found, "decision", None)
    context = {
        "found": found,
        "child": found.child,
        "decision": decision,
        "decide_form": forms.get("decide_form") or (DecideForm() if may_decide else None),
        "share_form": forms.get("share_form")
        or (share_form(request, found.child, bound=False) if may_decide else None),
    }
    return render(request, "sharing/request_detail.html", context, status=400 if forms else 200)


@require_GET
@login_required
def request_detail(request: AuthenticatedHttpRequest, information_request_id: uuid.UUID) -> HttpResponse:
    return _request_page(request, _request_for_user(request, information_request_id))


@require_POST
@login_required
def request_decide(request: AuthenticatedHttpRequest, information_request_id: uuid.UUID) -> HttpResponse:
    found = _request_for_user(request, information_request_id)
    if not policy.may_decide_request(policy.standing_of(request.user), found):
        raise Http404
    form = DecideForm(request.POST)
    shared = share_form(request, found.child)
    sharing = form.is_valid() and form.cleaned_data["outcome"] != DecisionOutcome.NOT_SHARE
    if form.is_valid() and (not sharing or shared.is_valid()):
        share = shared.cleaned_data if sharing else {}
        try:
            services.request_decide(
                actor=request.user, information_request=found, **form.cleaned_data, **share
            )
        except ValidationError as error:
            (shared if sharing else form).add_error(None, error)
        else:
            messages.success(request, "The decision is recorded in the sharing log.")
            return redirect("request_detail", information_request_id=found.pk)
    return _request_page(
        request, found, decide_form=form, share_form=shared if sharing else share_form(request, found.child)
    )
