"""Asking the manager for access to a child's file, and the answer."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import (
    MANAGERS,
    AccessRequest,
    Scope,
    User,
)
from access.selectors.people import people_with_role
from access.services.common import is_conflicted, require
from access.services.grants import grant_child_access
from audit.models import Event
from audit.models import Tier as AuditTier
from audit.services import audit_event
from records.models import Child
from records.services.notifications import notify


@transaction.atomic
def access_request_create(*, actor: User, child: Child, reason: str) -> AccessRequest:
    """A member of staff at the child's setting asks the manager for access."""
    standing = policy.standing_of(actor)
    require(standing.is_staff_at(child.site_id))
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why you need to know."})
    if Child.objects.filter(policy.child_filter(actor), pk=child.pk).exists():
        raise ValidationError("You can already read this child's file.")
    if is_conflicted(actor, child):
        raise ValidationError("You have a conflict of interest with this child, so cannot be given access.")
    pending = AccessRequest.objects.filter(child=child, requester=actor, status=AccessRequest.Status.PENDING)
    if pending.exists():
        raise ValidationError("You have already asked; the manager has your request.")
    request = AccessRequest(child=child, requester=actor, reason=reason.strip())
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # the same request sent twice at once
        raise ValidationError("You have already asked; the manager has your request.") from None
    notify(
        recipients=access_request_deciders(child),
        message=f"A member of staff asked for access to a child's file at {child.site.name}.",
        url=reverse("access_request_decide", args=[request.pk]),
        child=child,
    )
    return request


def access_request_deciders(child: Child) -> list[User]:
    """Whom to tell about a request: the managers of the child's setting."""
    return list(
        people_with_role(site_id=child.site_id, roles=MANAGERS).exclude(policy.kept_out_of(child)).distinct()
    )


@transaction.atomic
def access_request_decide(
    *,
    actor: User,
    request: AccessRequest,
    approve: bool,
    note: str = "",
    expires_at: datetime.datetime | None = None,
) -> AccessRequest:
    """The manager grants (an ordinary grant, with the request's reason) or declines with a note."""
    request = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("child__site", "requester")
        .get(pk=request.pk)
    )
    require(policy.may_manage_access(policy.standing_of(actor), request.child))
    if request.status != AccessRequest.Status.PENDING:
        raise ValidationError("This request has already been decided.")
    if approve:
        request.grant = grant_child_access(
            actor=actor,
            child=request.child,
            grantee=request.requester,
            scope=Scope.CHILD_FILE,
            reason=request.reason,
            expires_at=expires_at,
        )
        request.status = AccessRequest.Status.GRANTED
    else:
        if not (note or "").strip():
            raise ValidationError({"note": "Say why access is not given; the person asking will see it."})
        request.status = AccessRequest.Status.DECLINED
        audit_event(
            actor=actor,
            event=Event.UPDATED,
            obj=request,
            child_id=request.child_id,
            tier=AuditTier.ACCESS,
            reason="Access request declined",
        )
    request.decided_by, request.decided_at = actor, timezone.now()
    request.decision_note = (note or "").strip()
    request.save()
    outcome = "granted" if approve else "declined"
    notify(
        recipients=[request.requester],
        message=f"Your request for access to a child's file was {outcome}.",
        url=reverse("child_file", args=[request.child_id]) if approve else reverse("access_request_start"),
        child=request.child,
    )
    return request
