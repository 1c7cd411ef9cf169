"""The Access tab of a child's file, and the pages that change who may read a file."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy, selectors, services
from access.forms import (
    AccessDecisionForm,
    AccessRequestForm,
    ClearConflictForm,
    ConflictForm,
    GrantForm,
    KeyWorkerForm,
)
from access.models import AccessRequest, Scope
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Child

GRANT_SCOPES = {"file": Scope.CHILD_FILE, "safeguarding": Scope.SAFEGUARDING_FILE}


def _apply(form: Any, change: Any) -> bool:
    """Run a service; put its validation messages next to the form's fields."""
    try:
        change()
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error.messages)
            return False
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return False
    except PermissionDenied:
        raise Http404 from None
    return True


@require_GET
@login_required
def child_access(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    standing = policy.standing_of(request.user)
    if not policy.may_see_access(standing, child):
        raise Http404
    overview = selectors.child_access_overview(child=child)
    site_staff = selectors.staff_at_site(site_id=child.site_id)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.ACCESS,
        reason="Access tab",
    )
    return render(
        request,
        "access/child_access.html",
        {
            "child": child,
            "overview": overview,
            "may_manage": policy.may_manage_access(standing, child),
            "may_grant_safeguarding": policy.may_grant_safeguarding(standing, child),
            "key_worker_form": KeyWorkerForm(
                offered=selectors.staff_at_site(site_id=child.site_id, roles=policy.KEY_WORKER_ROLES)
            ),
            "conflict_form": ConflictForm(offered=site_staff),
        },
    )


@require_POST
@login_required
def key_worker_add(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    if not policy.may_manage_access(policy.standing_of(request.user), child):
        raise Http404
    form = KeyWorkerForm(request.POST, offered=[])
    if form.is_valid() and _apply(
        form,
        lambda: services.key_worker_assign(actor=request.user, child=child, user=form.cleaned_data["user"]),
    ):
        messages.success(request, f"{form.cleaned_data['user'].get_full_name()} is now a key person.")
    else:
        for error in [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
    return redirect("child_access", child_id=child.pk)


@require_POST
@login_required
def key_worker_end(request: HttpRequest, assignment_id: uuid.UUID) -> HttpResponse:
    assignment = selectors.assignment_get_for_manager(user=request.user, assignment_id=assignment_id)
    try:
        services.key_worker_unassign(actor=request.user, assignment=assignment)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, f"{assignment.user.get_full_name()} is no longer a key person for this child.")
    return redirect("child_access", child_id=assignment.child_id)


@require_http_methods(["GET", "POST"])
@login_required
def grant_child(request: HttpRequest, child_id: uuid.UUID, kind: str) -> HttpResponse:
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    scope = GRANT_SCOPES.get(kind)
    standing = policy.standing_of(request.user)
    allowed = (scope == Scope.CHILD_FILE and policy.may_manage_access(standing, child)) or (
        scope == Scope.SAFEGUARDING_FILE and policy.may_grant_safeguarding(standing, child)
    )
    if not allowed:
        raise Http404
    offered = [u for u in selectors.staff_at_site(site_id=child.site_id) if u.pk != request.user.pk]
    form = GrantForm(request.POST or None, offered=offered)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(
            form,
            lambda: services.grant_child_access(
                actor=request.user, child=child, scope=scope, **form.cleaned_data
            ),
        )
    ):
        messages.success(
            request,
            f"{form.cleaned_data['grantee'].get_full_name()} can now read the {Scope(scope).label.lower()}.",
        )
        return redirect("child_access", child_id=child.pk)
    # Shown (or shown again with errors): an entry either way.
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.SAFEGUARDING if scope == Scope.SAFEGUARDING_FILE else Tier.ACCESS,
        reason=f"Grant page: {Scope(scope).label.lower()}",
    )
    return render(
        request, "access/grant_form.html", {"child": child, "form": form, "scope_label": Scope(scope).label}
    )


@require_http_methods(["GET", "POST"])
@login_required
def grant_staff_file(request: HttpRequest, staff_member_id: uuid.UUID) -> HttpResponse:
    staff_member = selectors.staff_member_get_for_user(user=request.user, staff_member_id=staff_member_id)
    sites = frozenset(staff_member.sites.values_list("pk", flat=True))
    if not policy.may_grant_staff_file(policy.standing_of(request.user), staff_member, sites):
        raise Http404
    offered = [
        u
        for u in selectors.staff_at_sites(site_ids=sites)
        if u.pk not in (request.user.pk, staff_member.user_id)
    ]
    form = GrantForm(request.POST or None, offered=offered)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(
            form,
            lambda: services.grant_staff_file_access(
                actor=request.user, staff_member=staff_member, **form.cleaned_data
            ),
        )
    ):
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
    return render(
        request,
        "access/grant_form.html",
        {"staff_member": staff_member, "form": form, "scope_label": Scope.STAFF_FILE.label},
    )


@require_POST
@login_required
def grant_revoke(request: HttpRequest, grant_id: uuid.UUID) -> HttpResponse:
    grant = selectors.grant_get_for_manager(user=request.user, grant_id=grant_id)
    try:
        services.grant_revoke(actor=request.user, grant=grant)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, f"Access for {grant.grantee.get_full_name()} has ended.")
    if grant.staff_member_id:
        return redirect("staff_file", staff_member_id=grant.staff_member_id)
    return redirect("child_access", child_id=grant.child_id)


