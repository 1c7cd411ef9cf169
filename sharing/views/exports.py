"""Bulk export for an inspection or a transfer: one tier, a reason, a watermarked PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from access import policy
from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from access.views.step_up import require_step_up
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Child
from sharing import selectors, services
from sharing.forms import ExportForm
from sharing.models import ExportTier


@require_http_methods(["GET", "POST"])
@login_required
def bulk_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    standing = policy.standing_of(request.user)
    offered = [t for t in ExportTier if policy.bulk_export_sites(standing, t)]
    tier = request.GET.get("tier") or (offered[0] if offered else "")
    sites = sorted(policy.bulk_export_sites(standing, tier))
    if not sites:
        raise Http404
    require_step_up(request, then=request.get_full_path())  # files leave the setting: a fresh code
    site_list = selectors.sites_of(sites)
    children = (
        []
        if tier == ExportTier.PERSONNEL
        else list(
            access_selectors.children_for(request.user).filter(site_id__in=sites).order_by("site", "pk")
        )
    )
    form = ExportForm(
        request.POST if request.method == "POST" else None, sites=site_list, children=children, tier=tier
    )
    if request.method == "POST" and form.is_valid():
        try:
            export, data = services.bulk_export(actor=request.user, tier=tier, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = HttpResponse(data, content_type="application/pdf")
            name = f"export-{tier}-{timezone.localtime(export.exported_at):%Y%m%d-%H%M}.pdf"
            response["Content-Disposition"] = (
                content_disposition_header(as_attachment=True, filename=name) or "attachment"
            )
            return response
    audit_event(
        actor=request.user,
        event=Event.LISTED,
        obj=Child,
        request=request,
        tier=Tier.NONE,
        reason=f"Bulk export page ({tier}): {len(children)} children offered",
    )
    context = {
        "form": form,
        "tier": ExportTier(tier),
        "past": selectors.past_exports(sites=sites, tier=tier),
    }
    return render(request, "sharing/export_form.html", context, status=400 if form.errors else 200)
