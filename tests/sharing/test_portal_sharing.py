"""What parents see of sharing: the disclosures made about their child and to whom,
except those with a safeguarding basis or to the police or social care, which stay
hidden (from the page and the access history) until the DSL releases them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry, Event
from sharing import services
from sharing.models import Disclosure
from tests.sharing.helpers import consent, court_order_share, make_sharing_objects, police, recipient, share

pytestmark = pytest.mark.django_db


def portal_pages(client, world) -> str:
    client.force_login(world.parent)
    sharing = client.get(reverse("portal_sharing", args=[world.ava.pk]))
    history = client.get(reverse("portal_history", args=[world.ava.pk]))
    assert sharing.status_code == history.status_code == 200
    return sharing.content.decode() + history.content.decode()


def test_a_consent_based_disclosure_shows_in_the_portal_with_its_recipient(client, world) -> None:
    consent(world)
    share(world, world.keyworker, recipient(world), [world.ava_progress])
    html = portal_pages(client, world)
    assert "Leeds Health Visiting Team (North) (health visitor)" in html
    assert "Shared information from the file" in html  # the access history says so too


def test_a_safeguarding_disclosure_made_without_pressing_anything_is_absent_from_the_portal(
    client, world
) -> None:
    objects = make_sharing_objects(world)
    assert objects.referral.hidden_from_parents and objects.referral.released_at is None
    client.force_login(world.dsl)  # the DSL opens it: a view of it, in the trail
    assert client.get(reverse("disclosure_detail", args=[objects.referral.pk])).status_code == 200
    html = portal_pages(client, world)
    assert "Social Work" not in html and "front door" not in html and "Safeguarding" not in html
    assert "Dee" not in html  # nothing of the DSL's visit to it, either
    assert "Nothing has been shared that we can show here." in html


def test_a_disclosure_to_the_police_stays_hidden_even_on_another_basis(client, world) -> None:
    disclosure = court_order_share(world, world.manager, police(world), [world.ava_progress])
    assert disclosure.status == Disclosure.Status.SENT and disclosure.hidden_from_parents
    assert "West Yorkshire Police" not in portal_pages(client, world)


def test_the_dsl_releases_a_hidden_disclosure_and_then_the_parents_see_it(client, world) -> None:
    disclosure = court_order_share(world, world.manager, police(world), [world.ava_progress])
    client.force_login(world.manager)  # not the manager's to release
    assert client.post(reverse("disclosure_release", args=[disclosure.pk])).status_code == 404
    client.force_login(world.dsl)
    assert client.post(reverse("disclosure_release", args=[disclosure.pk])).status_code == 302
    assert "West Yorkshire Police" in portal_pages(client, world)


def test_a_disclosure_waiting_for_approval_is_not_shown_as_shared(client, world) -> None:
    court_order_share(world, world.keyworker, recipient(world), [world.ava_progress])
    assert "Leeds Health Visiting" not in portal_pages(client, world)


def test_another_parent_sees_none_of_it(client, world) -> None:
    consent(world)
    share(world, world.keyworker, recipient(world), [world.ava_progress])
    client.force_login(world.other_parent)
    assert client.get(reverse("portal_sharing", args=[world.ava.pk])).status_code == 404
    html = client.get(reverse("portal_sharing", args=[world.other_child.pk])).content.decode()
    assert "Leeds Health Visiting" not in html


def test_the_release_is_audited_once(world) -> None:
    disclosure = court_order_share(world, world.manager, police(world), [world.ava_progress])
    released = services.disclosure_release(actor=world.dsl, disclosure=disclosure)
    assert released.is_visible_to_parents and released.released_by == world.dsl
    entries = AuditEntry.objects.filter(
        object_pk=str(disclosure.pk), reason__endswith="released to the parents"
    )
    assert [(e.actor, e.event) for e in entries] == [(world.dsl, Event.UPDATED)]
