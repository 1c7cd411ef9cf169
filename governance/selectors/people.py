"""Induction and training: a staff member's checklist, and what a manager's home flags."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from access import policy as access_policy
from access.models import MANAGERS, STAFF_ROLES, Membership, Role, User
from access.policy import governance as rules
from access.selectors.people import name_key, staff_file_site_ids
from governance.models import TRAINING_REQUIRED, InductionItem, InductionTick, TrainingKind, TrainingRecord
from records.models import StaffMember

TRAINING_WARNING_DAYS = 30


@dataclass
class TrainingLine:
    kind: TrainingKind
    latest: TrainingRecord | None
    required: bool
    today: datetime.date

    @property
    def expired(self) -> bool:
        return self.latest is None or self.latest.expires_on < self.today

    @property
    def expiring(self) -> bool:
        soon = self.today + datetime.timedelta(days=TRAINING_WARNING_DAYS)
        return self.latest is not None and not self.expired and self.latest.expires_on <= soon


@dataclass
class InductionStatus:
    member: StaffMember
    started: datetime.date | None
    items: list[tuple[InductionItem, InductionTick | None]] = field(default_factory=list)
    training: list[TrainingLine] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for _item, tick in self.items if tick is not None)

    @property
    def complete(self) -> bool:
        return self.done == len(self.items)

    @property
    def overdue(self) -> bool:
        if self.complete or self.started is None:
            return False
        return timezone.localdate() - self.started > datetime.timedelta(
            days=settings.GOVERNANCE_INDUCTION_DAYS
        )

    @property
    def training_problems(self) -> list[TrainingLine]:
        return [line for line in self.training if line.required and (line.expired or line.expiring)]


def _statuses(members: list[StaffMember]) -> list[InductionStatus]:
    """Each member's induction and training, in a fixed number of queries however many there are."""
    if not members:
        return []
    users = [m.user_id for m in members]
    now = timezone.now()
    roles: dict[uuid.UUID, set[str]] = {}
    started: dict[uuid.UUID, datetime.datetime] = {}
    for user_id, role, starts_at in Membership.objects.filter(user_id__in=users).values_list(
        "user_id", "role", "starts_at"
    ):
        if role in STAFF_ROLES and (user_id not in started or starts_at < started[user_id]):
            started[user_id] = starts_at
    for user_id, role in (
        Membership.objects.live(now).filter(user_id__in=users).values_list("user_id", "role")
    ):
        roles.setdefault(user_id, set()).add(role)
    items = list(InductionItem.objects.filter(active=True))
    ticks: dict[tuple[uuid.UUID, uuid.UUID], InductionTick] = {
        (t.staff_member_id, t.item_id): t
        for t in InductionTick.objects.filter(staff_member__in=members).select_related("ticked_by")
    }
    latest: dict[tuple[uuid.UUID, str], TrainingRecord] = {}
    for record in TrainingRecord.objects.filter(staff_member__in=members).order_by("-expires_on"):
        latest.setdefault((record.staff_member_id, record.kind), record)
    today = timezone.localdate()
    found = []
    for member in members:
        held = roles.get(member.user_id, set())
        required = {kind for role in held for kind in TRAINING_REQUIRED.get(role, ())}
        first = started.get(member.user_id)
        found.append(
            InductionStatus(
                member=member,
                started=member.start_date or (timezone.localdate(first) if first else None),
                items=[(item, ticks.get((member.pk, item.pk))) for item in items if item.applies_to(held)],
                training=[
                    TrainingLine(
                        kind=kind,
                        latest=latest.get((member.pk, kind)),
                        required=kind in required,
                        today=today,
                    )
                    for kind in TrainingKind
                    if kind in required or (member.pk, kind) in latest
                ],
            )
        )
    return found


def induction_status(member: StaffMember) -> InductionStatus:
    return _statuses([member])[0]


def staff_member_get_for_induction(
    *, user: User, staff_member_id: uuid.UUID, write: bool = False
) -> StaffMember:
    """A staff member's induction and training: their managers and HR (with write), and
    the person themself (reading)."""
    member = StaffMember.objects.select_related("user").filter(pk=staff_member_id).first()
    if member is None:
        raise Http404("No such staff member")
    facts = access_policy.facts_of(user)
    sites = staff_file_site_ids(member)
    allowed = (
        rules.manages_induction(facts, sites) and member.user_id != user.pk
        if write
        else rules.reads_induction(facts, member.user_id, sites)
    )
    if not allowed:
        raise Http404("No such staff member")
    return member


def induction_item_get(*, item_id: str) -> InductionItem | None:
    try:
        return InductionItem.objects.filter(pk=uuid.UUID(item_id), active=True).first()
    except ValueError:
        return None


def _managed_members(user: User) -> list[StaffMember]:
    sites = access_policy.facts_of(user).sites_with(*MANAGERS, Role.HR)
    if not sites:
        return []
    people = Membership.objects.live().filter(site_id__in=list(sites), role__in=STAFF_ROLES).values("user_id")
    members = (
        StaffMember.objects.filter(user_id__in=people, user__is_active=True)
        .exclude(user_id=user.pk)
        .select_related("user")
    )
    return sorted(members, key=lambda m: name_key(m.user))  # names are sealed: sorted once opened


def staff_checks(*, user: User) -> tuple[list[InductionStatus], list[InductionStatus]]:
    """For a manager's home: staff whose induction is unfinished after
    GOVERNANCE_INDUCTION_DAYS, and staff whose required training has run out or soon will."""
    statuses = _statuses(_managed_members(user))
    return [s for s in statuses if s.overdue], [s for s in statuses if s.training_problems]
