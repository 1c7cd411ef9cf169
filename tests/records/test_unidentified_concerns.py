"""A concern about a child the person raising it cannot name fully: nothing stands between
anyone at the setting and raising a concern (a volunteer seldom knows a date of birth)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry, Event
from records.models import Addendum, Category, Notification, Record, Tier, UnidentifiedConcern
from tests.personas import described_concern

pytestmark = pytest.mark.django_db

DESCRIBED = {
    "description": "Boy of about three in Acorns, red wellies, his dad calls him Jojo",
    "what_happened": "He flinched when I reached for his coat and said 'no smack'.",
    "occurred_at": "2026-11-30T10:15",
    "childs_words": "no smack",
}


def test_a_volunteer_with_no_rooms_and_no_date_of_birth_raises_it_and_the_dsls_are_told(
    client, world
) -> None:
    client.force_login(world.volunteer)
    start = client.get(reverse("concern_start")).content.decode()
    assert reverse("unidentified_concern_raise") in start
    response = client.post(reverse("unidentified_concern_raise"), DESCRIBED, follow=True)
    assert "Your concern has been received" in response.content.decode()
    concern = UnidentifiedConcern.objects.get()
    assert concern.site == world.site and concern.author == world.volunteer
    assert "red wellies" in concern.description and "no smack" in concern.body
    told = set(Notification.objects.filter(url__contains=str(concern.pk)).values_list("recipient", flat=True))
    assert told == {world.dsl.pk, world.accused.pk}  # the site's DSL and deputy DSL
    assert AuditEntry.objects.filter(event=Event.CONCERN_RAISED, object_pk=str(concern.pk)).count() == 1
    # The volunteer sees it only as received.
    home = client.get(reverse("home")).content.decode()
    assert "received by the designated safeguarding lead" in home and "red wellies" not in home


def test_without_a_description_it_says_what_is_missing_and_saves_nothing(client, world) -> None:
    client.force_login(world.volunteer)
    response = client.post(reverse("unidentified_concern_raise"), {**DESCRIBED, "description": " "})
    assert response.status_code == 400
    assert "Describe the child" in response.content.decode()
    assert not UnidentifiedConcern.objects.exists()


def test_only_the_sites_safeguarding_leads_read_it(client, world) -> None:
    concern = described_concern(world)
    url = reverse("unidentified_concern", args=[concern.pk])
    for persona in ["volunteer", "manager", "keyworker", "hr", "outsider", "outside_manager", "trustee"]:
        client.force_login(world.people[persona])
        assert client.get(url).status_code == 404, persona
    client.force_login(world.dsl)
    page = client.get(url).content.decode()
    assert "blue coat" in page and "hungry all weekend" in page


def test_the_dsl_finds_the_child_and_files_it_as_raised_by_the_volunteer(client, world) -> None:
    concern = described_concern(world)
    client.force_login(world.dsl)
    found = client.post(reverse("unidentified_concern", args=[concern.pk]), {"query": "Ava"}).content.decode()
    assert "Smith, Ava" in found
    response = client.post(reverse("unidentified_concern_link", args=[concern.pk]), {"child": world.ava.pk})
    record = Record.objects.get(unidentified_origin=concern)
    assert response.status_code == 302 and response["Location"] == reverse("record_detail", args=[record.pk])
    assert (record.child, record.author, record.tier) == (world.ava, world.volunteer, Tier.SAFEGUARDING)
    assert record.category == Category.SAFEGUARDING_CONCERN and "hungry all weekend" in record.body
    note = Addendum.objects.get(record=record)
    assert "blue coat" in note.text and note.author == world.dsl
    concern.refresh_from_db()
    assert concern.status == UnidentifiedConcern.Status.LINKED and concern.linked_by == world.dsl
    # Filed once: a second try is refused with a message, and nothing more is made.
    again = client.post(
        reverse("unidentified_concern_link", args=[concern.pk]), {"child": world.ava.pk}, follow=True
    )
    assert "already filed" in again.content.decode()
    assert Record.objects.filter(unidentified_origin__isnull=False).count() == 1


def test_a_child_at_another_setting_cannot_be_chosen(client, world) -> None:
    concern = described_concern(world)
    client.force_login(world.dsl)
    response = client.post(
        reverse("unidentified_concern_link", args=[concern.pk]), {"child": world.other_child.pk}, follow=True
    )
    assert "Choose the child from the search results" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == UnidentifiedConcern.Status.WAITING


def test_it_waits_at_the_top_of_the_dsls_queue(client, world) -> None:
    concern = described_concern(world)
    client.force_login(world.dsl)
    queue = client.get(reverse("concern_queue")).content.decode()
    assert "About a child not yet identified" in queue
    assert reverse("unidentified_concern", args=[concern.pk]) in queue
    client.force_login(world.outside_manager)
    assert (
        reverse("unidentified_concern", args=[concern.pk]) not in client.get(reverse("home")).content.decode()
    )
