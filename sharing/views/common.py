"""What the sharing pages share: fetching a child or a share for the person, or 404."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import Http404

from access import policy
from access import selectors as access_selectors
from access.http import AuthenticatedHttpRequest
from access.views.step_up import require_step_up
from records.models import Child, Tier
from sharing.models import Disclosure

ChildRule = Callable[[policy.Standing, Child], bool]


def child_for(
    request: AuthenticatedHttpRequest, child_id: uuid.UUID, *, may: ChildRule | None = None
) -> Child:
    """A child whose file this person may read (and, with `may`, act on so); 404 otherwise."""
    child = access_selectors.child_get_for_user(user=request.user, child_id=child_id)
    if may is not None and not may(policy.standing_of(request.user), child):
        raise Http404
    return child


def disclosure_for(request: AuthenticatedHttpRequest, disclosure_id: uuid.UUID) -> Disclosure:
    """A disclosure this person may see; a safeguarding one after a fresh two-factor code."""
    disclosure = access_selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)
    if disclosure.tier == Tier.SAFEGUARDING:
        require_step_up(request, then=f"/disclosures/{disclosure.pk}/")
    return disclosure


def filename_part(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())[:20] or "file"
