"""Management's queues: information waiting for sign-off, and corrections parents asked for."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from access import policy
from access.http import AuthenticatedHttpRequest
from audit.models import Event, Tier
from audit.services import audit_event
from records import selectors, services
from records.forms import CorrectionDecisionForm
from records.models import CorrectionRequest, Record

QUEUE_PAGE_SIZE = 25


@require_GET
@login_required
def sign_off_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    waiting = selectors.sign_off_waiting(user=request.user, standing=policy.standing_of(request.user))
    page = Paginator(waiting, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    queue = selectors.flag_overdue(page)
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=Record,
        request=request,
        tier=Tier.NONE,
        reason=f"Sign-off queue: {len(queue)} shown",
    )
    return render(request, "records/sign_off_queue.html", {"queue": queue, "page": page})


def _corrections_page(
    request: AuthenticatedHttpRequest,
    pending: list[CorrectionRequest],
    bound: CorrectionDecisionForm | None = None,
) -> HttpResponse:
    """The queue, one decision form per request; one shown again with its errors if there is one."""
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=CorrectionRequest,
        request=request,
        tier=Tier.NONE,
        reason=f"Correction requests: {len(pending)} shown",
    )
    forms = {r.pk: CorrectionDecisionForm(prefix=str(r.pk)) for r in pending}
    if bound is not None:
        forms[uuid.UUID(bound.prefix)] = bound
    context = {"pending": pending, "forms": forms}
    return render(request, "records/correction_queue.html", context, status=400 if bound else 200)


@require_GET
@login_required
def correction_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Corrections parents asked for, at the sites the person manages."""
    return _corrections_page(
        request, selectors.correction_queue(user=request.user, standing=policy.standing_of(request.user))
    )


@require_POST
@login_required
def correction_decide(request: AuthenticatedHttpRequest, correction_id: uuid.UUID) -> HttpResponse:
    pending = selectors.correction_queue(user=request.user, standing=policy.standing_of(request.user))
    correction = next((r for r in pending if r.pk == correction_id), None)
    if correction is None:
        raise Http404
    form = CorrectionDecisionForm(request.POST, prefix=str(correction.pk))
    if form.is_valid():
        try:
            services.correction_decide(actor=request.user, request=correction, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Decided. The parent sees the outcome in the portal.")
            return redirect("correction_queue")
    return _corrections_page(request, pending, bound=form)
