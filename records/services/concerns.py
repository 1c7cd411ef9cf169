"""Safeguarding concerns: raised by anyone at the setting, handled by the DSL."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import SAFEGUARDING_LEADS, User
from access.selectors.people import people_with_role
from audit.models import Event
from audit.services import audit_event
from records.models import (
    Addendum,
    Category,
    Child,
    Record,
    Source,
    Tier,
)
from records.services.entries import addendum_create, lock_record
from records.services.notifications import notifications_done, notify


def validate_concern(*, what_happened: str, occurred_at: datetime.datetime) -> None:
    if not (what_happened or "").strip():
        raise ValidationError({"what_happened": "Describe what you saw or heard."})
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"occurred_at": "That time is in the future. When did it happen?"})


def concern_body(
    *,
    what_happened: str,
    childs_words: str = "",
    where: str = "",
    who_present: str = "",
    body_map_note: str = "",
    actions_taken: str = "",
) -> str:
    """What the person raising a concern wrote, under its headings."""
    sections = [
        ("What I saw or heard", what_happened),
        ("In the child's words", childs_words),
        ("Where", where),
        ("Who was present", who_present),
        ("Body map", body_map_note),
        ("Action taken", actions_taken),
    ]
    return "\n\n".join(f"{heading}:\n{text.strip()}" for heading, text in sections if text.strip())


def concern_file(*, author: User, child: Child, body: str, occurred_at: datetime.datetime) -> Record:
    """The concern, as a safeguarding record in the child's file, raised by `author`."""
    record = Record(
        child=child,
        category=Category.SAFEGUARDING_CONCERN,
        tier=Tier.SAFEGUARDING,
        title="Safeguarding concern",
        body=body,
        occurred_at=occurred_at,
        author=author,
        source=Source.STAFF,
    )
    record.full_clean()
    record.save()
    return record


def concern_raise(
    *,
    actor: User,
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
    validate_concern(what_happened=what_happened, occurred_at=occurred_at)
    body = concern_body(
        what_happened=what_happened,
        childs_words=childs_words,
        where=where,
        who_present=who_present,
        body_map_note=body_map_note,
        actions_taken=actions_taken,
    )
    record = concern_file(author=actor, child=child, body=body, occurred_at=occurred_at)
    audit_event(
        actor=actor, event=Event.CONCERN_RAISED, obj=record, child_id=child.pk, tier=Tier.SAFEGUARDING
    )
    dsls = (
        people_with_role(site_id=child.site_id, roles=SAFEGUARDING_LEADS)
        .exclude(pk=actor.pk)
        .exclude(policy.kept_out_of(child))
        .distinct()
    )
    notify(
        recipients=list(dsls),
        message=f"A safeguarding concern was raised at {child.site.name}.",
        url=reverse("record_detail", args=[record.pk]),
        child=child,
        record=record,
    )
    return record


def _open_concern(actor: User, record: Record) -> Record:
    record = lock_record(record)
    if not policy.may_handle_concern(policy.standing_of(actor), record):
        raise PermissionDenied
    if record.status == Record.Status.CLOSED:
        raise ValidationError("This concern is closed. Raise a new concern, or add a note.")
    return record


@transaction.atomic
def concern_record_action(*, actor: User, record: Record, kind: str, text: str) -> Addendum:
    """A decision, an action taken or a note on a concern. A referral, and a
    decision not to refer, are made through the sharing service (sharing/services:
    concern_refer, concern_decide_not_to_refer), which records them as a
    disclosure or a decision not to share."""
    record = _open_concern(actor, record)
    allowed = {Addendum.Kind.DECISION, Addendum.Kind.ACTION, Addendum.Kind.NOTE}
    if kind not in allowed:
        raise ValidationError({"kind": "Choose what you are recording."})
    if not text.strip():
        raise ValidationError({"text": "Write the details and your reasons."})
    addendum = addendum_create(actor=actor, record=record, kind=kind, text=text)
    notifications_done(record=record)  # a safeguarding lead has taken it up
    return addendum


@transaction.atomic
def concern_link(*, actor: User, record: Record, other: uuid.UUID | str, text: str = "") -> Addendum:
    """Links two concerns about the same child (`other` is the id of the other
    concern), so the chronology shows the pattern."""
    record = _open_concern(actor, record)
    linked = (
        Record.objects.filter(pk=other, child=record.child_id, category=Category.SAFEGUARDING_CONCERN)
        .exclude(pk=record.pk)
        .exclude(status=Record.Status.SUPERSEDED)
        .first()
    )
    if linked is None:
        raise ValidationError({"other": "Choose another concern about this child."})
    if record.linked_concerns.filter(pk=linked.pk).exists():
        raise ValidationError({"other": "These concerns are already linked."})
    record.linked_concerns.add(linked)
    when = timezone.localtime(linked.occurred_at)
    note = f"Linked to the concern of {when:%-d %B %Y}." + (f" {text.strip()}" if text.strip() else "")
    return addendum_create(actor=actor, record=record, kind=Addendum.Kind.LINKED, text=note)


@transaction.atomic
def concern_close(*, actor: User, record: Record, outcome: str) -> Record:
    record = _open_concern(actor, record)
    if not outcome.strip():
        raise ValidationError({"outcome": "Record the outcome before closing the concern."})
    addendum_create(actor=actor, record=record, kind=Addendum.Kind.OUTCOME, text=outcome)
    record.status = Record.Status.CLOSED
    record.save(update_fields=["status", "updated_at"])
    return record
