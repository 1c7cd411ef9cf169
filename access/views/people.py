"""People and their roles at a setting: the managers' pages (roles are never given in the
admin), confirming new senior roles, and choosing one's password from the e-mailed link."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import selectors
from access.forms.people import PersonForm, RoleForm
from access.http import AuthenticatedHttpRequest
from access.models import Membership, Role, User
from access.services import people as services
from access.views.step_up import require_step_up
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Site
from submissions.decorators import submitted_once

ROLES = [(role.value, role.label) for role in services.GIVEN_HERE]


def _sites(request: AuthenticatedHttpRequest) -> list[Site]:
    """The sites the person manages (404 if none); giving roles needs a fresh code."""
    sites = selectors.managed_sites(request.user)
    if not sites:
        raise Http404
    require_step_up(request)
    return sites


@require_GET
@login_required
def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    everyone = selectors.people_at_sites(user=request.user)
    waiting = selectors.roles_waiting_for(user=request.user)
    audit_event(
        actor=request.user, event=Event.LISTED, obj=User, request=request, tier=Tier.ACCESS,
        reason="People and their roles",
    )  # fmt: skip
    context = {
        "everyone": everyone,
        "waiting": waiting,
        "may_add": bool(selectors.managed_sites(request.user)),
    }
    return render(request, "access/people/people.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def person_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    sites = _sites(request)
    form = PersonForm(request.POST or None, sites=sites, roles=ROLES)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.person_add(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{membership.user} is added. The link to choose a password is e-mailed."
            )
            return redirect("person_roles", person_id=membership.user_id)
    return render(
        request, "access/people/person_new.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def person_roles(request: AuthenticatedHttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, memberships = selectors.person_get_for_people_page(user=request.user, person_id=person_id)
    sites = selectors.managed_sites(request.user)
    form = RoleForm(request.POST or None, sites=sites, roles=ROLES)
    if request.method == "POST":
        require_step_up(request)
        if form.is_valid():
            try:
                services.membership_give(actor=request.user, user=person, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "The role is given.")
                return redirect("person_roles", person_id=person.pk)
    for membership in memberships:
        membership.may_confirm = services.may_confirm(request.user, membership)  # type: ignore[attr-defined]
        membership.may_end = membership.site in sites and person.pk != request.user.pk  # type: ignore[attr-defined]
    audit_event(
        actor=request.user, event=Event.VIEWED, obj=person, request=request, tier=Tier.ACCESS,
        reason="A person's roles",
    )  # fmt: skip
    context = {
        "person": person,
        "memberships": memberships,
        "form": form if sites else None,
        "me": request.user,
    }
    return render(request, "access/people/person_roles.html", context, status=400 if form.errors else 200)


def _membership(request: AuthenticatedHttpRequest, membership_id: uuid.UUID) -> Membership:
    membership = selectors.membership_get_for_people_page(user=request.user, membership_id=membership_id)
    require_step_up(request, then=f"/people/{membership.user_id}/roles/")
    return membership


@require_POST
@login_required
def membership_confirm(request: AuthenticatedHttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    membership = _membership(request, membership_id)
    services.membership_confirm(actor=request.user, membership=membership)
    messages.success(request, f"Confirmed: {membership.user} is {Role(membership.role).label.lower()} now.")
    return redirect("person_roles", person_id=membership.user_id)


@require_POST
@login_required
def membership_end(request: AuthenticatedHttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    membership = _membership(request, membership_id)
    try:
        services.membership_end(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The role is ended. What it opened is closed now.")
    return redirect("person_roles", person_id=membership.user_id)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Choosing a password from the e-mailed link (Django's own, one use, time-limited)."""

    template_name = "access/people/set_password.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, "Your password is set. Sign in, then set up two-factor sign-in.")
        return super().form_valid(form)
