"""A concern about a child the person raising it cannot identify fully: raised by
anyone at the setting, read and filed in the right child's file by a safeguarding lead."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from audit.models import Event, Tier
from audit.services import audit_event
from records import selectors, services
from records.forms import ChildSearchForm
from records.forms.unidentified import UnidentifiedConcernForm, UnidentifiedLinkForm
from records.models import Site, UnidentifiedConcern
from submissions.decorators import submitted_once


def _concern_for_lead(request: AuthenticatedHttpRequest, unidentified_id: uuid.UUID) -> UnidentifiedConcern:
    return access_selectors.unidentified_concern_get_for_lead(user=request.user, concern_id=unidentified_id)


def _my_sites(request: AuthenticatedHttpRequest) -> list[Site]:
    sites = access_selectors.sites_for_concern(user=request.user)
    if not sites:
        raise Http404
    return sites


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def unidentified_concern_raise(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UnidentifiedConcernForm(request.POST or None, sites=_my_sites(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.unidentified_concern_raise(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Thank you. Your concern has been received by the designated safeguarding lead, who "
                "will find the child and decide what happens next.",
            )
            return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "records/unidentified_concern_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def unidentified_concern(request: AuthenticatedHttpRequest, unidentified_id: uuid.UUID) -> HttpResponse:
    """The safeguarding lead reads it and searches for the child (by a POSTed name, never in the URL)."""
    concern = _concern_for_lead(request, unidentified_id)
    search = ChildSearchForm(request.POST or None)
    found = []
    if request.method == "POST" and search.is_valid():
        found = selectors.child_search(user=request.user, query=search.cleaned_data["query"])
        found = [child for child in found if child.site_id == concern.site_id]
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=concern,
        request=request,
        tier=Tier.SAFEGUARDING,
        reason="Concern about a child not yet identified"
        + (f"; {len(found)} children found" if found else ""),
    )
    context = {"concern": concern, "search": search, "found": found, "searched": search.is_bound}
    return render(request, "records/unidentified_concern.html", context, status=400 if search.errors else 200)


@require_POST
@login_required
def unidentified_concern_link(request: AuthenticatedHttpRequest, unidentified_id: uuid.UUID) -> HttpResponse:
    concern = _concern_for_lead(request, unidentified_id)
    form = UnidentifiedLinkForm(request.POST)
    child = None
    if form.is_valid():
        child = access_selectors.children_for(request.user).filter(pk=form.cleaned_data["child"]).first()
    if child is None:
        messages.error(request, "Choose the child from the search results.")
        return redirect("unidentified_concern", unidentified_id=concern.pk)
    try:
        record = services.unidentified_concern_link(actor=request.user, concern=concern, child=child)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("unidentified_concern", unidentified_id=concern.pk)
    messages.success(request, "Filed in the child's file as a safeguarding concern.")
    return redirect("record_detail", record_id=record.pk)
