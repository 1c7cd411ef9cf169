"""Where and when a site's files are read: the manager's settings and registered devices,
and opening closed files with a reason (managers and safeguarding leads)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from access import policy
from access import selectors as access_selectors
from access.forms import FilesOpenForm, SiteDeviceForm, WhereAndWhenForm
from access.http import AuthenticatedHttpRequest
from access.models import MANAGERS, SiteDevice
from access.policy.circumstances import OPENERS
from access.services import where_and_when as services
from access.views.step_up import require_step_up
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Site


def _site_for_manager(request: AuthenticatedHttpRequest, site_id: uuid.UUID) -> Site:
    site = access_selectors.site_get_for(user=request.user, site_id=site_id, roles=MANAGERS)
    require_step_up(request)
    return site


def _device_for_manager(request: AuthenticatedHttpRequest, device_id: uuid.UUID) -> SiteDevice:
    device = access_selectors.site_device_get_for_manager(user=request.user, device_id=device_id)
    require_step_up(request)
    return device


def _page(
    request: AuthenticatedHttpRequest,
    site: Site,
    *,
    form: WhereAndWhenForm | None = None,
    device_form: SiteDeviceForm | None = None,
) -> HttpResponse:
    rules = services.rules_for(site)
    form = form or WhereAndWhenForm(
        initial={
            "guard_files": rules.guard_files,
            "open_days": list(rules.open_days),
            "opens_at": rules.opens_at,
            "closes_at": rules.closes_at,
            "margin_minutes": rules.margin_minutes,
            "require_device": rules.require_device,
            "allowed_networks": rules.allowed_networks,
        }
    )
    here = set(services.device_secrets(request))
    devices = access_selectors.site_devices(site=site, secrets=here)
    context = {"site": site, "form": form, "device_form": device_form or SiteDeviceForm(), "devices": devices}
    failed = form.errors or (device_form is not None and device_form.errors)
    # The page names the managers who registered each device.
    audit_event(
        actor=request.user, event=Event.VIEWED, obj=site, request=request, tier=Tier.ACCESS,
        reason="Where and when files are read",
    )  # fmt: skip
    return render(request, "access/where_and_when.html", context, status=400 if failed else 200)


@require_http_methods(["GET", "POST"])
@login_required
def where_and_when(request: AuthenticatedHttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = _site_for_manager(request, site_id)
    form = WhereAndWhenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.where_and_when_update(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved. The rules apply from the next page anyone opens.")
            return redirect("where_and_when", site_id=site.pk)
    return _page(request, site, form=form if form.is_bound else None)


@require_POST
@login_required
def site_device_add(request: AuthenticatedHttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = _site_for_manager(request, site_id)
    device_form = SiteDeviceForm(request.POST)
    if device_form.is_valid():
        response = redirect("where_and_when", site_id=site.pk)
        try:
            services.site_device_register(
                actor=request.user, site=site, request=request, response=response, **device_form.cleaned_data
            )
        except ValidationError as error:
            device_form.add_error(None, error)
        else:
            messages.success(request, "This browser is now one of the setting's devices.")
            return response
    return _page(request, site, device_form=device_form)


@require_POST
@login_required
def site_device_revoke(request: AuthenticatedHttpRequest, device_id: uuid.UUID) -> HttpResponse:
    device = _device_for_manager(request, device_id)
    services.site_device_revoke(actor=request.user, device=device)
    messages.success(request, f"“{device.name}” is no longer one of the setting's devices.")
    return redirect("where_and_when", site_id=device.site_id)


@require_http_methods(["GET", "POST"])
@login_required
def files_open(request: AuthenticatedHttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """A manager or safeguarding lead opens a closed site's files for an hour, saying why."""
    site = access_selectors.site_get_for(user=request.user, site_id=site_id, roles=OPENERS)
    if site.pk not in policy.standing_of(request.user).closed_sites:
        raise Http404  # nothing to open
    form = FilesOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            until = services.files_open_with_reason(
                actor=request.user, site=site, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            until = timezone.localtime(until)
            messages.success(request, f"{site.name}'s files are open to you until {until:%H:%M}.")
            return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "access/files_open.html", {"site": site, "form": form}, status=status)
