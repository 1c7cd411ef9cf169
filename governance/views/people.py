"""A staff member's induction checklist and training, ticked by their manager or HR."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from access import policy as access_policy
from access.http import AuthenticatedHttpRequest
from access.policy import governance as rules
from access.selectors.people import staff_file_site_ids
from audit.models import Event, Tier
from audit.services import audit_event
from governance import selectors, services
from governance.forms import InductionTickForm, TrainingForm
from records.models import StaffMember


def _member_for_user(
    request: AuthenticatedHttpRequest, staff_member_id: uuid.UUID, *, write: bool = False
) -> StaffMember:
    return selectors.staff_member_get_for_induction(
        user=request.user, staff_member_id=staff_member_id, write=write
    )


def _page(
    request: AuthenticatedHttpRequest, member: StaffMember, status: int = 200, **forms: Any
) -> HttpResponse:
    facts = access_policy.facts_of(request.user)
    may_tick = member.user_id != request.user.pk and rules.manages_induction(
        facts, staff_file_site_ids(member)
    )
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=member,
        request=request,
        staff_member_id=member.pk,
        tier=Tier.PERSONNEL,
        reason="Induction and training",
    )
    context = {
        "member": member,
        "status": selectors.induction_status(member),
        "may_tick": may_tick,
        "tick_form": forms.get("tick_form") or InductionTickForm(),
        "training_form": forms.get("training_form") or TrainingForm(),
        "failed_item": forms.get("failed_item"),
    }
    return render(request, "governance/induction.html", context, status=status)


@require_GET
@login_required
def induction(request: AuthenticatedHttpRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    return _page(request, _member_for_user(request, staff_member_id))


@require_POST
@login_required
def induction_tick(request: AuthenticatedHttpRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    member = _member_for_user(request, staff_member_id, write=True)
    item = selectors.induction_item_get(item_id=request.POST.get("item", ""))
    if item is None:
        raise Http404
    form = InductionTickForm(request.POST)
    if form.is_valid():
        try:
            services.induction_tick(actor=request.user, staff_member=member, item=item, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Ticked: {item.title}.")
            return redirect("induction", staff_member_id=member.pk)
    return _page(request, member, status=400, tick_form=form, failed_item=item)


@require_POST
@login_required
def training_add(request: AuthenticatedHttpRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    member = _member_for_user(request, staff_member_id, write=True)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.training_record_add(actor=request.user, staff_member=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The training is recorded.")
            return redirect("induction", staff_member_id=member.pk)
    return _page(request, member, status=400, training_form=form)
