"""Asking the manager for access to a child's file, and the manager's answer."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from access import selectors, services
from access.forms import AccessDecisionForm, AccessRequestForm, ChildIdentityForm
from access.http import AuthenticatedHttpRequest
from access.models import AccessRequest
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Child
from submissions.decorators import submitted_once


@require_http_methods(["GET", "POST"])
@login_required
def access_request_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose the child: from the person's rooms today, or by full name and date of birth
    (POSTed, so never in a URL). Nobody is shown the setting's whole roster."""
    form = ChildIdentityForm(request.POST or None)
    searched = request.method == "POST" and form.is_valid()
    identity = form.identity() if searched else None
    children = selectors.children_for_access_request(user=request.user, identity=identity)
    audit_event(
        actor=request.user,
        event=Event.SEARCHED if searched else Event.LISTED,
        obj=Child,
        request=request,
        tier=Tier.NONE,
        reason=f"Ask-for-access list: {len(children)} children shown",
    )
    mine = selectors.access_requests_by(user=request.user)
    context = {"children": children, "mine": mine, "form": form, "searched": searched}
    return render(request, "access/access_request_start.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def access_request_new(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.child_get_for_access_request(user=request.user, child_id=child_id)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_create(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your request has gone to the manager. You will be told the answer.")
            return redirect("access_request_start")
    # Shown (or shown again with errors): who the child is, nothing of the file.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.ACCESS,
        reason="Ask-for-access page (name, date of birth, room)",
    )
    context = {"child": child, "form": form}
    return render(request, "access/access_request_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def access_request_decide(request: AuthenticatedHttpRequest, request_id: uuid.UUID) -> HttpResponse:
    access_request = selectors.access_request_get_for_manager(user=request.user, request_id=request_id)
    pending = access_request.status == AccessRequest.Status.PENDING
    form = AccessDecisionForm(request.POST or None)
    if request.method == "POST" and pending and form.is_valid():
        try:
            services.access_request_decide(actor=request.user, request=access_request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            approved = form.cleaned_data["approve"]
            messages.success(request, "Access given." if approved else "Declined; they have been told.")
            return redirect("home")
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=access_request,
        request=request,
        child_id=access_request.child_id,
        tier=Tier.ACCESS,
        reason="Access request",
    )
    context = {"access_request": access_request, "form": form, "pending": pending}
    return render(request, "access/access_request_decide.html", context, status=400 if form.errors else 200)
