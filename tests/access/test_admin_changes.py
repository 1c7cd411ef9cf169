"""Roles and sites decide who reads which files: changing them in the admin is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from access.models import Role
from audit.models import AuditEntry, Event

pytestmark = pytest.mark.django_db


def test_a_superuser_giving_themself_a_role_in_the_admin_is_recorded(client, world) -> None:
    manager_group = Group.objects.get(name=Role.MANAGER)
    client.force_login(world.superuser)
    response = client.post(
        f"/admin/access/user/{world.superuser.pk}/change/",
        {
            "username": "superuser",
            "first_name": "Sue",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [manager_group.pk],
            "date_joined_0": "2026-11-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(event=Event.GRANTED, object_pk=str(world.superuser.pk))
    assert entry.actor == world.superuser
    assert entry.reason == "Role added: manager"


def test_adding_a_staff_member_to_a_site_is_recorded(world) -> None:
    member = world.staff_files["outsider"]
    member.sites.add(world.site)
    added = AuditEntry.objects.filter(
        event=Event.GRANTED, staff_member_id=member.pk, reason="Setting added: Oakfield Children's Centre"
    )
    assert added.count() == 1
    member.sites.remove(world.site)
    removed = AuditEntry.objects.filter(
        event=Event.REVOKED, staff_member_id=member.pk, reason="Setting removed: Oakfield Children's Centre"
    )
    assert removed.count() == 1
