"""Induction and training: a manager (or HR) ticks each induction item with the date it
was done, and records training, whose expiry follows from its kind."""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from access import policy as access_policy
from access.models import User
from access.policy import governance as rules
from access.selectors.people import staff_file_site_ids
from audit.models import Event, Tier
from audit.services import audit_event
from governance.models import (
    TRAINING_VALID_MONTHS,
    InductionItem,
    InductionTick,
    TrainingKind,
    TrainingRecord,
)
from records.models import StaffMember


def _require_manager(actor: User, member: StaffMember) -> None:
    facts = access_policy.facts_of(actor)
    if member.user_id == actor.pk or not rules.manages_induction(facts, staff_file_site_ids(member)):
        raise PermissionDenied


def _not_future(day: datetime.date | None, field: str) -> None:
    if day is None:
        raise ValidationError({field: "Give the date."})
    if day > timezone.localdate():
        raise ValidationError({field: "That date is in the future."})


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def induction_tick(
    *, actor: User, staff_member: StaffMember, item: InductionItem, done_on: datetime.date | None
) -> InductionTick:
    _require_manager(actor, staff_member)
    _not_future(done_on, "done_on")
    assert done_on is not None  # noqa: S101 - checked above
    if InductionTick.objects.filter(staff_member=staff_member, item=item).exists():
        raise ValidationError("That item is ticked already.")
    tick = InductionTick(staff_member=staff_member, item=item, done_on=done_on, ticked_by=actor)
    tick.full_clean()
    tick.save()
    audit_event(
        actor=actor,
        event=Event.UPDATED,
        obj=tick,
        staff_member_id=staff_member.pk,
        tier=Tier.PERSONNEL,
        reason=f"Induction item ticked ({item.pk})",
    )
    return tick


@transaction.atomic
def training_record_add(
    *, actor: User, staff_member: StaffMember, kind: str, completed_on: datetime.date | None
) -> TrainingRecord:
    _require_manager(actor, staff_member)
    if kind not in TrainingKind.values:
        raise ValidationError({"kind": "Choose the training."})
    _not_future(completed_on, "completed_on")
    assert completed_on is not None  # noqa: S101 - checked above
    record = TrainingRecord(
        staff_member=staff_member,
        kind=kind,
        completed_on=completed_on,
        expires_on=add_months(completed_on, TRAINING_VALID_MONTHS[TrainingKind(kind)]),
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    audit_event(
        actor=actor,
        event=Event.UPDATED,
        obj=record,
        staff_member_id=staff_member.pk,
        tier=Tier.PERSONNEL,
        reason=f"Training recorded: {TrainingKind(kind).label}",
    )
    return record
