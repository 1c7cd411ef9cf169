"""Writes to the files. Each is one transaction and leaves its audit entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import Role, User
from access.selectors import staff_site_ids
from audit.models import Event
from audit.services import audit_event
from records import attachments
from records.models import Attachment, Category, Child, Notification, Record, Source, StaffMember, Tier


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
    record.save()  # its "created" entry is written by django-auditlog
    return record


def attachment_create(*, actor: Any, record: Record, uploaded: object) -> Attachment:
    """Check, seal and store an uploaded file on a record.

    Bad files raise ValidationError before anything is written. If saving the
    row fails after the sealed file was stored, the file is removed again.
    """
    return attachment_store(actor=actor, record=record, checked=attachments.check_upload(uploaded))


def attachment_store(*, actor: Any, record: Record, checked: attachments.CheckedUpload) -> Attachment:
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
    except BaseException:
        attachments.delete_stored(name)
        raise
    return attachment



# --- notifications --------------------------------------------------------------


def notify(*, recipients: list[Any], message: str, url: str = "") -> list[Notification]:
    """In-app notifications, and the same by email once the change is committed.

    The message names nobody: email is not a safe place for personal data, so
    it says what happened and where to look.
    """
    notes = [Notification(recipient=r, message=message, url=url) for r in recipients]
    for note in notes:
        note.full_clean()
        note.save()
    addresses = [r.email for r in recipients if r.email]
    if addresses:
        link = f"{settings.SITE_URL}{url}" if url else settings.SITE_URL

        def send() -> None:
            send_mass_mail(
                [("Confide: " + message, f"{message}\n\nSign in to read it: {link}\n",
                  settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses],
                fail_silently=True,
            )

        transaction.on_commit(send)
    return notes


@transaction.atomic
def notification_mark_read(*, actor: Any, notification_id: Any) -> None:
    for note in Notification.objects.filter(pk=notification_id, recipient=actor, read_at__isnull=True):
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])


# --- writing in a child's file --------------------------------------------------


@transaction.atomic
def record_add(*, actor: Any, child: Child, upload: attachments.CheckedUpload | None = None,
               **fields: Any) -> Record:
    """A key worker, or the site's management or DSL, adds a general record,
    with an optional checked attachment."""
    if not policy.may_add_record(policy.standing_of(actor), child):
        raise PermissionDenied
    if fields.get("category") in (Category.SAFEGUARDING_CONCERN, Category.STAFF_RECORD):
        raise ValidationError({"category": "Choose a category for a child's general file."})
    record = record_create(actor=actor, child=child, **fields)
    if upload is not None:
        attachment_store(actor=actor, record=record, checked=upload)
    return record


@transaction.atomic
def record_amend(*, actor: Any, record: Record, title: str, body: str, reason: str) -> Record:
    """An amendment is a new revision; the original is kept, marked superseded."""
    locked = Record.objects.select_for_update(of=("self",)).select_related("child", "staff_member")
    record = locked.get(pk=record.pk)
    staff_sites = staff_site_ids(record)
    if not policy.may_amend(policy.standing_of(actor), record, staff_site_ids=staff_sites):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the record is being amended."})
    revision = Record(
        child=record.child, staff_member=record.staff_member, category=record.category,
        tier=record.tier, title=title, body=body, occurred_at=record.occurred_at, author=actor,
        source=record.source, source_name=record.source_name, status=record.status,
        subject_staff_member=record.subject_staff_member, is_allegation=record.is_allegation,
        supersedes=record, amendment_reason=reason,
    )
    revision.full_clean()
    record.status = Record.Status.SUPERSEDED
    record.save(update_fields=["status", "updated_at"])
    revision.save()
    for attachment in record.attachments.all():
        # Attachments follow the current revision; their content is untouched.
        attachment.record = revision
        attachment.save(update_fields=["record"])
    return revision


@transaction.atomic
def concern_raise(*, actor: Any, child: Child, what_happened: str, childs_words: str = "",
                  occurred_at: datetime.datetime, where: str = "", who_present: str = "",
                  body_map_note: str = "", actions_taken: str = "") -> Record:
    """Any member of staff at the child's setting raises a concern; the DSLs are told.

    The person who raised it cannot read the safeguarding file afterwards
    unless the DSL names them.
    """
    if not policy.may_raise_concern(policy.standing_of(actor), child):
        raise PermissionDenied
    if not (what_happened or "").strip():
        raise ValidationError({"what_happened": "Describe what you saw or heard."})
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"occurred_at": "That time is in the future. When did it happen?"})
    sections = [
        ("What I saw or heard", what_happened), ("In the child's words", childs_words),
        ("Where", where), ("Who was present", who_present), ("Body map", body_map_note),
        ("Action taken", actions_taken),
    ]
    body = "\n\n".join(f"{heading}:\n{text.strip()}" for heading, text in sections if text.strip())
    record = Record(
        child=child, category=Category.SAFEGUARDING_CONCERN, tier=Tier.SAFEGUARDING,
        title="Safeguarding concern", body=body, occurred_at=occurred_at, author=actor,
        source=Source.STAFF,
    )
    record.full_clean()
    record.save()
    audit_event(actor=actor, event=Event.CONCERN_RAISED, obj=record, child_id=child.pk,
                tier=Tier.SAFEGUARDING)
    dsls = User.objects.filter(
        groups__name=Role.DSL, staff_member__sites=child.site_id, is_active=True
    ).exclude(pk=actor.pk).distinct()
    notify(
        recipients=list(dsls),
        message=f"A safeguarding concern was raised at {child.site.name}.",
        url=reverse("record_detail", args=[record.pk]),
    )
    return record
