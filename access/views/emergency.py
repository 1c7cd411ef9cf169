"""The emergency card (staff in the child's room today; the kitchen's dietary list) and
emergency access to a child's file ("break-glass"), with the DSL's review."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import selectors
from access.forms import BreakGlassForm, BreakGlassReviewForm
from access.http import AuthenticatedHttpRequest
from access.models import BreakGlass
from access.services import break_glass as services
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Child
from submissions.decorators import submitted_once


def _listed(request: AuthenticatedHttpRequest, model: type[Child] | type[BreakGlass], reason: str) -> None:
    audit_event(
        actor=request.user, event=Event.LISTED, obj=model, request=request, tier=Tier.NONE, reason=reason
    )


@require_GET
@login_required
def emergency_cards(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The children in the rooms the person works in today. Never gated."""
    children = selectors.room_children(user=request.user)
    kitchen = selectors.kitchen_children(user=request.user)
    _listed(request, Child, f"Emergency cards: {len(children)} children in my rooms today")
    context = {"children": children, "kitchen": bool(kitchen)}
    return render(request, "access/emergency/cards.html", context)


@require_GET
@login_required
def emergency_card(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    card = selectors.card_get_for_user(user=request.user, child_id=child_id)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=card.child,
        request=request,
        child_id=card.child.pk,
        tier=Tier.GENERAL,
        reason="Emergency card (not the file)" if card.full else "Emergency card: dietary and allergy part",
    )
    return render(request, "access/emergency/card.html", {"card": card, "child": card.child})


@require_GET
@login_required
def kitchen_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    children = selectors.kitchen_children(user=request.user)
    _listed(request, Child, f"Kitchen list: dietary needs and allergies of {len(children)} children")
    return render(request, "access/emergency/kitchen.html", {"children": children})


# --- break-glass -------------------------------------------------------------------------


@require_GET
@login_required
def break_glass_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    children = selectors.children_for_break_glass(user=request.user)
    _listed(request, Child, f"Emergency access: {len(children)} children shown")
    return render(request, "access/emergency/break_glass_start.html", {"children": children})


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def break_glass_new(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.child_get_for_break_glass(user=request.user, child_id=child_id)
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_open(
                actor=request.user,
                child=child,
                reason_kind=form.cleaned_data["reason_kind"],
                reason=form.cleaned_data["reason"],
                scope=form.cleaned_data["scope"] or "child_file",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Emergency access is open. The DSL and the manager have been told.")
            return redirect("child_file", child_id=child.pk)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL,
        reason="Emergency access page (name, date of birth, room)",
    )
    context = {"child": child, "form": form}
    return render(
        request, "access/emergency/break_glass_form.html", context, status=400 if form.errors else 200
    )


@require_POST
@login_required
def break_glass_end(request: AuthenticatedHttpRequest, break_glass_id: uuid.UUID) -> HttpResponse:
    use = selectors.break_glass_get_for_user(user=request.user, break_glass_id=break_glass_id)
    services.break_glass_end(actor=request.user, use=use)
    messages.success(request, "Emergency access is closed. Thank you.")
    return redirect("home")


@require_GET
@login_required
def break_glass_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    uses = selectors.break_glass_of(user=request.user)
    _listed(request, BreakGlass, f"My emergency access: {len(uses)} shown")
    return render(request, "access/emergency/break_glass_mine.html", {"uses": uses})


@require_GET
@login_required
def break_glass_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    waiting = list(selectors.break_glass_queue(user=request.user)[:100])
    reviewed = selectors.break_glass_reviewed(user=request.user)
    _listed(
        request, BreakGlass, f"Emergency access to review: {len(waiting)} waiting, {len(reviewed)} reviewed"
    )
    context = {"waiting": waiting, "reviewed": reviewed}
    return render(request, "access/emergency/break_glass_queue.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def break_glass_review(request: AuthenticatedHttpRequest, break_glass_id: uuid.UUID) -> HttpResponse:
    use = selectors.break_glass_get_for_reviewer(user=request.user, break_glass_id=break_glass_id)
    form = BreakGlassReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and use.reviewed_at is None and form.is_valid():
        try:
            services.break_glass_review(actor=request.user, use=use, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Reviewed. The person who used it will see your decision.")
            return redirect("break_glass_queue")
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=use,
        request=request,
        child_id=use.child_id,
        tier=Tier.ACCESS,
        reason=f"Emergency access {use.reference}: review page",
    )
    context = {"use": use, "form": form}
    return render(
        request, "access/emergency/break_glass_review.html", context, status=400 if form.errors else 200
    )
