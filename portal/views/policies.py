"""The setting's privacy notice and the policies it publishes to parents: shown at a
parent's first sign-in, and again when one changes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from governance import selectors, services
from portal.views.pages import PortalHttpRequest, portal_page


@require_http_methods(["GET", "POST"])
@portal_page
def portal_policies(request: PortalHttpRequest) -> HttpResponse:
    versions = selectors.current_for_parents()
    if request.method == "POST":
        services.parent_notices_seen(actor=request.user, versions=versions)
        messages.success(request, "Thank you. You can read these again at any time from this page.")
        return redirect("portal_home")
    unseen = {v.pk for v in selectors.parent_notices_unseen(user=request.user)}
    return render(request, "portal/policies.html", {"versions": versions, "unseen": unseen})
