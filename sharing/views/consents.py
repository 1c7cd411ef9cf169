"""The consent register on the staff side: recording, confirming and withdrawing."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import policy
from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Child, ChildCarer
from sharing import services
from sharing.forms import ConfirmConsentForm, ConsentForm, WithdrawConsentForm
from sharing.models import Consent
from sharing.views.common import child_for
from submissions.decorators import submitted_once


def _consent_for_user(
    request: AuthenticatedHttpRequest, consent_id: uuid.UUID, *, write: bool = False
) -> Consent:
    consent = access_selectors.consent_get_for_user(user=request.user, consent_id=consent_id)
    if write and not policy.may_keep_consents(policy.standing_of(request.user), consent.child):
        raise Http404
    return consent


def _links(child: Child) -> list[ChildCarer]:
    return list(child.carer_links.select_related("carer").order_by("-parental_responsibility"))


def _consent_form(request: AuthenticatedHttpRequest, child: Child) -> ConsentForm:
    return ConsentForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        links=_links(child),
        recipients=list(access_selectors.recipients_for_sharing(child=child)),
        witnesses=access_selectors.staff_at_site(site_id=child.site_id),
    )


@require_http_methods(["GET", "POST"])
@login_required
@submitted_once
def consent_add(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_for(request, child_id, may=policy.may_keep_consents)
    form = _consent_form(request, child)
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.consent_record(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The consent is recorded in the register.")
            return redirect("consent_detail", consent_id=consent.pk)
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL,
        reason="Record-a-consent page (carers' names)",
    )
    context = {"child": child, "form": form}
    return render(request, "sharing/consent_form.html", context, status=400 if form.errors else 200)


def _consent_page(request: AuthenticatedHttpRequest, consent: Consent, **forms: Any) -> HttpResponse:
    may_keep = policy.may_keep_consents(policy.standing_of(request.user), consent.child)
    open_ = consent.status in (Consent.Status.ACTIVE, Consent.Status.AWAITING_CONFIRMATION)
    waiting = consent.status == Consent.Status.AWAITING_CONFIRMATION
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=consent,
        request=request,
        child_id=consent.child_id,
        tier=Tier.GENERAL,
        reason="Consent",
    )
    context = {
        "consent": consent,
        "child": consent.child,
        "disclosures": list(consent.disclosures.select_related("recipient").order_by("-created_at")[:20]),
        "confirm_form": forms.get("confirm_form") or (ConfirmConsentForm() if may_keep and waiting else None),
        "withdraw_form": forms.get("withdraw_form")
        or (WithdrawConsentForm(links=_links(consent.child)) if may_keep and open_ else None),
    }
    return render(request, "sharing/consent_detail.html", context, status=400 if forms else 200)


@require_GET
@login_required
def consent_detail(request: AuthenticatedHttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    return _consent_page(request, _consent_for_user(request, consent_id))


@require_POST
@login_required
def consent_confirm(request: AuthenticatedHttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    consent = _consent_for_user(request, consent_id, write=True)
    form = ConfirmConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_confirm(actor=request.user, consent=consent, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Recorded. The parent sees it in the portal.")
            return redirect("consent_detail", consent_id=consent.pk)
    return _consent_page(request, consent, confirm_form=form)


@require_POST
@login_required
def consent_withdraw(request: AuthenticatedHttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    consent = _consent_for_user(request, consent_id, write=True)
    form = WithdrawConsentForm(request.POST, links=_links(consent.child))
    if form.is_valid():
        try:
            services.consent_withdraw(actor=request.user, consent=consent, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Withdrawn, from now: nothing more is shared on this consent.")
            return redirect("consent_detail", consent_id=consent.pk)
    return _consent_page(request, consent, withdraw_form=form)
