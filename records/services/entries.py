"""Writing in a file: records, their attachments, amendments and addenda."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from access import policy
from access.models import KeyWorkerAssignment, User
from access.selectors import staff_site_ids
from access.selectors.people import people_with_role, staff_file_site_ids
from crypto import attachments
from records.categories import STAFF_CATEGORIES
from records.models import (
    SIGN_OFF_CATEGORIES,
    Addendum,
    Attachment,
    Category,
    Child,
    Record,
    StaffMember,
)
from records.services.notifications import notifications_done, notify, tell_parents_shared


@transaction.atomic
def record_create(
    *,
    actor: User,
    category: str,
    title: str,
    occurred_at: datetime.datetime,
    body: str = "",
    child: Child | None = None,
    staff_member: StaffMember | None = None,
    source: str = "staff",
    source_name: str = "",
    requested_tier: str | None = None,
    status: str | None = None,
    details: dict[str, str] | None = None,
    visible_to_parents: bool = False,
    withheld_reason: str = "",
) -> Record:
    """A new record. Information shared by a family starts out awaiting sign-off."""
    if status is None:
        in_child_file = child is not None
        status = (
            Record.Status.AWAITING_SIGN_OFF
            if in_child_file and category in SIGN_OFF_CATEGORIES
            else Record.Status.ACTIVE
        )
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
        details=details or None,
        visible_to_parents=visible_to_parents and child is not None,
        withheld_reason=withheld_reason or None,
    )
    record.full_clean()
    record.save()  # its "created" entry is written by django-auditlog
    if record.status in (Record.Status.ACTIVE, Record.Status.SIGNED_OFF):
        tell_parents_shared(record)
    return record


def attachment_create(*, actor: User, record: Record, uploaded: object) -> Attachment:
    """Check, seal and store an uploaded file on a record.

    Bad files raise ValidationError before anything is written. If saving the
    row fails after the sealed file was stored, the file is removed again.
    """
    return attachment_store(actor=actor, record=record, checked=attachments.check_upload(uploaded))


def attachment_store(*, actor: User, record: Record, checked: attachments.CheckedUpload) -> Attachment:
    attachment = Attachment(
        record=record,
        original_filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.data),
        uploaded_by=actor,
    )
    name, key_id, digest = attachments.seal_and_store(attachment_id=attachment.pk, data=checked.data)
    attachment.stored_name, attachment.key_id, attachment.sha256 = name, key_id, digest
    try:
        with transaction.atomic():
            attachment.full_clean()
            attachment.save()
    except BaseException:
        attachments.delete_stored(name)
        raise
    return attachment


@transaction.atomic
def record_add(
    *, actor: User, child: Child, upload: attachments.CheckedUpload | None = None, **fields: Any
) -> Record:
    """A key worker, or the site's management or DSL, adds a general record,
    with an optional checked attachment."""
    if not policy.may_add_record(policy.standing_of(actor), child):
        raise PermissionDenied
    if fields.get("category") in (Category.SAFEGUARDING_CONCERN, Category.STAFF_RECORD):
        raise ValidationError({"category": "Choose a category for a child's general file."})
    record = record_create(actor=actor, child=child, **fields)
    if upload is not None:
        attachment_store(actor=actor, record=record, checked=upload)
    if record.status == Record.Status.AWAITING_SIGN_OFF:
        ask_for_sign_off(actor=actor, record=record)
    return record


def child_of(record: Record) -> Child:
    """The child whose file holds the record, for records only a child's file
    can hold (those signed off, and those shared with parents)."""
    if record.child is None:
        raise ValueError(f"{record} is in a staff file, not a child's")
    return record.child


def ask_for_sign_off(*, actor: User, record: Record) -> None:
    child = child_of(record)
    signers = (
        people_with_role(site_id=child.site_id, roles=policy.SIGNERS)
        .exclude(pk=actor.pk)
        .exclude(policy.kept_out_of(child))
        .distinct()
    )
    notify(
        recipients=list(signers),
        message=f"Information shared by a family is waiting for sign-off at {child.site.name}.",
        url=reverse("record_detail", args=[record.pk]),
        child=child,
        record=record,
    )


@transaction.atomic
def record_amend(
    *, actor: User, record: Record, title: str, body: str, reason: str, details: dict[str, str] | None = None
) -> Record:
    """An amendment is a new revision; the original is kept, marked superseded.

    Information shared by a family goes back for sign-off: a signature covers
    what was signed, not what it was changed to."""
    locked = Record.objects.select_for_update(of=("self",)).select_related("child", "staff_member")
    record = locked.get(pk=record.pk)
    staff_sites = staff_site_ids(record)
    if not policy.may_amend(policy.standing_of(actor), record, staff_site_ids=staff_sites):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the record is being amended."})
    status = record.status
    if record.needs_sign_off and record.child_id is not None:
        status = Record.Status.AWAITING_SIGN_OFF
    revision = Record(
        child=record.child,
        staff_member=record.staff_member,
        category=record.category,
        tier=record.tier,
        title=title,
        body=body,
        occurred_at=record.occurred_at,
        author=actor,
        source=record.source,
        source_name=record.source_name,
        status=status,
        subject_staff_member=record.subject_staff_member,
        is_allegation=record.is_allegation,
        supersedes=record,
        amendment_reason=reason,
        details=record.details if details is None else (details or None),
        visible_to_parents=record.visible_to_parents,
        withheld_reason=record.withheld_reason,
    )
    revision.full_clean()
    record.status = Record.Status.SUPERSEDED
    record.save(update_fields=["status", "updated_at"])
    revision.save()
    notifications_done(record=record)  # a return for correction is answered
    for attachment in record.attachments.all():
        # Attachments follow the current revision; their content is untouched.
        attachment.record = revision
        attachment.save(update_fields=["record"])
    if status == Record.Status.AWAITING_SIGN_OFF:
        ask_for_sign_off(actor=actor, record=revision)
    return revision


def lock_record(record: Record) -> Record:
    return (
        Record.objects.select_for_update(of=("self",))
        .select_related("child__site", "staff_member")
        .get(pk=record.pk)
    )


def addendum_create(*, actor: User, record: Record, kind: str, text: str = "", agency: str = "") -> Addendum:
    addendum = Addendum(record=record, kind=kind, text=text.strip(), agency=agency.strip(), author=actor)
    addendum.full_clean()
    addendum.save()
    return addendum


@transaction.atomic
def addendum_add(*, actor: User, record: Record, text: str) -> Addendum:
    """Something added below a record, which itself stays as it was."""
    record = lock_record(record)
    record.is_my_key_child = (
        record.child_id is not None
        and KeyWorkerAssignment.objects.filter(
            child_id=record.child_id, user_id=actor.pk, ended_at__isnull=True
        ).exists()
    )
    if not policy.may_add_addendum(policy.standing_of(actor), record, staff_site_ids=staff_site_ids(record)):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": "Write what you want to add."})
    return addendum_create(actor=actor, record=record, kind=Addendum.Kind.NOTE, text=text)


@transaction.atomic
def staff_record_add(
    *, actor: User, staff_member: StaffMember, upload: attachments.CheckedUpload | None = None, **fields: Any
) -> Record:
    """HR adds to a staff member's file (personnel tier)."""
    sites = staff_file_site_ids(staff_member)
    if not policy.may_add_staff_record(policy.standing_of(actor), staff_member, sites):
        raise PermissionDenied
    if fields.get("category") not in STAFF_CATEGORIES:
        raise ValidationError({"category": "Choose a category for a staff file."})
    record = record_create(actor=actor, staff_member=staff_member, **fields)
    if upload is not None:
        attachment_store(actor=actor, record=record, checked=upload)
    return record
