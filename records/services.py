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
from records.models import (
    SIGN_OFF_CATEGORIES,
    Addendum,
    Attachment,
    Category,
    Child,
    CorrectionRequest,
    Notification,
    Record,
    Source,
    StaffMember,
    Tier,
)


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
    status: str | None = None,
    details: dict[str, Any] | None = None,
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
                [
                    (
                        "Confide: " + message,
                        f"{message}\n\nSign in to read it: {link}\n",
                        settings.DEFAULT_FROM_EMAIL,
                        [address],
                    )
                    for address in addresses
                ],
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
def record_add(
    *, actor: Any, child: Child, upload: attachments.CheckedUpload | None = None, **fields: Any
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
        _ask_for_sign_off(actor=actor, record=record)
    return record


def _ask_for_sign_off(*, actor: Any, record: Record) -> None:
    signers = (
        User.objects.filter(
            groups__name__in=policy.SIGNERS, staff_member__sites=record.child.site_id, is_active=True
        )
        .exclude(pk=actor.pk)
        .exclude(policy.kept_out_of(record.child))
        .distinct()
    )
    notify(
        recipients=list(signers),
        message=f"Information shared by a family is waiting for sign-off at {record.child.site.name}.",
        url=reverse("record_detail", args=[record.pk]),
    )


@transaction.atomic
def record_amend(
    *, actor: Any, record: Record, title: str, body: str, reason: str, details: dict[str, Any] | None = None
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
    for attachment in record.attachments.all():
        # Attachments follow the current revision; their content is untouched.
        attachment.record = revision
        attachment.save(update_fields=["record"])
    if status == Record.Status.AWAITING_SIGN_OFF:
        _ask_for_sign_off(actor=actor, record=revision)
    return revision


@transaction.atomic
def concern_raise(
    *,
    actor: Any,
    child: Child,
    what_happened: str,
    childs_words: str = "",
    occurred_at: datetime.datetime,
    where: str = "",
    who_present: str = "",
    body_map_note: str = "",
    actions_taken: str = "",
) -> Record:
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
        ("What I saw or heard", what_happened),
        ("In the child's words", childs_words),
        ("Where", where),
        ("Who was present", who_present),
        ("Body map", body_map_note),
        ("Action taken", actions_taken),
    ]
    body = "\n\n".join(f"{heading}:\n{text.strip()}" for heading, text in sections if text.strip())
    record = Record(
        child=child,
        category=Category.SAFEGUARDING_CONCERN,
        tier=Tier.SAFEGUARDING,
        title="Safeguarding concern",
        body=body,
        occurred_at=occurred_at,
        author=actor,
        source=Source.STAFF,
    )
    record.full_clean()
    record.save()
    audit_event(
        actor=actor, event=Event.CONCERN_RAISED, obj=record, child_id=child.pk, tier=Tier.SAFEGUARDING
    )
    dsls = (
        User.objects.filter(groups__name=Role.DSL, staff_member__sites=child.site_id, is_active=True)
        .exclude(pk=actor.pk)
        .exclude(policy.kept_out_of(child))
        .distinct()
    )
    notify(
        recipients=list(dsls),
        message=f"A safeguarding concern was raised at {child.site.name}.",
        url=reverse("record_detail", args=[record.pk]),
    )
    return record


# --- adding to a record ------------------------------------------------------


def _lock(record: Record) -> Record:
    return (
        Record.objects.select_for_update(of=("self",))
        .select_related("child__site", "staff_member")
        .get(pk=record.pk)
    )


def _addendum(*, actor: Any, record: Record, kind: str, text: str = "", agency: str = "") -> Addendum:
    addendum = Addendum(record=record, kind=kind, text=text.strip(), agency=agency.strip(), author=actor)
    addendum.full_clean()
    addendum.save()
    return addendum


@transaction.atomic
def addendum_add(*, actor: Any, record: Record, text: str) -> Addendum:
    """Something added below a record, which itself stays as it was."""
    from access.models import KeyWorkerAssignment

    record = _lock(record)
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
    return _addendum(actor=actor, record=record, kind=Addendum.Kind.NOTE, text=text)


# --- signing off information shared by families ---------------------------------


def _key_workers(child: Child) -> list[Any]:
    from access.models import KeyWorkerAssignment

    return [
        a.user
        for a in KeyWorkerAssignment.objects.filter(child=child, ended_at__isnull=True, user__is_active=True)
        .exclude(user__in=User.objects.filter(policy.kept_out_of(child)))
        .select_related("user")
    ]


@transaction.atomic
def record_sign_off(*, actor: Any, record: Record, comment: str = "") -> Record:
    """Senior staff sign a family's information; the key people are told.

    The caller has checked the signer's password (a signature is given in
    person). Signing twice, or one's own record, is refused."""
    record = _lock(record)
    if not policy.may_sign_off(policy.standing_of(actor), record):
        raise PermissionDenied
    record.status = Record.Status.SIGNED_OFF
    record.signed_off_by = actor
    record.signed_off_at = timezone.now()
    record.full_clean()
    record.save(update_fields=["status", "signed_off_by", "signed_off_at", "updated_at"])
    _addendum(actor=actor, record=record, kind=Addendum.Kind.SIGNED_OFF, text=comment)
    audit_event(actor=actor, event=Event.SIGNED_OFF, obj=record, child_id=record.child_id, tier=record.tier)
    key_people = [u for u in _key_workers(record.child) if u.pk != actor.pk]
    notify(
        recipients=key_people,
        message="Information shared by the family of one of your key children has been signed off.",
        url=reverse("record_detail", args=[record.pk]),
    )
    return record


@transaction.atomic
def record_return(*, actor: Any, record: Record, reason: str) -> Record:
    """Sent back to its author for correction, with the reason."""
    record = _lock(record)
    if not policy.may_sign_off(policy.standing_of(actor), record):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": "Say what needs correcting."})
    record.status = Record.Status.RETURNED
    record.save(update_fields=["status", "updated_at"])
    _addendum(actor=actor, record=record, kind=Addendum.Kind.RETURNED, text=reason)
    audit_event(
        actor=actor,
        event=Event.UPDATED,
        obj=record,
        child_id=record.child_id,
        tier=record.tier,
        reason="Returned for correction",
    )
    notify(
        recipients=[record.author] if record.author.is_active else [],
        message="A record you wrote was returned for correction. Please amend it.",
        url=reverse("record_detail", args=[record.pk]),
    )
    return record


# --- the DSL's handling of concerns --------------------------------------------


def _open_concern(actor: Any, record: Record) -> Record:
    record = _lock(record)
    if not policy.may_handle_concern(policy.standing_of(actor), record):
        raise PermissionDenied
    if record.status == Record.Status.CLOSED:
        raise ValidationError("This concern is closed. Raise a new concern, or add a note.")
    return record


@transaction.atomic
def concern_record_action(*, actor: Any, record: Record, kind: str, text: str, agency: str = "") -> Addendum:
    """A decision, action or referral on a concern; a decision not to refer
    needs its reason, a referral its agency."""
    record = _open_concern(actor, record)
    allowed = {
        Addendum.Kind.DECISION,
        Addendum.Kind.ACTION,
        Addendum.Kind.REFERRAL,
        Addendum.Kind.NO_REFERRAL,
        Addendum.Kind.NOTE,
    }
    if kind not in allowed:
        raise ValidationError({"kind": "Choose what you are recording."})
    if not text.strip():
        raise ValidationError({"text": "Write the details and your reasons."})
    if kind == Addendum.Kind.REFERRAL and not agency.strip():
        raise ValidationError({"agency": "Say which agency or team the concern was referred to."})
    addendum = _addendum(
        actor=actor,
        record=record,
        kind=kind,
        text=text,
        agency=agency if kind == Addendum.Kind.REFERRAL else "",
    )
    if kind == Addendum.Kind.REFERRAL:
        audit_event(
            actor=actor,
            event=Event.SHARED,
            obj=record,
            child_id=record.child_id,
            tier=Tier.SAFEGUARDING,
            reason="Concern referred to another agency",
        )
    return addendum


@transaction.atomic
def concern_link(*, actor: Any, record: Record, other_id: Any, text: str = "") -> Addendum:
    """Links two concerns about the same child, so the chronology shows the pattern."""
    record = _open_concern(actor, record)
    other = (
        Record.objects.filter(pk=other_id, child_id=record.child_id, category=Category.SAFEGUARDING_CONCERN)
        .exclude(pk=record.pk)
        .exclude(status=Record.Status.SUPERSEDED)
        .first()
    )
    if other is None:
        raise ValidationError({"other": "Choose another concern about this child."})
    if record.linked_concerns.filter(pk=other.pk).exists():
        raise ValidationError({"other": "These concerns are already linked."})
    record.linked_concerns.add(other)
    when = timezone.localtime(other.occurred_at)
    note = f"Linked to the concern of {when:%-d %B %Y}." + (f" {text.strip()}" if text.strip() else "")
    return _addendum(actor=actor, record=record, kind=Addendum.Kind.LINKED, text=note)


@transaction.atomic
def concern_close(*, actor: Any, record: Record, outcome: str) -> Record:
    record = _open_concern(actor, record)
    if not outcome.strip():
        raise ValidationError({"outcome": "Record the outcome before closing the concern."})
    _addendum(actor=actor, record=record, kind=Addendum.Kind.OUTCOME, text=outcome)
    record.status = Record.Status.CLOSED
    record.save(update_fields=["status", "updated_at"])
    return record


# --- staff files -------------------------------------------------------------


@transaction.atomic
def staff_record_add(
    *, actor: Any, staff_member: StaffMember, upload: attachments.CheckedUpload | None = None, **fields: Any
) -> Record:
    """HR adds to a staff member's file (personnel tier)."""
    sites = frozenset(staff_member.sites.values_list("pk", flat=True))
    if not policy.may_add_staff_record(policy.standing_of(actor), staff_member, sites):
        raise PermissionDenied
    from records.categories import STAFF_CATEGORIES

    if fields.get("category") not in STAFF_CATEGORIES:
        raise ValidationError({"category": "Choose a category for a staff file."})
    record = record_create(actor=actor, staff_member=staff_member, **fields)
    if upload is not None:
        attachment_store(actor=actor, record=record, checked=upload)
    return record


@transaction.atomic
def discreet_mode_set(*, actor: Any, on: bool) -> None:
    actor.discreet_mode = on
    actor.save(update_fields=["discreet_mode"])


# --- the parent portal ----------------------------------------------------------


def _portal_carer(actor: Any) -> Any:
    from access.selectors import portal_carer

    carer = portal_carer(actor)
    if carer is None:
        raise PermissionDenied
    return carer


def _portal_child_check(actor: Any, child: Child) -> None:
    if not Child.objects.filter(policy.portal_child_filter(actor), pk=child.pk).exists():
        raise PermissionDenied


@transaction.atomic
def portal_send_information(*, actor: Any, child: Child, title: str, body: str) -> Record:
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
    _ask_for_sign_off(actor=actor, record=record)
    return record


@transaction.atomic
def portal_comment(*, actor: Any, record: Record, text: str) -> Addendum:
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
    addendum = _addendum(actor=actor, record=record, kind=Addendum.Kind.PARENT_COMMENT, text=text)
    notify(
        recipients=_key_workers(record.child),
        message="A parent or carer commented on a record of one of your key children.",
        url=reverse("record_detail", args=[record.pk]),
    )
    return addendum


def _correction_target(request: CorrectionRequest) -> tuple[Any, str]:
    owner, name = request.field.split(".")
    return (request.child if owner == "child" else request.carer), name


@transaction.atomic
def correction_request(
    *, actor: Any, child: Child, field: str, proposed: str, note: str = ""
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
        User.objects.filter(
            groups__name__in=policy.MANAGEMENT, staff_member__sites=child.site_id, is_active=True
        )
        .exclude(policy.kept_out_of(child))
        .distinct()
    )
    notify(
        recipients=list(managers),
        message=f"A parent asked for a correction to a child's details at {child.site.name}.",
        url=reverse("correction_queue"),
    )
    return request


@transaction.atomic
def correction_decide(
    *, actor: Any, request: CorrectionRequest, approve: bool, note: str = ""
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
