"""Corrections parents asked for, decided by management."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from access import policy
from access.models import User
from records.models import (
    Carer,
    Child,
    CorrectionRequest,
)


def _correction_target(request: CorrectionRequest) -> tuple[Child | Carer, str]:
    owner, name = request.field.split(".")
    return (request.child if owner == "child" else request.carer), name


@transaction.atomic
def correction_decide(
    *, actor: User, request: CorrectionRequest, approve: bool, note: str = ""
) -> CorrectionRequest:
    """Management approves (the details are changed) or declines, with a note
    the parent sees."""
    request = (
        CorrectionRequest.objects.select_for_update(of=("self",))
        .select_related("child", "carer")
        .get(pk=request.pk)
    )
    if not policy.may_decide_corrections(policy.standing_of(actor), request.child):
        raise PermissionDenied
    if request.status != CorrectionRequest.Status.PENDING:
        raise ValidationError("This request has already been decided.")
    if not approve and not (note or "").strip():
        raise ValidationError({"note": "Say why the details are not being changed; the parent will see it."})
    if approve:
        target, name = _correction_target(request)
        setattr(target, name, request.proposed)
        try:
            target.full_clean()
        except ValidationError as error:
            raise ValidationError(
                [
                    "The corrected value cannot be saved as it is: "
                    + " ".join(error.messages)
                    + " Decline it with a note, or correct the details yourself."
                ]
            ) from None
        target.save()
    request.status = CorrectionRequest.Status.APPROVED if approve else CorrectionRequest.Status.DECLINED
    request.decided_by, request.decided_at = actor, timezone.now()
    request.decision_note = (note or "").strip()
    request.save()
    return request
