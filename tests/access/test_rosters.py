"""Nobody without a reason to see it is shown a list of the setting's children: raising a
concern and asking for access find a child through the person's rooms and key children,
or by full name and date of birth."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import RoomAssignment
from records.models import Room
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

PAGES = ["concern_start", "access_request_start"]
AVA = {"first_name": "AVA", "last_name": "smith", "date_of_birth": "2022-03-14"}


def listed(client, person, page: str, data: dict | None = None) -> str:
    client.force_login(person)
    response = client.post(reverse(page), data) if data is not None else client.get(reverse(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html and ("Raise a safeguarding concern" in html or "Ask for access" in html)
    return html


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["colleague", "hr", "student", "volunteer", "kitchen", "senior"])
def test_nobody_is_shown_the_settings_children_without_a_reason(client, world, page, persona) -> None:
    ChildFactory(site=world.site, first_name="Bea", last_name="Oak", room="Oaks")
    html = listed(client, world.people[persona], page)
    assert "Smith, Ava" not in html and "Oak, Bea" not in html


def test_the_concern_page_lists_the_key_persons_own_children(client, world) -> None:
    assert "Smith, Ava" in listed(client, world.keyworker, "concern_start")


@pytest.mark.parametrize("page", PAGES)
def test_children_in_the_rooms_someone_works_in_today_are_listed(client, world, page) -> None:
    acorns = Room.objects.create(site=world.site, name="Acorns")
    bea = ChildFactory(site=world.site, first_name="Bea", last_name="Oak", room=acorns)
    now = timezone.now()
    RoomAssignment.objects.create(user=world.student, room=acorns, starts_at=now - datetime.timedelta(days=1))
    assert "Oak, Bea" in listed(client, world.student, page)
    # An assignment that has ended, or not yet begun, lists nobody.
    RoomAssignment.objects.update(ends_at=now - datetime.timedelta(minutes=1))
    assert "Oak, Bea" not in listed(client, world.student, page)
    RoomAssignment.objects.create(
        user=world.volunteer, room=acorns, starts_at=now + datetime.timedelta(days=1)
    )
    assert "Oak, Bea" not in listed(client, world.volunteer, page)
    assert bea.pk


@pytest.mark.parametrize("page", PAGES)
def test_a_child_is_found_only_by_first_name_last_name_and_date_of_birth_together(
    client, world, page
) -> None:
    assert "Smith, Ava" in listed(client, world.colleague, page, AVA)
    for missing in ["first_name", "last_name", "date_of_birth"]:
        client.force_login(world.colleague)
        response = client.post(reverse(page), {**AVA, missing: ""})
        assert response.status_code == 400
        assert "give their first name, last name and date of birth" in response.content.decode()
        assert "Smith, Ava" not in response.content.decode()
    wrong_day = listed(client, world.colleague, page, {**AVA, "date_of_birth": "2022-03-15"})
    assert "Smith, Ava" not in wrong_day


def test_another_settings_child_is_never_found(client, world) -> None:
    noah = {"first_name": "Noah", "last_name": "Khan", "date_of_birth": "2022-03-14"}
    for page in PAGES:
        assert "Khan, Noah" not in listed(client, world.colleague, page, noah)
