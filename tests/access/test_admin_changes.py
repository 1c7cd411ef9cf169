"""Roles are memberships given on the managers' pages: the admin gives no one any content."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from access.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_a_superuser_who_puts_themself_in_a_manager_group_reads_nothing(client, world) -> None:
    manager_group, _created = Group.objects.get_or_create(name=Role.MANAGER)
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
    assert world.superuser.groups.filter(name=Role.MANAGER).exists()
    page = client.get(reverse("child_file", args=[world.ava.pk]))
    assert page.status_code == 404 and "Page not found" in page.content.decode()
    listed = client.get(reverse("children")).content.decode()
    assert "<h1>Children</h1>" in listed and "Smith, Ava" not in listed


def test_memberships_are_not_in_the_admin(client, world) -> None:
    client.force_login(world.superuser)
    response = client.get("/admin/access/membership/")
    assert response.status_code == 404
    assert not Membership.objects.filter(user=world.superuser).exists()
