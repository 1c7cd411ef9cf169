"""Raising a safeguarding concern (anyone at the setting), and the DSL's queue.
Handling a concern happens on its record's page (records/views/entries.py)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from access import policy
from access import selectors as access_selectors
from access.forms import ChildIdentityForm
from access.http import AuthenticatedHttpRequest
from audit.models import Event, Tier
from audit.services import audit_event
from records import selectors, services
from records.forms import ConcernForm
from records.models import Child, Record
from submissions.decorators import submitted_once

QUEUE_PAGE_SIZE = 25


@require_GET
@login_required
def concern_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    concerns = selectors.open_concerns(user=request.user, standing=policy.standing_of(request.user))
    page = Paginator(concerns, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    queue = list(page)
    described = list(access_selectors.unidentified_concerns_waiting(user=request.user)[:QUEUE_PAGE_SIZE])
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=Record,
        request=request,
        tier=Tier.SAFEGUARDING,
        reason=f"Open concerns: {len(queue)} shown",
    )
    context = {"queue": queue, "page": page, "described": described}
    return render(request, "records/concern_queue.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def concern_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose the child: from the person's rooms and key children, or by their full name and
    date of birth (POSTed, so never in a URL), or describe a child they cannot name."""
    form = ChildIdentityForm(request.POST or None)
    searched = request.method == "POST" and form.is_valid()
    identity = form.identity() if searched else None
    children = access_selectors.children_for_concern(user=request.user, identity=identity)
    audit_event(
        actor=request.user,
        event=Event.SEARCHED if searched else Event.LISTED,
        obj=Child,
        request=request,
        tier=Tier.SAFEGUARDING,
        reason=f"Raise-a-concern list: {len(children)} children shown",
    )
    context = {"children": children, "form": form, "searched": searched}
    return render(request, "records/concern_start.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def concern_raise(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = access_selectors.child_get_for_concern(user=request.user, child_id=child_id)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_raise(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Thank you. Your concern has been received by the designated "
                "safeguarding lead, who will decide what happens next.",
            )
            return redirect("home")
    # Shown (or shown again with errors): an entry either way.
    # Raising is not reading: the page shows who the child is, nothing of the file.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.SAFEGUARDING,
        reason="Raise-a-concern page (name, date of birth, room)",
    )
    context = {"child": child, "form": form}
    return render(request, "records/concern_form.html", context, status=400 if form.errors else 200)
