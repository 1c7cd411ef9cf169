"""Find a child as you type: the search box in every staff page's header.

What is typed is POSTed (never in a URL or a server log). With JavaScript the box asks
as you type and shows the matches under it; without, the form opens this page with them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from access.http import AuthenticatedHttpRequest
from audit.models import Event, Tier
from audit.services import audit_event
from records import selectors
from records.forms.lists import ChildFindForm
from records.models import Child

# Sent by the header's script: answer with the list alone, not a whole page.
FRAGMENT_HEADER = "X-Confide-Find"


@require_http_methods(["GET", "POST"])
@login_required
def child_find(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ChildFindForm(request.POST or None)
    found = selectors.child_find(user=request.user, text=form.cleaned_data["q"]) if form.is_valid() else []
    if form.is_bound:
        # What was typed is never stored: it is a name, or part of one.
        audit_event(
            actor=request.user, event=Event.SEARCHED, obj=Child, request=request, tier=Tier.NONE,
            reason=f"Find a child: {len(found)} shown",
        )  # fmt: skip
    context = {"form": form, "found": found, "searched": form.is_bound, "short": selectors.FIND_MIN_LETTERS}
    if request.headers.get(FRAGMENT_HEADER):
        return render(request, "records/includes/find_results.html", context)
    return render(request, "records/child_find.html", context, status=400 if form.errors else 200)
