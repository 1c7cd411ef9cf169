"""The Access tab of a child's file, and the pages that change who may read a file."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy, selectors, services
from access.forms import ClearConflictForm, ConflictForm, GrantForm, KeyWorkerForm
from access.http import AuthenticatedHttpRequest
from access.models import Scope
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Child, StaffMember

GRANT_SCOPES = {"file": Scope.CHILD_FILE, "safeguarding": Scope.SAFEGUARDING_FILE}


def _child_for_user(request: AuthenticatedHttpRequest, child_id: uuid.UUID, *, write: bool = False) -> Child:
    """A child whose Access tab this person may see (or, with write, change); 404 otherwise."""
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    standing = policy.standing_of(request.user)
    allowed = policy.may_manage_access(standing, child) if write else policy.may_see_access(standing, child)
    if not allowed:
        raise Http404
    return child


def _staff_file_for_granting(request: AuthenticatedHttpRequest, staff_member_id: uuid.UUID) -> StaffMember:
    staff_member = selectors.staff_member_get_for_user(user=request.user, staff_member_id=staff_member_id)
    if not policy.may_grant_staff_file(policy.standing_of(request.user), staff_member, staff_member.site_ids):
        raise Http404
    return staff_member


def _access_page(request: AuthenticatedHttpRequest, child: Child, **forms: Any) -> HttpResponse:
    """The Access tab, with a form shown again with its errors if there is one."""
    standing = policy.standing_of(request.user)
    key_people = selectors.staff_at_site(site_id=child.site_id, roles=policy.KEY_WORKER_ROLES)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.ACCESS,
        reason="Access tab",
    )
    context = {
        "child": child,
        "overview": selectors.child_access_overview(child=child),
        "may_manage": policy.may_manage_access(standing, child),
        "may_grant_safeguarding": policy.may_grant_safeguarding(standing, child),
        "key_worker_form": forms.get("key_worker_form") or KeyWorkerForm(offered=key_people),
        "conflict_form": forms.get("conflict_form")
        or ConflictForm(offered=selectors.staff_at_site(site_id=child.site_id)),
    }
    return render(request, "access/child_access.html", context, status=400 if forms else 200)


@require_GET
@login_required
def child_access(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    return _access_page(request, _child_for_user(request, child_id))


@require_POST
@login_required
def key_worker_add(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = _child_for_user(request, child_id, write=True)
    offered = selectors.staff_at_site(site_id=child.site_id, roles=policy.KEY_WORKER_ROLES)
    form = KeyWorkerForm(request.POST, offered=offered)
    if form.is_valid():
        try:
            services.key_worker_assign(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{form.cleaned_data['user'].get_full_name()} is now a key person.")
            return redirect("child_access", child_id=child.pk)
    return _access_page(request, child, key_worker_form=form)


@require_POST
@login_required
def key_worker_end(request: AuthenticatedHttpRequest, assignment_id: uuid.UUID) -> HttpResponse:
    assignment = selectors.assignment_get_for_manager(user=request.user, assignment_id=assignment_id)
    services.key_worker_unassign(actor=request.user, assignment=assignment)
    messages.success(request, f"{assignment.user.get_full_name()} is no longer a key person for this child.")
    return redirect("child_access", child_id=assignment.child_id)


@require_POST
@login_required
def conflict_add(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = _child_for_user(request, child_id, write=True)
    form = ConflictForm(request.POST, offered=selectors.staff_at_site(site_id=child.site_id))
    if form.is_valid():
        try:
            services.conflict_record(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            person = form.cleaned_data["user"].get_full_name()
            messages.success(request, f"{person} is now kept out of this file.")
            return redirect("child_access", child_id=child.pk)
    return _access_page(request, child, conflict_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def conflict_clear(request: AuthenticatedHttpRequest, conflict_id: uuid.UUID) -> HttpResponse:
    conflict = selectors.conflict_get_for_manager(user=request.user, conflict_id=conflict_id)
    form = ClearConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_clear(actor=request.user, conflict=conflict, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The conflict of interest is cleared.")
            return redirect("child_access", child_id=conflict.child_id)
    # Shown (or shown again with errors): an entry either way.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=conflict,
        request=request,
        child_id=conflict.child_id,
        tier=Tier.ACCESS,
        reason="Clear-conflict page",
    )
    context = {"conflict": conflict, "form": form}
    return render(request, "access/conflict_clear.html", context, status=400 if form.errors else 200)


# --- grants -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def grant_child(request: AuthenticatedHttpRequest, child_id: uuid.UUID, kind: str) -> HttpResponse:
    scope = GRANT_SCOPES.get(kind)
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    if scope is None or not policy.may_grant(policy.standing_of(request.user), child, scope):
        raise Http404
    offered = [u for u in selectors.staff_at_site(site_id=child.site_id) if u.pk != request.user.pk]
    form = GrantForm(request.POST or None, offered=offered)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_child_access(actor=request.user, child=child, scope=scope, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            grantee = form.cleaned_data["grantee"].get_full_name()
            messages.success(request, f"{grantee} can now read the {scope.label.lower()}.")
            return redirect("child_access", child_id=child.pk)
    # Shown (or shown again with errors): an entry either way.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.SAFEGUARDING if scope == Scope.SAFEGUARDING_FILE else Tier.ACCESS,
        reason=f"Grant page: {scope.label.lower()}",
    )
    context = {"child": child, "form": form, "scope_label": scope.label}
    return render(request, "access/grant_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def grant_staff_file(request: AuthenticatedHttpRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    staff_member = _staff_file_for_granting(request, staff_member_id)
    sites = staff_member.site_ids
    offered = [
        u
        for u in selectors.staff_at_sites(site_ids=sites)
        if u.pk not in (request.user.pk, staff_member.user_id)
    ]
    form = GrantForm(request.POST or None, offered=offered)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_staff_file_access(
                actor=request.user, staff_member=staff_member, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            grantee = form.cleaned_data["grantee"].get_full_name()
            messages.success(request, f"{grantee} can now read this staff file.")
            return redirect("staff_file", staff_member_id=staff_member.pk)
    # Shown (or shown again with errors): an entry either way.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=staff_member,
        request=request,
        staff_member_id=staff_member.pk,
        tier=Tier.PERSONNEL,
        reason="Grant page: staff file",
    )
    context = {"staff_member": staff_member, "form": form, "scope_label": Scope.STAFF_FILE.label}
    return render(request, "access/grant_form.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def grant_revoke(request: AuthenticatedHttpRequest, grant_id: uuid.UUID) -> HttpResponse:
    grant = selectors.grant_get_for_manager(user=request.user, grant_id=grant_id)
    services.grant_revoke(actor=request.user, grant=grant)
    messages.success(request, f"Access for {grant.grantee.get_full_name()} has ended.")
    if grant.staff_member_id:
        return redirect("staff_file", staff_member_id=grant.staff_member_id)
    return redirect("child_access", child_id=grant.child_id)