@require_POST
@login_required
def conflict_add(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    if not policy.may_manage_access(policy.standing_of(request.user), child):
        raise Http404
    form = ConflictForm(request.POST, offered=[])
    if form.is_valid() and _apply(
        form, lambda: services.conflict_record(actor=request.user, child=child, **form.cleaned_data)
    ):
        person = form.cleaned_data["user"].get_full_name()
        messages.success(request, f"{person} is now kept out of this file.")
    else:
        for error in [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
    return redirect("child_access", child_id=child.pk)


@require_http_methods(["GET", "POST"])
@login_required
def conflict_clear(request: HttpRequest, conflict_id: uuid.UUID) -> HttpResponse:
    conflict = selectors.conflict_get_for_manager(user=request.user, conflict_id=conflict_id)
    form = ClearConflictForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(
            form,
            lambda: services.conflict_clear(
                actor=request.user, conflict=conflict, reason=form.cleaned_data["reason"]
            ),
        )
    ):
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
    return render(request, "access/conflict_clear.html", {"conflict": conflict, "form": form})


# --- the parent portal: invitations and accounts -----------------------------------


def _carer_link(request: HttpRequest, child_id: uuid.UUID, link_id: uuid.UUID) -> tuple[Any, Any]:
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    link = child.carer_links.select_related("carer__user").filter(pk=link_id).first()
    if link is None or not policy.may_manage_access(policy.standing_of(request.user), child):
        raise Http404
    return child, link


@require_POST
@login_required
def portal_invite(request: HttpRequest, child_id: uuid.UUID, link_id: uuid.UUID) -> HttpResponse:
    """The manager sends a carer a single-use link to set up a portal account."""
    child, link = _carer_link(request, child_id, link_id)
    try:
        _invitation, token = services.portal_invite(actor=request.user, child=child, link=link)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        messages.error(
            request,
            "Only a carer with parental responsibility and no court restriction "
            "can be invited to the portal.",
        )
    else:
        url = settings.SITE_URL + reverse("portal_welcome", args=[token])
        address = link.carer.email

        def send() -> None:
            send_mail(
                f"Your invitation to the {child.site.name} parent portal",
                f"You have been invited to see your child's records at {child.site.name} online.\n\n"
                f"Set up your account here (the link works once, within "
                f"{services.INVITATION_DAYS} days):\n{url}\n\n"
                "If you were not expecting this, please tell the setting.\n",
                settings.DEFAULT_FROM_EMAIL,
                [address],
                fail_silently=False,
            )

        # A mail server that is down must not turn a saved invitation into an
        # error page: the failure is logged, and the manager can invite again.
        transaction.on_commit(send, robust=True)
        messages.success(request, "The invitation has been sent by email. The link lasts 7 days.")
    return redirect("child_file", child_id=child.pk)


@require_POST
@login_required
def portal_disable(request: HttpRequest, child_id: uuid.UUID, link_id: uuid.UUID) -> HttpResponse:
    """The manager turns a carer's portal account off; its sessions end at once."""
    child, link = _carer_link(request, child_id, link_id)
    try:
        services.portal_account_disable(actor=request.user, carer=link.carer)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, "The portal account is turned off; it was signed out everywhere.")
    return redirect("child_file", child_id=child.pk)


# --- asking for access ---------------------------------------------------------------


def _notify(recipients: list[Any], message: str, url: str = "") -> None:
    from records.services import notify

    notify(recipients=recipients, message=message, url=url)


@require_GET
@login_required
def access_request_start(request: HttpRequest) -> HttpResponse:
    children = selectors.children_for_access_request(user=request.user)
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=Child,
        request=request,
        tier=Tier.NONE,
        reason=f"Ask-for-access list: {len(children)} children shown",
    )
    mine = (
        AccessRequest.objects.filter(requester=request.user)
        .select_related("child")
        .order_by("-created_at")[:20]
    )
    return render(request, "access/access_request_start.html", {"children": children, "mine": mine})


@require_http_methods(["GET", "POST"])
@login_required
def access_request_new(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.child_get_for_access_request(user=request.user, child_id=child_id)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = []
        if _apply(
            form,
            lambda: made.append(
                services.access_request_create(
                    actor=request.user, child=child, reason=form.cleaned_data["reason"]
                )
            ),
        ):
            _notify(
                services.access_request_deciders(child),
                f"A member of staff asked for access to a child's file at {child.site.name}.",
                reverse("access_request_decide", args=[made[0].pk]),
            )
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
    return render(request, "access/access_request_form.html", {"child": child, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def access_request_decide(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    access_request = selectors.access_request_get_for_manager(user=request.user, request_id=request_id)
    form = AccessDecisionForm(request.POST or None)
    pending = access_request.status == AccessRequest.Status.PENDING
    if request.method == "POST" and pending and form.is_valid():
        approve = form.cleaned_data["decision"] == "grant"
        if _apply(
            form,
            lambda: services.access_request_decide(
                actor=request.user,
                request=access_request,
                approve=approve,
                note=form.cleaned_data["note"],
                expires_at=form.cleaned_data["expires_at"],
            ),
        ):
            outcome = "granted." if approve else "declined."
            _notify(
                [access_request.requester],
                f"Your request for access to a child's file was {outcome}",
                reverse("child_file", args=[access_request.child_id])
                if approve
                else reverse("access_request_start"),
            )
            messages.success(request, "Access given." if approve else "Declined; they have been told.")
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
    return render(
        request,
        "access/access_request_decide.html",
        {"access_request": access_request, "form": form, "pending": pending},
    )
