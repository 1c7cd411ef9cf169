"""The demo's governance (``seed_demo``): the early-years policy set adopted by the
trustees and signed by the chair, acknowledged by the demo's staff (but a new student,
who reads them at her first sign-in), a new version of the complaints policy waiting
for the chair, induction and training, kitchen staff and a closed low-level concern.

Rows are made directly (no one is notified: nothing happened today), with the ids the
command hands out."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from access.management import demo_two_factor
from access.models import Membership, Role, RoomAssignment, User
from governance.management.demo_policies import COMPLAINTS, COMPLAINTS_V2_CHANGES, INDUCTION_ITEMS, POLICIES
from governance.models import (
    Acknowledgement,
    InductionItem,
    InductionTick,
    Policy,
    PolicyRequirement,
    PolicyVersion,
    TrainingKind,
    TrainingRecord,
)
from governance.services.induction import add_months
from records.models import Room, Site, StaffConcern, StaffConcernNote, StaffMember

ADOPTED = datetime.datetime(2026, 9, 1, 18, 30, tzinfo=datetime.UTC)
STARTED = datetime.datetime(2020, 9, 1, 9, tzinfo=datetime.UTC)
# username, first, last, role, job title, started at
NEW_PEOPLE = [
    ("kitchen", "Pam", "Wright", Role.KITCHEN, "Cook", STARTED),
    ("newstudent", "Rosa", "Ahmed", Role.STUDENT, "Student on placement (level 3)", ADOPTED),
]
CHAIR = ("chair", "Ruth", "Abbott")


def load(
    new_id: Callable[[], uuid.UUID], password: str, staff: dict[str, StaffMember], sites: list[Site]
) -> None:
    people = _people(new_id, password, staff, sites)
    chair = people["chair"]
    manager = staff["manager"].user
    versions = _policies(new_id, manager, chair)
    readers = [m.user for m in staff.values()] + [User.objects.get(username="trustee"), chair]
    readers.append(people["kitchen"])
    for version in versions:
        roles = set(version.requirements.values_list("role", flat=True))
        Acknowledgement.objects.bulk_create(
            Acknowledgement(
                id=new_id(),
                version=version,
                user=person,
                acknowledged_at=ADOPTED + datetime.timedelta(days=2),
            )
            for person in readers
            if roles & set(Membership.objects.filter(user=person).values_list("role", flat=True))
        )
    _induction(new_id, manager, {**staff, "kitchen": people["kitchen"].staff_member})
    _concern(new_id, staff, sites[0])


def _people(
    new_id: Callable[[], uuid.UUID], password: str, staff: dict[str, StaffMember], sites: list[Site]
) -> dict[str, User]:
    made: dict[str, User] = {}
    for username, first, last, role, job, began in NEW_PEOPLE:
        user = User.objects.create(
            id=new_id(),
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            password=password,
        )
        StaffMember.objects.create(
            id=new_id(), user=user, job_title=job, start_date=began.date(), phone="07700 900777"
        )
        Membership.objects.create(
            id=new_id(),
            user=user,
            site=sites[0],
            role=role,
            starts_at=began,
            created_at=began,
            confirmed_at=began,
        )
        made[username] = user
    username, first, last = CHAIR
    chair = User.objects.create(
        id=new_id(),
        username=username,
        first_name=first,
        last_name=last,
        email="chair@example.org",
        password=password,
    )
    for site in sites:
        Membership.objects.create(
            id=new_id(),
            user=chair,
            site=site,
            role=Role.CHAIR,
            starts_at=STARTED,
            created_at=STARTED,
            confirmed_at=STARTED,
        )
    made["chair"] = chair
    demo_two_factor.load([made["kitchen"], made["newstudent"]])
    acorns = Room.objects.get(site=sites[0], name="Acorns")
    RoomAssignment.objects.create(id=new_id(), user=made["newstudent"], room=acorns, starts_at=ADOPTED)
    return made


def _policies(new_id: Callable[[], uuid.UUID], manager: User, chair: User) -> list[PolicyVersion]:
    current = []
    for title, kind, text, roles, for_parents, months in POLICIES:
        policy = Policy.objects.create(
            id=new_id(),
            title=title,
            kind=kind,
            published_to_parents=for_parents,
            created_by=manager,
            created_at=ADOPTED,
        )
        version = PolicyVersion.objects.create(
            id=new_id(),
            policy=policy,
            version="2026",
            text=text,
            review_by=add_months(ADOPTED.date(), months),
            status=PolicyVersion.Status.CURRENT,
            drafted_by=manager,
            drafted_at=ADOPTED - datetime.timedelta(days=14),
            body="trustees",
            meeting_on=ADOPTED.date(),
            chair_name=chair.get_full_name(),
            signed_by=chair,
            signed_at=ADOPTED,
            adopted_at=ADOPTED,
            adoption_recorded_by=chair,
            acknowledge_by=ADOPTED + datetime.timedelta(days=7),
        )
        PolicyRequirement.objects.bulk_create(
            PolicyRequirement(id=new_id(), version=version, role=r) for r in roles
        )
        policy.current_version = version
        policy.save(update_fields=["current_version"])
        current.append(version)
    complaints = Policy.objects.get(title="Complaints")
    draft = PolicyVersion.objects.create(
        id=new_id(),
        policy=complaints,
        version="2027",
        text=COMPLAINTS.replace("reply in full within 28 days", "reply in full within 20 working days"),
        summary_of_changes=COMPLAINTS_V2_CHANGES,
        review_by=datetime.date(2027, 12, 1),
        drafted_by=manager,
        drafted_at=datetime.datetime(2026, 11, 20, 14, tzinfo=datetime.UTC),
    )
    PolicyRequirement.objects.bulk_create(
        PolicyRequirement(id=new_id(), version=draft, role=r) for r in ("manager", "deputy_manager", "senior")
    )
    return current


def _induction(new_id: Callable[[], uuid.UUID], manager: User, staff: dict[str, StaffMember]) -> None:
    items = [
        InductionItem.objects.create(id=new_id(), title=title, roles=roles, position=n)
        for n, (title, roles) in enumerate(INDUCTION_ITEMS)
    ]
    done_on = datetime.date(2020, 9, 4)
    for username, member in staff.items():
        if username in ("newstudent", "volunteer"):
            continue  # still to do: flagged on the manager's home
        InductionTick.objects.bulk_create(
            InductionTick(id=new_id(), staff_member=member, item=item, done_on=done_on, ticked_by=manager)
            for item in items
            if not item.roles or username == "kitchen"
        )
    training = {
        "dsl": [
            (TrainingKind.DSL, datetime.date(2024, 12, 10)),
            (TrainingKind.SAFEGUARDING, datetime.date(2025, 3, 3)),
        ],
        "kitchen": [(TrainingKind.FOOD_HYGIENE, datetime.date(2025, 6, 9))],
    }
    for username in ("manager", "senior", "keyworker", "keyworker2", "manager2"):
        training[username] = [
            (TrainingKind.SAFEGUARDING, datetime.date(2025, 1, 15)),
            (TrainingKind.PAEDIATRIC_FIRST_AID, datetime.date(2024, 5, 20)),
        ]
    for username, done in training.items():
        TrainingRecord.objects.bulk_create(
            TrainingRecord(
                id=new_id(),
                staff_member=staff[username],
                kind=kind,
                completed_on=day,
                expires_on=add_months(day, {TrainingKind.DSL: 24}.get(kind, 36)),
                recorded_by=manager,
            )
            for kind, day in done
        )


def _concern(new_id: Callable[[], uuid.UUID], staff: dict[str, StaffMember], site: Site) -> None:
    """A low-level concern about a practitioner, handled and closed by the manager."""
    manager, raised_by = staff["manager"].user, staff["keyworker"].user
    raised = datetime.datetime(2026, 10, 6, 15, 40, tzinfo=datetime.UTC)
    concern = StaffConcern.objects.create(
        id=new_id(),
        staff_member=staff["senior"],
        site=site,
        kind=StaffConcern.Kind.LOW_LEVEL,
        status=StaffConcern.Status.CLOSED,
        raised_by=raised_by,
        raised_at=raised,
        occurred_at=raised - datetime.timedelta(hours=3),
        what_happened="At lunch Sunita told a child who would not eat that she was a naughty girl, loudly, "
        "in front of the group.",
        case_manager=manager,
        outcome=StaffConcern.Outcome.DISCUSSED,
        outcome_note="Discussed with Sunita, who was upset it came across that way; agreed positive language "
        "at mealtimes and a refresher on the behaviour policy.",
        closed_at=raised + datetime.timedelta(days=2),
        closed_by=manager,
    )
    StaffConcernNote.objects.create(
        id=new_id(),
        concern=concern,
        heading="Closed: Discussed with the member of staff; guidance given",
        text=concern.outcome_note,
        author=manager,
        created_at=raised + datetime.timedelta(days=2),
    )
