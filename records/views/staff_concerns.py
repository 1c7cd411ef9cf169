"""Concerns and allegations about staff: raising one (anyone at the setting; about
oneself too), the case manager's and HR's queue, and a case's page."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy
from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from access.policy import staff_concerns as rules
from audit.models import Event, Tier
from audit.services import audit_event
from records import services
from records.forms.staff_concerns import (
    CaseCloseForm,
    CaseNoteForm,
    CaseRecordForm,
    CaseReferForm,
    StaffConcernForm,
)
from records.models import StaffConcern, StaffMember
from records.services.staff_concerns import ALLEGATION_OUTCOMES, LOW_LEVEL_OUTCOMES
from submissions.decorators import submitted_once


def _case_for_user(
    request: AuthenticatedHttpRequest, concern_id: uuid.UUID, *, write: bool = False
) -> StaffConcern:
    """A case this person handles (its case manager, or HR); 404 for anyone else, its subject included."""
    return access_selectors.staff_concern_get_for_user(user=request.user, concern_id=concern_id, write=write)


@require_GET
@login_required
def staff_concern_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    colleagues = access_selectors.colleagues_for_concern(user=request.user)
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=StaffMember,
        request=request,
        tier=Tier.NONE,
        reason=f"Concern about a member of staff: {len(colleagues)} colleagues shown",
    )
    return render(request, "records/staff_concerns/start.html", {"colleagues": colleagues})


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def staff_concern_new(request: AuthenticatedHttpRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    member, site_id = access_selectors.staff_member_get_for_concern(
        user=request.user, staff_member_id=staff_member_id
    )
    children = access_selectors.children_for_concern(user=request.user)
    about_self = member.user_id == request.user.pk
    form = StaffConcernForm(
        request.POST if request.method == "POST" else None, children=children, self_referral=about_self
    )
    if request.method == "POST" and form.is_valid():
        child = next((c for c in children if str(c.pk) == form.cleaned_data["child"]), None)
        try:
            services.staff_concern_raise(
                actor=request.user,
                staff_member=member,
                site_id=site_id,
                kind=form.cleaned_data.get("kind") or StaffConcern.Kind.LOW_LEVEL,
                what_happened=form.cleaned_data["what_happened"],
                occurred_at=form.cleaned_data["occurred_at"],
                child=child,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Thank you. Your concern has been submitted to the people who handle it."
            )
            return redirect("home")
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=member,
        request=request,
        staff_member_id=member.pk,
        tier=Tier.NONE,
        reason="Concern about a member of staff: the form (their name)",
    )
    context = {"member": member, "form": form, "about_self": about_self}
    return render(request, "records/staff_concerns/form.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def staff_concern_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    cases = list(access_selectors.open_staff_concerns(user=request.user)[:200])
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=StaffConcern,
        request=request,
        tier=Tier.PERSONNEL,
        reason=f"Concerns about staff: {len(cases)} open cases shown",
    )
    return render(request, "records/staff_concerns/queue.html", {"cases": cases})


def _case_page(
    request: AuthenticatedHttpRequest, concern: StaffConcern, status: int = 200, **forms: Any
) -> HttpResponse:
    facts = policy.facts_of(request.user)
    open_case = rules.may_handle_staff_concern(facts, concern, concern.subject_site_ids)
    outcomes = ALLEGATION_OUTCOMES if concern.is_allegation else LOW_LEVEL_OUTCOMES
    context = {
        "concern": concern,
        "notes": list(concern.notes.select_related("author")),
        "may_handle": open_case,
        "may_remove": rules.may_remove_details(facts, concern, concern.subject_site_ids),
        "record_form": forms.get("record_form") or CaseRecordForm(),
        "note_form": forms.get("note_form") or CaseNoteForm(),
        "refer_form": forms.get("refer_form") or CaseReferForm(),
        "close_form": forms.get("close_form") or CaseCloseForm(outcomes=outcomes),
    }
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=concern,
        request=request,
        staff_member_id=concern.staff_member_id,
        tier=Tier.PERSONNEL,
    )
    return render(request, "records/staff_concerns/detail.html", context, status=status)


@require_GET
@login_required
def staff_concern_detail(request: AuthenticatedHttpRequest, concern_id: uuid.UUID) -> HttpResponse:
    return _case_page(request, _case_for_user(request, concern_id))


def _done(request: AuthenticatedHttpRequest, concern: StaffConcern, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("staff_concern_detail", concern_id=concern.pk)


@require_POST
@login_required
def staff_concern_update(request: AuthenticatedHttpRequest, concern_id: uuid.UUID) -> HttpResponse:
    concern = _case_for_user(request, concern_id, write=True)
    form = CaseRecordForm(request.POST)
    if form.is_valid():
        try:
            services.staff_concern_record(actor=request.user, concern=concern, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, concern, "The case record is updated.")
    return _case_page(request, concern, status=400, record_form=form)


@require_POST
@login_required
def staff_concern_note(request: AuthenticatedHttpRequest, concern_id: uuid.UUID) -> HttpResponse:
    concern = _case_for_user(request, concern_id, write=True)
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        try:
            services.staff_concern_add_note(actor=request.user, concern=concern, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, concern, "The note is added.")
    return _case_page(request, concern, status=400, note_form=form)


@require_POST
@login_required
def staff_concern_refer(request: AuthenticatedHttpRequest, concern_id: uuid.UUID) -> HttpResponse:
    concern = _case_for_user(request, concern_id, write=True)
    form = CaseReferForm(request.POST)
    if form.is_valid():
        try:
            services.staff_concern_refer_as_allegation(
                actor=request.user, concern=concern, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, concern, "It is now an allegation: contact the LADO within 24 hours.")
    return _case_page(request, concern, status=400, refer_form=form)


@require_POST
@login_required
def staff_concern_close(request: AuthenticatedHttpRequest, concern_id: uuid.UUID) -> HttpResponse:
    concern = _case_for_user(request, concern_id, write=True)
    outcomes = ALLEGATION_OUTCOMES if concern.is_allegation else LOW_LEVEL_OUTCOMES
    form = CaseCloseForm(request.POST, outcomes=outcomes)
    if form.is_valid():
        try:
            services.staff_concern_close(actor=request.user, concern=concern, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, concern, "The case is closed with its outcome.")
    return _case_page(request, concern, status=400, close_form=form)


@require_POST
@login_required
def staff_concern_remove(request: AuthenticatedHttpRequest, concern_id: uuid.UUID) -> HttpResponse:
    concern = _case_for_user(request, concern_id)
    services.staff_concern_remove_details(actor=request.user, concern=concern)
    return _done(request, concern, "The details are removed from the personnel record.")
