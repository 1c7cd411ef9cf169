"""Bugs a new user found, each pinned by a test that failed before its fix."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.contrib.staticfiles import finders
from django.urls import reverse

from records.models import Category, Record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", [None, "keyworker", "parent"])
def test_every_page_has_an_icon_and_favicon_ico_is_found(client, world, persona) -> None:
    """Every page logged a console error: /favicon.ico was a 404."""
    if persona:
        client.force_login(world.people[persona])
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")
    assert finders.find("favicon.ico") and finders.find("favicon.svg")
    name = {None: "login", "keyworker": "home", "parent": "portal_home"}[persona]
    page = client.get(reverse(name)).content.decode()
    assert 'rel="icon"' in page


def test_family_information_may_tell_of_what_happened_before_the_child_was_born(world) -> None:
    """A record dated 2001 was accepted for a child born in 2022: now refused, except family
    information (a family's history)."""
    when = datetime.datetime(2019, 6, 1, 10, tzinfo=datetime.UTC)
    for category, allowed in ((Category.FAMILY_INFORMATION, True), (Category.PROGRESS, False)):
        record = Record(
            child=world.ava, category=category, title="t", occurred_at=when, author=world.keyworker
        )
        if allowed:
            record.clean()
        else:
            with pytest.raises(ValidationError, match="before the child was born"):
                record.clean()
