"""The emergency card: the staff in a child's room today see it (students and volunteers
too); kitchen staff see the dietary and allergy part for the whole site; nobody else
gets a site-wide list; each opening is audited, and it is not a file read."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access.models import RoomAssignment
from access.services import conflict_record, rooms
from audit.models import AuditEntry, Event
from tests.factories import ChildCarerFactory, ChildFactory
from tests.personas import ava_in_a_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(world):
    room = ava_in_a_room(world)
    link = world.ava.carer_links.get(carer__user=world.parent)
    link.emergency_contact = link.may_collect = True
    link.save()
    ChildCarerFactory(
        child=world.ava,
        carer__first_name="Darren",
        carer__last_name="Cole",
        relationship="father",
        restricted_contact=True,
        restriction_note="Prohibited steps order, 2025",
    )
    return room


def test_a_student_working_in_the_room_today_sees_the_whole_card_and_not_the_file(
    client, world, room
) -> None:
    client.force_login(world.student)
    page = client.get(reverse("emergency_card", args=[world.ava.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for shown in ("Ava Smith", "Peanuts", "Asthma", "Amy Smith", "07700 900123", "Collection restricted"):
        assert shown in html, shown
    # Who may not collect: a flag only, no detail of any order, nor who it is.
    assert "Prohibited steps" not in html and "Darren" not in html
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 404
    entry = AuditEntry.objects.filter(event=Event.VIEWED, child_id=world.ava.pk).latest("id")
    assert entry.actor == world.student and entry.reason == "Emergency card (not the file)"


def test_kitchen_staff_see_allergies_and_diet_for_every_child_at_the_site_and_no_file(
    client, world, room
) -> None:
    other = ChildFactory(site=world.site, first_name="Zara", last_name="Wood", allergies="Sesame")
    client.force_login(world.kitchen)
    listed = client.get(reverse("kitchen_list")).content.decode()
    assert "Smith, Ava" in listed and "Wood, Zara" in listed and "Sesame" in listed
    assert "Khan, Noah" not in listed  # Riverside's children: not their site
    card = client.get(reverse("emergency_card", args=[other.pk])).content.decode()
    assert "Sesame" in card and "Asthma" not in card and "Emergency contacts" not in card
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 404


def test_nobody_else_gets_a_list_of_the_sites_children(client, world, room) -> None:
    for persona in ("colleague", "manager", "volunteer", "trustee", "outsider"):
        client.force_login(world.people[persona])
        assert "Smith, Ava" not in client.get(reverse("emergency_cards")).content.decode(), persona
        assert "Smith, Ava" not in client.get(reverse("kitchen_list")).content.decode(), persona
        assert client.get(reverse("emergency_card", args=[world.ava.pk])).status_code == 404, persona


def test_the_card_follows_todays_room_assignments(client, world, room) -> None:
    RoomAssignment.objects.filter(user=world.student).delete()
    yesterday = timezone.now() - datetime.timedelta(days=1)
    RoomAssignment.objects.create(
        user=world.volunteer, room=room, starts_at=yesterday - datetime.timedelta(hours=8), ends_at=yesterday
    )
    cover_from = timezone.localtime().replace(hour=0, minute=5)
    RoomAssignment.objects.create(
        user=world.colleague,
        room=room,
        starts_at=cover_from,
        ends_at=cover_from + datetime.timedelta(hours=23),
    )
    url = reverse("emergency_card", args=[world.ava.pk])
    for persona, expected in (("student", 404), ("volunteer", 404), ("colleague", 200)):
        client.force_login(world.people[persona])
        assert client.get(url).status_code == expected, persona
    client.force_login(world.colleague)
    assert "Smith, Ava" in client.get(reverse("emergency_cards")).content.decode()


def test_someone_kept_out_of_the_file_sees_only_the_dietary_part(client, world, room) -> None:
    conflict_record(actor=world.manager, child=world.ava, user=world.student, reason="Family friend")
    client.force_login(world.student)
    html = client.get(reverse("emergency_card", args=[world.ava.pk])).content.decode()
    assert "Peanuts" in html and "Amy Smith" not in html and "Asthma" not in html


def test_a_student_whose_role_ended_sees_no_card(client, world, room) -> None:
    world.student.memberships.update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(world.student)
    assert client.get(reverse("emergency_card", args=[world.ava.pk])).status_code == 404


def test_the_rooms_list_costs_the_same_queries_however_many_children(
    client, world, room, django_assert_num_queries
) -> None:
    client.force_login(world.student)
    client.get(reverse("emergency_cards"))
    with django_assert_num_queries(9) as small:
        client.get(reverse("emergency_cards"))
    for n in range(25):
        ChildFactory(site=world.site, room=room, first_name=f"Child{n}", last_name="Many")
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(reverse("emergency_cards")).content.decode()
    assert html.count("Many, Child") == 25


def test_the_manager_puts_cover_staff_in_a_room_for_today_and_they_see_its_cards(client, world, room) -> None:
    client.force_login(world.manager)
    page = client.get(reverse("rooms_today")).content.decode()
    assert "Ladybirds" in page and "Stu Tester" in page
    response = client.post(
        reverse("room_assign", args=[room.pk]), {"user": world.colleague.pk, "today_only": "on"}
    )
    assert response.status_code == 302
    cover = RoomAssignment.objects.get(user=world.colleague)
    assert cover.ends_at is not None and timezone.localtime(cover.ends_at).hour == 0
    client.force_login(world.colleague)
    assert client.get(reverse("emergency_card", args=[world.ava.pk])).status_code == 200
    with time_machine.travel(cover.ends_at, tick=False):
        client.force_login(world.colleague)
        assert client.get(reverse("emergency_card", args=[world.ava.pk])).status_code == 404


def test_someone_from_another_setting_cannot_be_put_in_a_room(world, room) -> None:
    with pytest.raises(ValidationError):
        rooms.room_assign(actor=world.manager, room=room, user=world.outsider, today_only=True)
    assert not RoomAssignment.objects.filter(user=world.outsider).exists()


@pytest.mark.parametrize("persona", ["keyworker", "student", "outside_manager", "dsl"])
def test_rooms_are_the_managers_to_change(client, world, room, persona) -> None:
    client.force_login(world.people[persona])
    assert client.get(reverse("rooms_today")).status_code == 404
    assert (
        client.post(reverse("room_assign", args=[room.pk]), {"user": world.colleague.pk}).status_code == 404
    )
    assignment = RoomAssignment.objects.get(user=world.student)
    assert client.post(reverse("room_assignment_end", args=[assignment.pk])).status_code == 404
    assert not RoomAssignment.objects.filter(user=world.colleague).exists()
