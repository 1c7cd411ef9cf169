"""The children: the list and search, a child's file, its chronology, and adding a record."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from access import policy
from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from access.views.step_up import require_step_up
from audit.models import Event, Tier
from audit.services import audit_event
from records import selectors, services
from records.categories import CHILD_CATEGORIES, spec_for
from records.forms import ChildFilterForm, ChildSearchForm, RecordForm
from records.models import SIGN_OFF_CATEGORIES, Category, Child, Record
from sharing import selectors as sharing_selectors
from submissions.decorators import submitted_once

# How many of the latest records the file's summary shows.
RECENT = 10


def _child_for_user(request: AuthenticatedHttpRequest, child_id: uuid.UUID, *, write: bool = False) -> Child:
    """A child whose file this person may read (or, with write, add to); 404 otherwise."""
    child = access_selectors.child_get_for_user(user=request.user, child_id=child_id)
    if write and not policy.may_add_record(policy.standing_of(request.user), child):
        raise Http404
    return child


def _tiers_readable(child: Child) -> list[str]:
    return [
        t
        for t, may in (
            (Tier.GENERAL, child.can_read_general),
            (Tier.SAFEGUARDING, child.can_read_safeguarding),
        )
        if may
    ]


@require_http_methods(["GET", "POST"])
@login_required
def children(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Searching is a POST, so names never appear in URLs or server logs;
    # the filters (setting, room, key person, status) are not personal.
    form = ChildSearchForm(request.POST or None)
    filters = ChildFilterForm(request.GET or None, **selectors.child_filter_options(user=request.user))
    searched = request.method == "POST" and form.is_valid()
    page = None
    if searched:
        found = selectors.child_search(user=request.user, query=form.cleaned_data["query"])
    else:
        chosen = filters.cleaned_data if filters.is_valid() else {}
        listed = selectors.child_list(user=request.user, **chosen)
        page = Paginator(listed, selectors.CHILD_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        found = list(page)
    # What was searched for is never stored: it is usually a name.
    audit_event(
        actor=request.user,
        event=Event.SEARCHED if searched else Event.LISTED,
        obj=Child,
        request=request,
        tier=Tier.NONE,
        reason=f"{len(found)} children shown",
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "children": found,
        "page": page,
        "query": query.urlencode(),
        "searched": searched,
        "filtered": bool(query),
    }
    return render(request, "records/child_list.html", context)


@require_GET
@login_required
def child_file(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """The summary: details, carers and their rights, key people, alerts, what
    the file holds by category, and the latest records."""
    child = _child_for_user(request, child_id)
    if child.can_read_safeguarding:
        require_step_up(request)  # the safeguarding tier: a fresh two-factor code
    standing = policy.standing_of(request.user)
    context: dict[str, Any] = {
        "child": child,
        "may_add": policy.may_add_record(standing, child),
        "may_see_access": policy.may_see_access(standing, child),
        "may_raise_concern": policy.may_raise_concern(standing, child),
        "may_message": policy.staff_reads_messages(standing, child),
    }
    if child.can_read_general:
        context |= {
            "carer_links": selectors.carer_links_of(child),
            "may_invite": policy.may_manage_access(standing, child),
            "key_workers": selectors.key_people_of(child),
            "photo": None if request.user.discreet_mode else selectors.photo_of(child),
            "categories": selectors.category_counts(user=request.user, child=child),
            "recent": selectors.chronology(user=request.user, child=child, tier=Tier.GENERAL)[:RECENT],
            "consents": sharing_selectors.consents_at_a_glance(child=child),
        }
    if child.can_read_safeguarding:
        concerns = selectors.chronology(user=request.user, child=child, tier=Tier.SAFEGUARDING)
        context |= {
            "safeguarding": concerns[:RECENT],
            "safeguarding_readers": access_selectors.safeguarding_reader_count(child=child),
        }
    services.file_visited(user=request.user, child=child)
    # Someone who reads only the safeguarding file opening it says safeguarding is involved.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL if child.can_read_general else Tier.SAFEGUARDING,
    )
    return render(request, "records/child_file.html", context)


@require_GET
@login_required
def child_chronology(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """Every record of the file this person may read, newest first, one page at a time."""
    child = _child_for_user(request, child_id)
    if child.can_read_safeguarding:
        require_step_up(request)  # the safeguarding tier: a fresh two-factor code
    tiers = _tiers_readable(child)
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    tier = request.GET.get("tier", "")
    tier = tier if tier in tiers else ""
    records = selectors.chronology(user=request.user, child=child, category=category, tier=tier)
    page = Paginator(records, selectors.CHRONOLOGY_PAGE_SIZE).get_page(request.GET.get("page"))
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=tier or tiers[0],
        reason="Chronology",
    )
    shown = [
        c
        for c in Category
        if c != Category.STAFF_RECORD and (c != Category.SAFEGUARDING_CONCERN or child.can_read_safeguarding)
    ]
    context = {
        "child": child,
        "page": page,
        "category": category,
        "tier": tier,
        "query": urlencode({k: v for k, v in (("category", category), ("tier", tier)) if v}),
        "categories": shown,
        "tiers": tiers if len(tiers) > 1 else [],
        "may_see_access": policy.may_see_access(policy.standing_of(request.user), child),
    }
    return render(request, "records/chronology.html", context)


def _add_page_entry(request: AuthenticatedHttpRequest, child: Child) -> None:
    # Shown (or shown again with errors): an entry either way.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL,
        reason="Add-a-record page",
    )


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def record_add(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """First the category, then a form that asks what that category needs."""
    child = _child_for_user(request, child_id, write=True)
    category = request.GET.get("category", "")
    if category not in CHILD_CATEGORIES:
        _add_page_entry(request, child)
        choices = [(c, spec_for(c).hint) for c in CHILD_CATEGORIES]
        context = {"child": child, "choices": choices, "sign_off_categories": SIGN_OFF_CATEGORIES}
        return render(request, "records/record_category.html", context)
    form = RecordForm(request.POST or None, request.FILES or None, category=category)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_add(actor=request.user, child=child, **form.service_arguments())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            waiting = record.status == Record.Status.AWAITING_SIGN_OFF
            messages.success(
                request,
                "The record is saved. Senior staff have been asked to sign it off."
                if waiting
                else "The record is saved.",
            )
            return redirect("record_detail", record_id=record.pk)
    _add_page_entry(request, child)
    context = {
        "child": child,
        "form": form,
        "category": Category(category),
        "hint": form.spec.hint,
        "needs_sign_off": category in SIGN_OFF_CATEGORIES,
    }
    return render(request, "records/record_form.html", context, status=400 if form.errors else 200)
