"""The parents' side of sharing: their children's consents (give one, withdraw one,
keep a copy) and what was shared about them, and with whom. A disclosure with a
safeguarding basis, or to the police or social care, is not shown until the DSL
releases it; the page never says that one exists."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from access import selectors
from audit.models import Event, Tier
from audit.services import audit_event
from portal.views.pages import PortalHttpRequest, portal_page
from records.models import Child
from sharing import pdf
from sharing import services as sharing_services
from sharing.forms import PortalConsentForm, PortalWithdrawForm
from sharing.models import Consent
from submissions.decorators import submitted_once


def _sharing_page(
    request: PortalHttpRequest, child: Child, form: PortalConsentForm | None = None
) -> HttpResponse:
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=child,
        request=request,
        child_id=child.pk,
        tier=Tier.GENERAL,
        reason="Portal: consents and sharing",
    )
    context = {
        "child": child,
        "consents": list(selectors.portal_consents(child=child)),
        "disclosures": list(selectors.portal_disclosures(user=request.user, child=child)),
        "form": form or PortalConsentForm(),
        "statement": sharing_services.PORTAL_STATEMENT,
    }
    return render(request, "portal/sharing.html", context, status=400 if form else 200)


@require_GET
@portal_page
def portal_sharing(request: PortalHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    return _sharing_page(request, selectors.portal_child_get(user=request.user, child_id=child_id))


@require_POST
@portal_page
@submitted_once
def portal_consent_give(request: PortalHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.portal_child_get(user=request.user, child_id=child_id)
    form = PortalConsentForm(request.POST)
    if form.is_valid():
        try:
            consent = sharing_services.consent_give_in_portal(
                actor=request.user, child=child, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Thank you. Staff will confirm your consent; until then nothing is shared on it."
            )
            return redirect("portal_consent", consent_id=consent.pk)
    return _sharing_page(request, child, form)


def _consent_page(
    request: PortalHttpRequest, consent: Consent, form: PortalWithdrawForm | None = None
) -> HttpResponse:
    audit_event(
        actor=request.user,
        event=Event.VIEWED,
        obj=consent,
        request=request,
        child_id=consent.child_id,
        tier=Tier.GENERAL,
        reason="Portal: a consent",
    )
    open_ = consent.status in (Consent.Status.ACTIVE, Consent.Status.AWAITING_CONFIRMATION)
    context = {
        "consent": consent,
        "child": consent.child,
        "form": form or (PortalWithdrawForm() if open_ else None),
    }
    return render(request, "portal/consent.html", context, status=400 if form else 200)


@require_GET
@portal_page
def portal_consent(request: PortalHttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    return _consent_page(request, selectors.portal_consent_get(user=request.user, consent_id=consent_id))


@require_POST
@portal_page
def portal_consent_withdraw(request: PortalHttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    consent = selectors.portal_consent_get(user=request.user, consent_id=consent_id)
    form = PortalWithdrawForm(request.POST)
    if form.is_valid():
        try:
            sharing_services.consent_withdraw(actor=request.user, consent=consent)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your consent is withdrawn, from now. Nothing more is shared on it.")
            return redirect("portal_consent", consent_id=consent.pk)
    return _consent_page(request, consent, form)


def consent_lines(consent: Consent) -> list[tuple[str, str]]:
    """A consent in words, for the parent's copy."""
    lines = [
        ("Child", consent.child.full_name),
        ("Setting", consent.child.site.name),
        ("Given by", consent.given_by.carer.full_name),
        ("Given on", f"{timezone.localtime(consent.given_at):%-d %B %Y}"),
        ("How", consent.get_method_display()),
        (
            "For",
            ", ".join(consent.purpose_labels)
            + (f": {consent.purpose_detail}" if consent.purpose_detail else ""),
        ),
        ("Information", ", ".join(consent.category_labels)),
        ("With", ", ".join([*consent.kind_labels, *(r.label for r in consent.recipients.all())])),
        ("Form", consent.form_version),
        ("Until", f"{consent.expires_on:%-d %B %Y}"),
        ("Status", consent.get_status_display()),
    ]
    if consent.withdrawn_at is not None:
        by = consent.withdrawn_by.carer.full_name if consent.withdrawn_by else ""
        lines.append(("Withdrawn", f"{timezone.localtime(consent.withdrawn_at):%-d %B %Y} by {by}"))
    return lines


@require_GET
@portal_page
def portal_consent_pdf(request: PortalHttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    consent = selectors.portal_consent_get(user=request.user, consent_id=consent_id)
    data = pdf.consent_copy_pdf(
        consent=consent, lines=consent_lines(consent), for_whom=request.carer.full_name
    )
    audit_event(
        actor=request.user,
        event=Event.EXPORTED,
        obj=consent,
        request=request,
        child_id=consent.child_id,
        tier=Tier.GENERAL,
        reason="Portal: copy of a consent as PDF",
    )
    response = HttpResponse(data, content_type="application/pdf")
    name = f"consent-{consent.pk.hex[:8]}.pdf"
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=name) or "attachment"
    )
    return response
