"""Concerns and allegations about staff: raised by anyone at the setting (write-only, as
a concern about a child is), handled by the case manager and HR, never seen by the
person they are about (access/policy/staff_concerns.py)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import User
from access.policy import staff_concerns as rules
from access.selectors.people import staff_file_site_ids
from access.selectors.staff_concerns import case_manager_for, personnel_leads_for
from audit.models import Event
from audit.services import audit_event
from records.models import Child, Site, StaffConcern, StaffConcernNote, StaffMember, Tier
from records.services.notifications import notify

LOW_LEVEL_OUTCOMES = (
    StaffConcern.Outcome.NO_FURTHER_ACTION,
    StaffConcern.Outcome.DISCUSSED,
    StaffConcern.Outcome.TRAINING,
    StaffConcern.Outcome.HR_PROCESS,
)
ALLEGATION_OUTCOMES = (
    StaffConcern.Outcome.SUBSTANTIATED,
    StaffConcern.Outcome.MALICIOUS,
    StaffConcern.Outcome.FALSE,
    StaffConcern.Outcome.UNSUBSTANTIATED,
    StaffConcern.Outcome.UNFOUNDED,
)
# What the case record holds beyond the notes, and how a change is headed in them.
RECORD_FIELDS = {
    "lado_contacted_at": "LADO contacted",
    "lado_officer": "LADO contacted",
    "lado_reference": "LADO contacted",
    "lado_advice": "LADO contacted",
    "ofsted_notified_on": "Ofsted told",
    "ofsted_reference": "Ofsted told",
    "suspension": "Suspension or risk assessment",
    "suspension_note": "Suspension or risk assessment",
    "police": "Police",
    "police_note": "Police",
    "dbs": "DBS referral decision",
    "dbs_note": "DBS referral decision",
}


def _audit(actor: User, concern: StaffConcern, event: str, reason: str) -> None:
    audit_event(
        actor=actor,
        event=event,
        obj=concern,
        staff_member_id=concern.staff_member_id,
        tier=Tier.PERSONNEL,
        reason=reason,
    )


def _note(actor: User, concern: StaffConcern, heading: str, text: str) -> StaffConcernNote:
    note = StaffConcernNote(concern=concern, heading=heading, text=text, author=actor)
    note.full_clean()
    note.save()
    return note


def _handling(actor: User, concern: StaffConcern) -> StaffConcern:
    """The case, locked, if the actor may handle it (never about themselves)."""
    concern = (
        StaffConcern.objects.select_for_update(of=("self",)).select_related("staff_member").get(pk=concern.pk)
    )
    facts = policy.facts_of(actor)
    if rules.is_about_me(facts, concern):
        raise ValidationError("You cannot decide anything on a case about yourself. HR or the chair will.")
    sites = staff_file_site_ids(concern.staff_member)
    if not rules.reads_staff_concern(facts, concern, sites):
        raise PermissionDenied
    if concern.status == StaffConcern.Status.CLOSED:
        raise ValidationError("This case is closed. Raise a new concern if something else happens.")
    return concern


@transaction.atomic
def staff_concern_raise(
    *,
    actor: User,
    staff_member: StaffMember,
    site_id: uuid.UUID,
    kind: str,
    what_happened: str,
    occurred_at: datetime.datetime,
    child: Child | None = None,
) -> StaffConcern:
    """Anyone on the staff raises a concern about a colleague (or refers themself); the
    case manager and HR are told, in words that name nobody. The author sees only that
    it was submitted; the subject, nothing."""
    facts = policy.facts_of(actor)
    if not rules.may_raise_staff_concern(facts, site_id):
        raise PermissionDenied
    if site_id not in staff_file_site_ids(staff_member):
        raise ValidationError({"staff_member": "Choose someone who works at your setting."})
    errors = {}
    about_self = staff_member.user_id == actor.pk
    if about_self:
        kind = StaffConcern.Kind.SELF_REFERRAL
    elif kind not in (StaffConcern.Kind.LOW_LEVEL, StaffConcern.Kind.ALLEGATION):
        errors["kind"] = "Say whether this is a low-level concern or an allegation."
    if not (what_happened or "").strip():
        errors["what_happened"] = "Describe what you saw, heard or were told."
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["occurred_at"] = "That time is in the future. When did it happen?"
    if child is not None and child.site_id != site_id:
        errors["child"] = "Choose a child at the same setting."
    if errors:
        raise ValidationError(errors)
    case_manager, is_chair = case_manager_for(staff_member=staff_member, site_id=site_id)
    now = timezone.now()
    concern = StaffConcern(
        staff_member=staff_member,
        site_id=site_id,
        kind=kind,
        raised_by=actor,
        raised_at=now,
        occurred_at=occurred_at,
        what_happened=what_happened.strip(),
        child=child,
        case_manager=case_manager,
        case_manager_is_chair=is_chair,
        allegation_from=now if kind == StaffConcern.Kind.ALLEGATION else None,
    )
    concern.full_clean()
    concern.save()
    _audit(actor, concern, Event.CONCERN_RAISED, f"{StaffConcern.Kind(kind).label} raised")
    _tell_handlers(actor, concern)
    return concern


def _tell_handlers(actor: User, concern: StaffConcern) -> None:
    people = {u.pk: u for u in personnel_leads_for(staff_member=concern.staff_member)}
    if concern.case_manager is not None:
        people[concern.case_manager.pk] = concern.case_manager
    people.pop(concern.staff_member.user_id, None)
    people.pop(actor.pk, None)
    what = (
        "An allegation about a member of staff"
        if concern.is_allegation
        else "A concern about a member of staff"
    )
    site = Site.objects.get(pk=concern.site_id)
    notify(
        recipients=list(people.values()),
        message=f"{what} was raised at {site.name}.",
        url=reverse("staff_concern_detail", args=[concern.pk]),
    )


@transaction.atomic
def staff_concern_record(*, actor: User, concern: StaffConcern, **fields: Any) -> StaffConcern:
    """The allegation's record: the LADO contact, Ofsted, suspension or risk assessment,
    police involvement and the DBS decision. Each change is a note in the case."""
    concern = _handling(actor, concern)
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise ValidationError(f"Not part of the case record: {', '.join(sorted(unknown))}.")
    now = timezone.now()
    errors = {}
    contacted = fields.get("lado_contacted_at")
    if contacted and contacted > now + datetime.timedelta(minutes=5):
        errors["lado_contacted_at"] = "That time is in the future."
    if contacted and not (fields.get("lado_officer") or concern.lado_officer).strip():
        errors["lado_officer"] = "Give the name of the LADO you spoke to."
    told = fields.get("ofsted_notified_on")
    if told and told > timezone.localdate():
        errors["ofsted_notified_on"] = "That date is in the future."
    if told and not (fields.get("ofsted_reference") or concern.ofsted_reference).strip():
        errors["ofsted_reference"] = "Give the reference Ofsted gave you."
    if not concern.is_allegation and (contacted or told):
        errors["__all__"] = "The LADO and Ofsted are told of allegations: refer this concern as one first."
    if errors:
        raise ValidationError(errors)
    changed: dict[str, list[str]] = {}
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if value in (None, "") or value == getattr(concern, name):
            continue
        setattr(concern, name, value)
        model_field = StaffConcern._meta.get_field(name)
        assert isinstance(model_field, models.Field)  # noqa: S101 - the names above are columns
        label = model_field.verbose_name
        shown = dict(model_field.choices or []).get(value, value)
        if isinstance(shown, datetime.datetime):
            shown = f"{timezone.localtime(shown):%-d %b %Y %H:%M}"
        changed.setdefault(RECORD_FIELDS[name], []).append(f"{str(label).capitalize()}: {shown}")
    if not changed:
        raise ValidationError("Nothing has changed: fill in what happened.")
    concern.full_clean()
    concern.save()
    for heading, lines in changed.items():
        _note(actor, concern, heading, "\n".join(lines))
    _audit(actor, concern, Event.UPDATED, f"Case record: {', '.join(changed)}")
    return concern


@transaction.atomic
def staff_concern_add_note(*, actor: User, concern: StaffConcern, text: str) -> StaffConcernNote:
    concern = _handling(actor, concern)
    if not (text or "").strip():
        raise ValidationError({"text": "Write the note."})
    note = _note(actor, concern, "Note", text.strip())
    _audit(actor, concern, Event.UPDATED, "Note added to the case")
    return note


@transaction.atomic
def staff_concern_refer_as_allegation(*, actor: User, concern: StaffConcern, reason: str) -> StaffConcern:
    """A low-level concern that meets the harm threshold after all: it becomes an
    allegation, and its clocks start now."""
    concern = _handling(actor, concern)
    if concern.is_allegation:
        raise ValidationError("This is already an allegation.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why it meets the harm threshold."})
    concern.kind, concern.allegation_from = StaffConcern.Kind.ALLEGATION, timezone.now()
    concern.full_clean()
    concern.save(update_fields=["kind", "allegation_from"])
    _note(actor, concern, "Referred as an allegation", reason.strip())
    _audit(actor, concern, Event.UPDATED, "Referred as an allegation")
    return concern


@transaction.atomic
def staff_concern_close(*, actor: User, concern: StaffConcern, outcome: str, note: str) -> StaffConcern:
    """The outcome: from the fixed list for an allegation, the low-level decisions
    otherwise. Never decided by the person the case is about."""
    concern = _handling(actor, concern)
    allowed = ALLEGATION_OUTCOMES if concern.is_allegation else LOW_LEVEL_OUTCOMES
    errors = {}
    if outcome not in allowed:
        errors["outcome"] = "Choose an outcome from the list."
    if not (note or "").strip():
        errors["note"] = "Say what was decided and why."
    if concern.is_allegation and concern.lado_contacted_at is None:
        errors["__all__"] = "Record the contact with the LADO before closing an allegation."
    elif concern.is_allegation and concern.ofsted_notified_on is None:
        errors["__all__"] = "Record when Ofsted was told before closing an allegation."
    if errors:
        raise ValidationError(errors)
    concern.outcome, concern.outcome_note = outcome, note.strip()
    concern.status, concern.closed_at, concern.closed_by = StaffConcern.Status.CLOSED, timezone.now(), actor
    concern.full_clean()
    concern.save()
    label = StaffConcern.Outcome(outcome).label
    _note(actor, concern, f"Closed: {label}", note.strip())
    _audit(actor, concern, Event.UPDATED, f"Closed with the outcome {label.lower()}")
    return concern


@transaction.atomic
def staff_concern_remove_details(*, actor: User, concern: StaffConcern) -> StaffConcern:
    """Found malicious: HR takes the details out of the personnel record, keeping that
    a case existed, its dates and its outcome (KCSIE)."""
    concern = (
        StaffConcern.objects.select_for_update(of=("self",)).select_related("staff_member").get(pk=concern.pk)
    )
    if not rules.may_remove_details(
        policy.facts_of(actor), concern, staff_file_site_ids(concern.staff_member)
    ):
        raise PermissionDenied
    when = timezone.localdate()
    concern.what_happened = (
        f"Removed from the personnel record on {when:%-d %B %Y}: the allegation was found malicious."
    )
    for name in ("lado_advice", "suspension_note", "police_note", "dbs_note", "outcome_note"):
        setattr(concern, name, "")
    concern.details_removed_at = timezone.now()
    concern.save()
    for note in concern.notes.all():
        note.text = "Removed: the allegation was found malicious."
        note.save(update_fields=["text"])
    _audit(actor, concern, Event.UPDATED, "Details removed: found malicious")
    return concern
