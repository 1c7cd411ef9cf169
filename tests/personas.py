"""
The people tests speak of, named for their access (STYLE.md point 8).

Kim is Ava's key worker at Oakfield; Colin is a colleague there with no grant;
Maria manages Oakfield; Dee is its safeguarding lead; Olly works at another
site; Amy is Ava's mother; Otto is another child's father; Sue is a superuser.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from access.models import Role, User
from records.models import Carer, Child, Record, Site, Tier
from tests.factories import (
    CarerFactory,
    ChildCarerFactory,
    ChildFactory,
    RecordFactory,
    SiteFactory,
    StaffMemberFactory,
    UserFactory,
)


@dataclass
class World:
    site: Site
    other_site: Site
    ava: Child
    other_child: Child
    keyworker: User
    colleague: User
    manager: User
    dsl: User
    outsider: User
    outside_manager: User
    parent: User
    other_parent: User
    superuser: User
    ava_progress: Record
    ava_concern: Record
    mother: Carer


def staff(username: str, site: Site, *roles: str) -> User:
    user = UserFactory(username=username, roles=list(roles))
    StaffMemberFactory(user=user, sites=[site])
    return user


@pytest.fixture
def world(db) -> World:
    site = SiteFactory(name="Oakfield Children's Centre")
    other_site = SiteFactory(name="Riverside Nursery")
    ava = ChildFactory(site=site, first_name="Ava", last_name="Smith")
    other_child = ChildFactory(site=other_site, first_name="Noah", last_name="Khan", allergies="Eggs")
    keyworker = staff("keyworker", site, Role.PRACTITIONER)
    parent = UserFactory(username="parent", first_name="Amy", last_name="Smith")
    other_parent = UserFactory(username="other_parent", first_name="Otto", last_name="Khan")
    mother = CarerFactory(user=parent, first_name="Amy", last_name="Smith")
    ChildCarerFactory(child=ava, carer=mother)
    ChildCarerFactory(
        child=other_child, carer=CarerFactory(user=other_parent, first_name="Otto", last_name="Khan")
    )
    return World(
        site=site,
        other_site=other_site,
        ava=ava,
        other_child=other_child,
        keyworker=keyworker,
        colleague=staff("colleague", site, Role.PRACTITIONER),
        manager=staff("manager", site, Role.MANAGER),
        dsl=staff("dsl", site, Role.DSL),
        outsider=staff("outsider", other_site, Role.PRACTITIONER),
        outside_manager=staff("outside_manager", other_site, Role.MANAGER),
        parent=parent,
        other_parent=other_parent,
        superuser=UserFactory(username="sue", is_superuser=True, is_staff=True),
        ava_progress=RecordFactory(child=ava, author=keyworker, title="Progress check"),
        ava_concern=RecordFactory(
            child=ava, author=keyworker, category="safeguarding_concern", tier=Tier.SAFEGUARDING,
            title="Bruise on arrival", body="Ava said daddy was cross.",
        ),
        mother=mother,
    )
