"""The staff side of the portal: the child's manager invites a carer, or turns
their account off. Both are buttons on the child's file."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from access import policy, selectors
from access.http import AuthenticatedHttpRequest
from portal import services
from records.models import ChildCarer


def _carer_link_for_manager(
    request: AuthenticatedHttpRequest, child_id: uuid.UUID, link_id: uuid.UUID
) -> ChildCarer:
    """A carer of a child whose access this person manages; 404 otherwise."""
    child = selectors.child_get_for_user(user=request.user, child_id=child_id)
    link = child.carer_links.select_related("carer__user").filter(pk=link_id).first()
    if link is None or not policy.may_manage_access(policy.standing_of(request.user), child):
        raise Http404
    link.child = child
    return link


@require_POST
@login_required
def portal_invite(request: AuthenticatedHttpRequest, child_id: uuid.UUID, link_id: uuid.UUID) -> HttpResponse:
    """The manager sends a carer a single-use link to set up a portal account."""
    link = _carer_link_for_manager(request, child_id, link_id)
    try:
        services.portal_invite(actor=request.user, child=link.child, link=link)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The invitation has been sent by email. The link lasts 7 days.")
    return redirect("child_file", child_id=link.child_id)


@require_POST
@login_required
def portal_disable(
    request: AuthenticatedHttpRequest, child_id: uuid.UUID, link_id: uuid.UUID
) -> HttpResponse:
    """The manager turns a carer's portal account off; its sessions end at once."""
    link = _carer_link_for_manager(request, child_id, link_id)
    try:
        services.portal_account_disable(actor=request.user, carer=link.carer)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The portal account is turned off; it was signed out everywhere.")
    return redirect("child_file", child_id=link.child_id)
