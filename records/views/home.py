"""Each person's home: what is waiting for them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from access import policy
from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from audit.models import Event, Tier
from audit.services import audit_event
from governance import selectors as governance_selectors
from records import selectors
from records.models import Child
from sharing import selectors as sharing_selectors

# How many items of each queue the home page shows; the queue's own page has them all.
SHOWN = 10


@require_GET
@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What is waiting for this person: their key children and messages, the
    sign-off queue, open concerns, their sites' numbers."""
    user = request.user
    standing = policy.standing_of(user)
    manages = [s for s in standing.site_ids if standing.has_any(policy.MANAGEMENT, s)]
    waiting = selectors.sign_off_waiting(user=user, standing=standing)
    concerns = selectors.open_concerns(user=user, standing=standing)
    context = {
        "child_count": selectors.child_count(user=user),
        "may_see_audit": bool(access_selectors.audit_sites(standing)),
        "key_children": selectors.key_children(user=user),
        "notes": selectors.unread_notifications(user=user, limit=5),
        "sign_off_queue": selectors.flag_overdue(waiting[:SHOWN]),
        "sign_off_count": waiting.count(),
        "returned": selectors.returned_to_me(user=user),
        "concern_queue": list(concerns[:SHOWN]),
        "concern_count": concerns.count(),
        "may_decide_corrections": bool(manages),
        "site_numbers": selectors.site_numbers(user=user, standing=standing),
        "overdue": selectors.overdue_sign_offs(user=user, standing=standing),
        "concerns_raised": selectors.concerns_raised_by(user=user),
        "access_requests": access_selectors.pending_access_requests(standing=standing),
        "sharing": sharing_selectors.home_sharing(user=user, standing=standing),
    }
    panels = governance_selectors.home_panels(user=user)
    context |= {"governance": panels, "staff_checks": panels["inductions"] or panels["training"]}
    lists = (
        "key_children",
        "sign_off_queue",
        "returned",
        "concern_queue",
        "overdue",
        "access_requests",
        "staff_checks",
        "sharing",
        "notes",
    )
    if any(context[name] for name in lists):
        # Names are shown: an entry, without saying what kinds of list were shown.
        audit_event(
            actor=user, event=Event.LISTED, obj=Child, request=request, tier=Tier.NONE, reason="Home page"
        )
    return render(request, "records/home.html", context)
