"""Sign-in help, for a site's managers, the technical admin and the confirmers: who is
locked out (unlock them), who has two-factor, and resets of a lost device, each asked
for by one person and confirmed by a second."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy
from access.forms import TwoFactorResetForm
from access.http import AuthenticatedHttpRequest
from access.models import TwoFactorReset, User
from access.selectors import signin as selectors
from access.services import lockout, two_factor, two_factor_resets
from access.views.step_up import step_up_required
from audit.models import Event, Tier
from audit.services import audit_event


def _sites(request: AuthenticatedHttpRequest) -> frozenset[uuid.UUID]:
    sites = selectors.sign_in_help_sites(policy.facts_of(request.user))
    if not sites:
        raise Http404
    return sites


def _person_for_helper(request: AuthenticatedHttpRequest, user_id: uuid.UUID) -> User:
    person = selectors.person_at(_sites(request), user_id)
    if person is None:
        raise Http404
    return person


def _reset_for_helper(request: AuthenticatedHttpRequest, reset_id: uuid.UUID) -> TwoFactorReset:
    reset = selectors.reset_at(_sites(request), reset_id)
    if reset is None:
        raise Http404
    return reset


@require_GET
@login_required
@step_up_required
def sign_in_help(request: AuthenticatedHttpRequest) -> HttpResponse:
    sites = _sites(request)
    people = selectors.people_at(sites)
    resets = selectors.resets_waiting(sites)
    for reset in resets:
        reset.may_confirm = two_factor_resets.may_confirm_reset(request.user, reset)  # type: ignore[attr-defined]
        reset.may_cancel = reset.may_confirm or reset.requested_by_id == request.user.pk  # type: ignore[attr-defined]
    context = {
        "people": people,
        "locked": lockout.locked_people(people),
        "with_device": two_factor.people_with_device(people),
        "resets": resets,
        "waiting_for": {r.user_id for r in resets},
        "me": request.user.pk,
    }
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=User,
        request=request,
        tier=Tier.NONE,
        reason="Sign-in help",
    )
    return render(request, "access/signin/sign_in_help.html", context)


@require_POST
@login_required
@step_up_required
def unlock(request: AuthenticatedHttpRequest, user_id: uuid.UUID) -> HttpResponse:
    person = _person_for_helper(request, user_id)
    lockout.sign_in_unlock(actor=request.user, user=person, request=request)
    messages.success(request, f"{person} can sign in again.")
    return redirect("sign_in_help")


@require_http_methods(["GET", "POST"])
@login_required
@step_up_required
def two_factor_reset_new(request: AuthenticatedHttpRequest, user_id: uuid.UUID) -> HttpResponse:
    person = _person_for_helper(request, user_id)
    if not two_factor_resets.may_request_reset(request.user, person):
        raise Http404
    form = TwoFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_resets.two_factor_reset_request(
                actor=request.user, user=person, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Asked. A second person must confirm the reset for {person}.")
            return redirect("sign_in_help")
    audit_event(
        actor=request.user, event=Event.VIEWED, obj=person, request=request, tier=Tier.NONE,
        reason="Two-factor reset page",
    )  # fmt: skip
    context = {"person": person, "form": form}
    return render(request, "access/signin/two_factor_reset.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
@step_up_required
def two_factor_reset_confirm(request: AuthenticatedHttpRequest, reset_id: uuid.UUID) -> HttpResponse:
    reset = _reset_for_helper(request, reset_id)
    two_factor_resets.two_factor_reset_confirm(actor=request.user, reset=reset, request=request)
    messages.success(request, f"Reset. {reset.user} sets up a new authenticator when they next sign in.")
    return redirect("sign_in_help")


@require_POST
@login_required
@step_up_required
def two_factor_reset_cancel(request: AuthenticatedHttpRequest, reset_id: uuid.UUID) -> HttpResponse:
    reset = _reset_for_helper(request, reset_id)
    two_factor_resets.two_factor_reset_cancel(actor=request.user, reset=reset, request=request)
    messages.success(request, "The reset is cancelled.")
    return redirect("sign_in_help")
