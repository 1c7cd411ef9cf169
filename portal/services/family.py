"""What parents send the setting: information for sign-off, comments on shared records, corrections."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import MANAGEMENT, User
from access.selectors import portal_carer
from access.selectors.people import people_with_role
from records.models import (
    Addendum,
    Carer,
    Category,
    Child,
    CorrectionRequest,
    Record,
    Source,
)
from records.services.entries import addendum_create, ask_for_sign_off, child_of, record_create
from records.services.notifications import notify
from records.services.sign_off import key_people_to_tell


def _portal_carer(actor: User) -> Carer:
    carer = portal_carer(actor)
    if carer is None:
        raise PermissionDenied
    return carer


def _portal_child_check(actor: User, child: Child) -> None:
    if not Child.objects.filter(policy.portal_child_filter(actor), pk=child.pk).exists():
        raise PermissionDenied


@transaction.atomic
def portal_send_information(*, actor: User, child: Child, title: str, body: str) -> Record:
    """A parent tells the setting something: it becomes family information,
    awaiting sign-off by senior staff; the parent sees its status."""
    carer = _portal_carer(actor)
    _portal_child_check(actor, child)
    if not (body or "").strip():
        raise ValidationError({"body": "Write what you would like to tell the setting."})
    record = record_create(
        actor=actor,
        child=child,
        category=Category.FAMILY_INFORMATION,
        title=title.strip(),
        body=body.strip(),
        occurred_at=timezone.now(),
        source=Source.PARENT,
        source_name=carer.full_name,
        details={"who": carer.full_name},
    )
    ask_for_sign_off(actor=actor, record=record)
    return record


@transaction.atomic
def portal_comment(*, actor: User, record: Record, text: str) -> Addendum:
    """A parent's comment on a record shared with them (EYFS: parents' comments
    are added to records). The child's key people are told."""
    _portal_carer(actor)
    visible = Record.objects.filter(
        policy.portal_record_filter(actor), pk=record.pk, visible_to_parents=True
    ).exists()
    if not visible:
        raise PermissionDenied
    if not (text or "").strip():
        raise ValidationError({"text": "Write your comment."})
    addendum = addendum_create(actor=actor, record=record, kind=Addendum.Kind.PARENT_COMMENT, text=text)
    notify(
        recipients=key_people_to_tell(child_of(record)),
        message="A parent or carer commented on a record of one of your key children.",
        url=reverse("record_detail", args=[record.pk]),
        child=record.child,
    )
    return addendum


@transaction.atomic
def correction_request(
    *, actor: User, child: Child, field: str, proposed: str, note: str = ""
) -> CorrectionRequest:
    carer = _portal_carer(actor)
    _portal_child_check(actor, child)
    if field not in CorrectionRequest.Field.values:
        raise ValidationError({"field": "Choose what needs correcting."})
    if not (proposed or "").strip():
        raise ValidationError({"proposed": "Write the correct information."})
    request = CorrectionRequest(
        child=child,
        carer=carer,
        field=field,
        proposed=proposed.strip(),
        note=(note or "").strip(),
        requested_by=actor,
    )
    request.full_clean()
    request.save()
    managers = (
        people_with_role(site_id=child.site_id, roles=MANAGEMENT)
        .exclude(policy.kept_out_of(child))
        .distinct()
    )
    notify(
        recipients=list(managers),
        message=f"A parent asked for a correction to a child's details at {child.site.name}.",
        url=reverse("correction_queue"),
        child=child,
    )
    return request
