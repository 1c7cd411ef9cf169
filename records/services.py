"""Writes to the files. Each is one transaction and leaves its audit entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from audit.models import Event
from audit.services import audit_event
from records import attachments
from records.models import Attachment, Child, Record, StaffMember


@transaction.atomic
def record_create(
    *,
    actor: Any,
    category: str,
    title: str,
    occurred_at: datetime.datetime,
    body: str = "",
    child: Child | None = None,
    staff_member: StaffMember | None = None,
    source: str = "staff",
    source_name: str = "",
    requested_tier: str | None = None,
    status: str = Record.Status.ACTIVE,
) -> Record:
    record = Record(
        child=child,
        staff_member=staff_member,
        category=category,
        tier=Record.tier_for(
            category=category, in_staff_file=staff_member is not None, requested=requested_tier
        ),
        title=title,
        body=body,
        occurred_at=occurred_at,
        author=actor,
        source=source,
        source_name=source_name,
        status=status,
    )
    record.full_clean()
    record.save()
    audit_event(
        actor=actor,
        event=Event.CREATED,
        obj=record,
        child_id=record.child_id,
        staff_member_id=record.staff_member_id,
        tier=record.tier,
    )
    return record


def attachment_create(*, actor: Any, record: Record, uploaded: object) -> Attachment:
    """Check, seal and store an uploaded file on a record.

    Bad files raise ValidationError before anything is written. If saving the
    row fails after the sealed file was stored, the file is removed again.
    """
    checked = attachments.check_upload(uploaded)
    attachment = Attachment(
        record=record,
        original_filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.data),
        uploaded_by=actor,
    )
    name, key_id, digest = attachments.seal_and_store(
        attachment_id=attachment.pk, data=checked.data
    )
    attachment.stored_name, attachment.key_id, attachment.sha256 = name, key_id, digest
    try:
        with transaction.atomic():
            attachment.full_clean()
            attachment.save()
            audit_event(
                actor=actor,
                event=Event.CREATED,
                obj=attachment,
                child_id=record.child_id,
                staff_member_id=record.staff_member_id,
                tier=record.tier,
            )
    except BaseException:
        attachments.delete_stored(name)
        raise
    return attachment

