"""One of each governance, emergency-access and staff-concern object, for the tests that
walk every URL with an id (tests/access/test_choke_point.py, tests/audit/test_completeness.py)."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from access.models import BreakGlass, Role, RoomAssignment
from access.services.break_glass import break_glass_end, break_glass_open
from governance import services as governance_services
from governance.models import Policy, PolicyKind, PolicyVersion
from records.models import StaffConcern
from records.services import staff_concern_raise
from tests.personas import World, ava_in_a_room

ALL_STAFF = [Role.PRACTITIONER, Role.STUDENT, Role.VOLUNTEER, Role.MANAGER, Role.DSL, Role.HR, Role.SENIOR]


def adopted_policy(
    world: World, *, title: str = "Confidentiality", roles: list[str] | None = None
) -> PolicyVersion:
    """A policy with a version the chair adopted (its grace period still running)."""
    policy = governance_services.policy_create(
        actor=world.manager, title=title, kind=PolicyKind.CONFIDENTIALITY, published_to_parents=True
    )
    draft = governance_services.version_draft(
        actor=world.manager,
        policy=policy,
        version="1",
        text="## Why\nWe keep what families tell us **confidential**.",
        roles=roles if roles is not None else [],
        review_by=timezone.localdate() + datetime.timedelta(days=365),
    )
    return governance_services.version_adopt_sign(
        actor=world.chair, version=draft, meeting_on=timezone.localdate(), password="a long test password"
    )


def break_glass_use(world: World) -> BreakGlass:
    """The colleague's emergency access to Ava's file (made once), ended by them at once: it
    waits for the DSL's review, and opens nothing to the colleague afterwards."""
    found = BreakGlass.objects.filter(user=world.colleague, child=world.ava).first()
    if found is not None:
        return found
    use = break_glass_open(
        actor=world.colleague,
        child=world.ava,
        reason_kind=BreakGlass.Reason.ALLERGY,
        reason="Ava's lips are swelling; her key people are out on a walk.",
    )
    return break_glass_end(actor=world.colleague, use=use)


def allegation_about_accused(world: World) -> StaffConcern:
    """An allegation about Alex (accused), raised by the colleague: Maria manages the case (made once)."""
    found = StaffConcern.objects.filter(staff_member=world.staff_files["accused"]).first()
    return found or staff_concern_raise(
        actor=world.colleague,
        staff_member=world.staff_files["accused"],
        site_id=world.site.pk,
        kind=StaffConcern.Kind.ALLEGATION,
        what_happened="A parent says Alex grabbed her son by the arm at pick-up.",
        occurred_at=timezone.now() - datetime.timedelta(hours=3),
        child=world.ava,
    )


def concern_about_manager(world: World) -> StaffConcern:
    """A low-level concern about Maria (manager): the chair manages the case (made once)."""
    found = StaffConcern.objects.filter(staff_member=world.staff_files["manager"]).first()
    return found or staff_concern_raise(
        actor=world.keyworker,
        staff_member=world.staff_files["manager"],
        site_id=world.site.pk,
        kind=StaffConcern.Kind.LOW_LEVEL,
        what_happened="Maria shared a photo of the children on her own phone.",
        occurred_at=timezone.now() - datetime.timedelta(hours=5),
    )


def staff_concern(world: World) -> StaffConcern:
    return staff_concern_raise(
        actor=world.colleague,
        staff_member=world.staff_files["keyworker2"],
        site_id=world.site.pk,
        kind=StaffConcern.Kind.LOW_LEVEL,
        what_happened="Shouted at a child at lunch.",
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
    )


def governance_objects(world: World) -> dict[str, list[uuid.UUID]]:
    """Ids by the kinds in tests/access/test_choke_point.py's ID_KINDS."""
    room = ava_in_a_room(world)
    version = adopted_policy(world)
    return {
        "policy": [version.policy_id],
        "policy_version": [version.pk],
        "policy_file": [uuid.uuid4()],
        "break_glass": [break_glass_use(world).pk],
        "staff_concern": [staff_concern(world).pk],
        "room": [room.pk],
        "room_assignment": list(RoomAssignment.objects.filter(room=room).values_list("pk", flat=True)),
    }


def governance_ids() -> dict[str, uuid.UUID | None]:
    """The first of each, made by governance_objects."""
    return {
        "policy": Policy.objects.values_list("pk", flat=True).first(),
        "policy_version": PolicyVersion.objects.values_list("pk", flat=True).first(),
        "break_glass": BreakGlass.objects.values_list("pk", flat=True).first(),
        "staff_concern": StaffConcern.objects.values_list("pk", flat=True).first(),
    }
