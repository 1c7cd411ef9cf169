"""
The people tests speak of, named for their access (STYLE.md point 8).

At Oakfield: Kim (keyworker) and Sam (keyworker2) are Ava's key people; Colin
(colleague) works there with no grant; Maria manages it; Sunita is senior
staff; Dee is the DSL; Harriet is HR; Stu is a student with no grant and Gina
(granted_student) a student with a grant on Ava's file; Val volunteers; Cara
(carer_staff) is senior staff and Ava's aunt; Alex (accused) is the deputy DSL
and the subject of an allegation; Nia (named) was named by the DSL to read
Ava's safeguarding file; Kit (kitchen) works in the kitchen. Pat (two_sites)
is a practitioner at Oakfield and the manager of Riverside, one person with two
roles. At Riverside: Olly (outsider) and Owen (outside_manager). Tom is a
trustee and Chris (chair) the chair of trustees; Dana (dpl) is the
data-protection lead, from outside the setting; Sue is a superuser; Amy
(parent) is Ava's mother and Otto (other_parent) Noah's father.

Grants, key people and conflicts are made through the services, as a manager
would make them.
"""

from __future__ import annotations

import copy
import datetime
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from access import services as access_services
from access.models import Role, RoomAssignment, Scope, User
from records.models import (
    Attachment,
    Carer,
    Category,
    Child,
    ChildCarer,
    Message,
    Record,
    Room,
    Site,
    StaffMember,
    Tier,
    UnidentifiedConcern,
)
from records.services import attachment_create, unidentified_concern_raise
from records.services.messages import message_from_parent
from tests.conftest_settings import TEST_SETTINGS
from tests.factories import (
    CarerFactory,
    ChildCarerFactory,
    ChildFactory,
    RecordFactory,
    SiteFactory,
    StaffMemberFactory,
    UserFactory,
    give_roles,
)

GENERAL_CATEGORIES = [c for c in Category if c not in (Category.SAFEGUARDING_CONCERN, Category.STAFF_RECORD)]


@dataclass
class World:
    site: Site
    other_site: Site
    ava: Child
    other_child: Child
    people: dict[str, User]
    staff_files: dict[str, StaffMember]
    ava_general: dict[str, Record]
    ava_concern: Record
    ava_about_accused: Record
    contract: Record
    allegation: Record
    attachments: dict[str, Attachment] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["people"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def ava_progress(self) -> Record:
        return self.ava_general[Category.PROGRESS]


def staff(username: str, first: str, site: Site, *roles: str) -> User:
    user = UserFactory(username=username, first_name=first, last_name="Tester")
    StaffMemberFactory(user=user, job_title=", ".join(roles) or "Staff")
    give_roles(user, site, *roles)
    return user


def trustee(site: Site) -> User:
    user = UserFactory(username="trustee", first_name="Tom")
    give_roles(user, site, Role.TRUSTEE)
    return user


def governor(username: str, first: str, site: Site, role: str) -> User:
    """Someone who governs or advises the setting: a role there, no staff file."""
    user = UserFactory(username=username, first_name=first, last_name="Tester")
    give_roles(user, site, role)
    return user


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def build_world() -> World:
    site = SiteFactory(name="Oakfield Children's Centre")
    other_site = SiteFactory(name="Riverside Nursery")
    ava = ChildFactory(site=site, first_name="Ava", last_name="Smith")
    other_child = ChildFactory(site=other_site, first_name="Noah", last_name="Khan", allergies="Eggs")

    people = {
        "keyworker": staff("keyworker", "Kim", site, Role.PRACTITIONER),
        "keyworker2": staff("keyworker2", "Sam", site, Role.PRACTITIONER),
        "colleague": staff("colleague", "Colin", site, Role.PRACTITIONER),
        "outsider": staff("outsider", "Olly", other_site, Role.PRACTITIONER),
        "outside_manager": staff("outside_manager", "Owen", other_site, Role.MANAGER),
        "manager": staff("manager", "Maria", site, Role.MANAGER),
        "senior": staff("senior", "Sunita", site, Role.SENIOR),
        "dsl": staff("dsl", "Dee", site, Role.DSL),
        "hr": staff("hr", "Harriet", site, Role.HR),
        "student": staff("student", "Stu", site, Role.STUDENT),
        "granted_student": staff("granted_student", "Gina", site, Role.STUDENT),
        "volunteer": staff("volunteer", "Val", site, Role.VOLUNTEER),
        "carer_staff": staff("carer_staff", "Cara", site, Role.SENIOR),
        "accused": staff("accused", "Alex", site, Role.DSL, Role.PRACTITIONER),
        "named": staff("named", "Nia", site, Role.PRACTITIONER),
        "kitchen": staff("kitchen", "Kit", site, Role.KITCHEN),
        "two_sites": staff("two_sites", "Pat", site, Role.PRACTITIONER),
        "trustee": trustee(site),
        "chair": governor("chair", "Chris", site, Role.CHAIR),
        "dpl": governor("dpl", "Dana", site, Role.DATA_PROTECTION_LEAD),
        "superuser": UserFactory(username="superuser", first_name="Sue", is_superuser=True, is_staff=True),
        # Portal logins carry no names: the family's names are on the (encrypted) Carer.
        "parent": UserFactory(username="parent", first_name="", last_name="", is_portal_user=True),
        "other_parent": UserFactory(
            username="other_parent", first_name="", last_name="", is_portal_user=True
        ),
    }
    give_roles(people["two_sites"], other_site, Role.MANAGER)
    staff_files = {
        name: StaffMember.objects.get(user=user)
        for name, user in people.items()
        if StaffMember.objects.filter(user=user).exists()
    }
    mother = CarerFactory(user=people["parent"], first_name="Amy", last_name="Smith")
    ChildCarerFactory(child=ava, carer=mother)
    ChildCarerFactory(
        child=other_child,
        carer=CarerFactory(user=people["other_parent"], first_name="Otto", last_name="Khan"),
    )
    ChildCarerFactory(
        child=ava,
        carer=CarerFactory(user=people["carer_staff"], first_name="Cara"),
        relationship=ChildCarer.Relationship.OTHER_RELATIVE,
        parental_responsibility=False,
    )

    manager, dsl, hr = people["manager"], people["dsl"], people["hr"]
    access_services.key_worker_assign(actor=manager, child=ava, user=people["keyworker"])
    access_services.key_worker_assign(actor=manager, child=ava, user=people["keyworker2"])
    access_services.grant_child_access(
        actor=manager,
        child=ava,
        grantee=people["granted_student"],
        scope=Scope.CHILD_FILE,
        reason="Shadowing Kim this term",
    )
    access_services.grant_child_access(
        actor=dsl,
        child=ava,
        grantee=people["named"],
        scope=Scope.SAFEGUARDING_FILE,
        reason="Supporting the family plan",
    )

    when = datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC)
    ava_general = {
        category: RecordFactory(
            child=ava,
            author=people["keyworker"],
            category=category,
            title=f"{category.label} for Ava",
            body=f"About Ava: {category.label}.",
            occurred_at=when,
        )
        for category in GENERAL_CATEGORIES
    }
    ava_concern = RecordFactory(
        child=ava,
        author=people["colleague"],
        category=Category.SAFEGUARDING_CONCERN,
        tier=Tier.SAFEGUARDING,
        title="Bruise on arrival",
        body="Ava said daddy was cross.",
        occurred_at=when,
    )
    ava_about_accused = RecordFactory(
        child=ava,
        author=dsl,
        category=Category.OTHER,
        tier=Tier.SAFEGUARDING,
        title="Concern about a member of staff",
        body="Rough handling reported.",
        occurred_at=when,
        subject_staff_member=staff_files["accused"],
    )
    contract = RecordFactory(
        child=None,
        staff_member=staff_files["keyworker2"],
        category=Category.STAFF_RECORD,
        tier=Tier.PERSONNEL,
        author=hr,
        title="Contract of employment",
        body="37.5 hours a week.",
        occurred_at=when,
    )
    allegation = RecordFactory(
        child=None,
        staff_member=staff_files["accused"],
        category=Category.STAFF_RECORD,
        tier=Tier.PERSONNEL,
        author=hr,
        title="Allegation",
        body="A parent alleged rough handling.",
        occurred_at=when,
        subject_staff_member=staff_files["accused"],
        is_allegation=True,
    )
    built = World(
        site=site,
        other_site=other_site,
        ava=ava,
        other_child=other_child,
        people=people,
        staff_files=staff_files,
        ava_general=ava_general,
        ava_concern=ava_concern,
        ava_about_accused=ava_about_accused,
        contract=contract,
        allegation=allegation,
    )
    built.attachments = {
        "general": attachment_create(
            actor=people["keyworker"],
            record=built.ava_progress,
            uploaded=upload("painting.txt", "Ava's painting notes"),
        ),
        "safeguarding": attachment_create(
            actor=people["colleague"], record=ava_concern, uploaded=upload("body-map.txt", "Left upper arm")
        ),
        "personnel": attachment_create(
            actor=hr, record=contract, uploaded=upload("contract.txt", "Signed contract")
        ),
    }
    return built


