"""Staff files: HR's list, a staff member's file, and adding to it."""

from __future__ import annotations

import uuid

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
from records.categories import STAFF_CATEGORIES, spec_for
from records.forms import RecordForm
from records.models import Category, StaffMember
from submissions.decorators import submitted_once


def _staff_file_for_user(
    request: AuthenticatedHttpRequest, staff_member_id: uuid.UUID, *, write: bool = False
) -> StaffMember:
    """A staff file this person may read (or, with write, add to); 404 otherwise."""
    member = access_selectors.staff_member_get_for_user(user=request.user, staff_member_id=staff_member_id)
    require_step_up(request)  # a staff file: a fresh two-factor code
    if write and not policy.may_add_staff_record(policy.standing_of(request.user), member, member.site_ids):
        raise Http404
    return member


def _file_entry(request: AuthenticatedHttpRequest, member: StaffMember, reason: str = "") -> None:
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=member,
        request=request,
        staff_member_id=member.pk,
        tier=Tier.PERSONNEL,
        reason=reason,
    )


@require_GET
@login_required
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    members = access_selectors.staff_files_for_user(user=request.user)
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=StaffMember,
        request=request,
        tier=Tier.PERSONNEL,
        reason=f"{len(members)} staff files shown",
    )
    return render(request, "records/staff_list.html", {"members": members})


@require_GET
@login_required
def staff_file(request: AuthenticatedHttpRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    member = _staff_file_for_user(request, staff_member_id)
    records = selectors.staff_file_entries(user=request.user, staff_member=member)
    page = Paginator(records, selectors.CHRONOLOGY_PAGE_SIZE).get_page(request.GET.get("page"))
    standing = policy.standing_of(request.user)
    _file_entry(request, member)
    context = {
        "member": member,
        "page": page,
        "may_grant": policy.may_grant_staff_file(standing, member, member.site_ids),
        "may_add": policy.may_add_staff_record(standing, member, member.site_ids),
    }
    return render(request, "records/staff_file.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def staff_record_add(request: AuthenticatedHttpRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    member = _staff_file_for_user(request, staff_member_id, write=True)
    category = request.GET.get("category", "")
    if category not in STAFF_CATEGORIES:
        _file_entry(request, member, "Add-a-record page")
        choices = [(c, spec_for(c).hint_for(in_staff_file=True)) for c in STAFF_CATEGORIES]
        context = {"member": member, "choices": choices}
        return render(request, "records/record_category.html", context)
    form = RecordForm(request.POST or None, request.FILES or None, category=category, in_staff_file=True)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.staff_record_add(
                actor=request.user, staff_member=member, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The record is saved in the staff file.")
            return redirect("record_detail", record_id=record.pk)
    _file_entry(request, member, "Add-a-record page")
    hint = form.spec.hint_for(in_staff_file=True)
    context = {"member": member, "form": form, "category": Category(category), "hint": hint}
    return render(request, "records/record_form.html", context, status=400 if form.errors else 200)
