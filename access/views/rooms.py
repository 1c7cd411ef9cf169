"""Rooms today: the manager puts staff in rooms (cover for today, or until further
notice), and the rooms' emergency cards follow."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from access import selectors
from access.forms import RoomAssignForm
from access.http import AuthenticatedHttpRequest
from access.models import RoomAssignment
from access.services import rooms as services
from audit.models import Event, Tier
from audit.services import audit_event


@require_GET
@login_required
def rooms_today(request: AuthenticatedHttpRequest) -> HttpResponse:
    rooms = selectors.rooms_today(user=request.user)
    if not rooms:
        raise Http404
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=RoomAssignment,
        request=request,
        tier=Tier.ACCESS,
        reason=f"Rooms today: {len(rooms)} rooms",
    )
    forms = [
        (room, people, RoomAssignForm(offered=selectors.staff_at_site(site_id=room.site_id)))
        for room, people in rooms
    ]
    return render(request, "access/rooms_today.html", {"rooms": forms})


@require_POST
@login_required
def room_assign(request: AuthenticatedHttpRequest, room_id: uuid.UUID) -> HttpResponse:
    room = selectors.room_get_for_manager(user=request.user, room_id=room_id)
    form = RoomAssignForm(request.POST, offered=selectors.staff_at_site(site_id=room.site_id))
    if form.is_valid():
        try:
            services.room_assign(actor=request.user, room=room, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Added to {room.name}: they can open its emergency cards.")
    else:
        messages.error(request, "Choose a person.")
    return redirect("rooms_today")


@require_POST
@login_required
def room_assignment_end(request: AuthenticatedHttpRequest, room_assignment_id: uuid.UUID) -> HttpResponse:
    assignment = selectors.room_assignment_get_for_manager(
        user=request.user, room_assignment_id=room_assignment_id
    )
    services.room_assignment_end(actor=request.user, assignment=assignment)
    messages.success(request, f"No longer in {assignment.room.name}.")
    return redirect("rooms_today")
