"""Grants: live from the moment they are made, dead the moment they expire or are revoked."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from guardian.shortcuts import assign_perm

from access.models import ChildGroupObjectPermission, ChildUserObjectPermission, Grant, Role, Scope
from access.selectors import children_for
from access.services import grant_child_access, grant_revoke

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)


def can_open(client, world) -> bool:
    status = client.get(reverse("child_file", args=[world.ava.pk])).status_code
    assert status in (200, 404)
    return status == 200


def test_a_grant_works_from_when_it_is_made_until_the_moment_it_expires(client, world) -> None:
    with time_machine.travel(NOON, tick=False) as clock:
        client.force_login(world.student)
        assert not can_open(client, world)
        grant_child_access(
            actor=world.manager,
            child=world.ava,
            grantee=world.student,
            scope=Scope.CHILD_FILE,
            reason="Observation for her placement",
            expires_at=NOON + datetime.timedelta(hours=2),
        )
        assert can_open(client, world)
        clock.move_to(NOON + datetime.timedelta(hours=1, minutes=59, seconds=59))
        client.force_login(world.student)  # a fresh sign-in: sessions end after 30 idle minutes
        assert can_open(client, world)
        assert world.ava in children_for(world.student)
        clock.move_to(NOON + datetime.timedelta(hours=2))
        assert not can_open(client, world)  # no job has run: the query itself sees the expiry
        assert world.ava not in children_for(world.student)
        response = client.get(reverse("children"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1>Children</h1>" in html and "There are no children's files for you to see." in html
        assert "Smith, Ava" not in html


def test_a_revoked_grant_stops_at_once(client, world) -> None:
    grant = Grant.objects.get(grantee=world.granted_student)
    client.force_login(world.granted_student)
    assert can_open(client, world)
    grant_revoke(actor=world.manager, grant=grant)
    assert not can_open(client, world)
    assert not ChildUserObjectPermission.objects.filter(grant=grant).exists()


def test_permissions_outside_a_grant_give_nothing(client, world) -> None:
    """Global permissions, guardian rows made without a grant, and group object
    permissions are all ignored: need-to-know access is a named grant with a reason."""
    student = world.student
    student.user_permissions.add(Permission.objects.get(codename="view_child_file"))
    assign_perm("records.view_child_file", student, world.ava)
    group, _created = Group.objects.get_or_create(name=Role.STUDENT)
    ChildGroupObjectPermission.objects.create(
        group=group, permission=Permission.objects.get(codename="view_child_file"), content_object=world.ava
    )
    client.force_login(student)
    assert ChildUserObjectPermission.objects.filter(user=student, grant__isnull=True).exists()
    assert not can_open(client, world)


def test_the_superuser_flag_opens_nothing(client, world) -> None:
    client.force_login(world.superuser)
    assert not can_open(client, world)
    assert list(children_for(world.superuser)) == []


def test_a_conflict_keeps_someone_out_whatever_else_they_hold(client, world) -> None:
    from access.services import conflict_clear, conflict_record

    client.force_login(world.keyworker2)
    assert can_open(client, world)
    conflict = conflict_record(
        actor=world.manager,
        child=world.ava,
        user=world.keyworker2,
        reason="Sam is Ava's neighbour and family friend",
    )
    assert not can_open(client, world)
    response = client.get(reverse("children"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Children</h1>" in html and "There are no children's files for you to see." in html
    assert "Smith, Ava" not in html
    conflict_clear(actor=world.manager, conflict=conflict, reason="Moved house")
    # Clearing the conflict does not bring back the key-person role it ended.
    assert not can_open(client, world)


def test_an_inactive_account_sees_nothing_even_with_roles(world) -> None:
    world.manager.is_active = False
    world.manager.save()
    assert list(children_for(world.manager)) == []