@pytest.fixture(scope="module")
def _world_once(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[World, Path]]:
    """The world, built once for a test module inside a transaction that is
    rolled back when the module's tests are done. Each test runs inside it, in
    a savepoint of its own (pytest-django's `db`), so what a test changes is
    gone before the next test starts."""
    media = tmp_path_factory.mktemp("world-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, **TEST_SETTINGS):
        with transaction.atomic():
            built = build_world()
            yield built, media
            transaction.set_rollback(True)


@pytest.fixture
def world(_world_once: tuple[World, Path], db: None, settings: Any) -> World:
    """The personas and their files, as the module's world was built: a fresh
    copy of the objects for each test, and the attachments' sealed files in
    the test's own media folder."""
    built, media = _world_once
    shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return copy.deepcopy(built)


def parent_message(world: World, text: str = "Ava was up in the night with her cough.") -> Message:
    """Amy writes to the setting about Ava (records/models/messages.py)."""
    carer = Carer.objects.get(user=world.parent)
    return message_from_parent(actor=world.parent, child=world.ava, carer=carer, body=text)


def described_concern(world: World) -> UnidentifiedConcern:
    """A concern about a child the volunteer could not name (records/models/unidentified.py)."""
    return unidentified_concern_raise(
        actor=world.volunteer,
        site=world.site,
        description="A girl of about four in the blue coat, collected by her gran",
        what_happened="She said she was hungry all weekend.",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
    )


def ava_in_a_room(built: World) -> Room:
    """Put Ava in the Ladybirds room at Oakfield, where Stu (student) works from
    today, open-ended: he may open her emergency card (access/policy/emergency.py).
    Called by the tests that need it (Ava has no room otherwise); safe to call twice."""
    room, _ = Room.objects.get_or_create(site=built.site, name="Ladybirds")
    Child.objects.filter(pk=built.ava.pk).update(room=room)
    built.ava.room_id = room.pk
    RoomAssignment.objects.get_or_create(
        user=built.people["student"],
        room=room,
        defaults={"starts_at": datetime.datetime(2020, 9, 1, 9, tzinfo=datetime.UTC)},
    )
    return room
