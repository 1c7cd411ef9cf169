"""Raising a concern is not reading: anyone at the setting can raise one; the DSL is told."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEntry, Event
from records.models import Category, Notification, Record

pytestmark = pytest.mark.django_db

CONCERN = {
    "what_happened": "Ava flinched when I raised my hand to wave.",
    "childs_words": "Don't hit me.",
    "occurred_at": "2026-11-20T09:15",
    "where": "Acorns room",
    "who_present": "Kim",
    "body_map_note": "",
    "actions_taken": "Told Dee straight away.",
}


def test_the_concern_page_shows_only_who_the_child_is(client, world) -> None:
    client.force_login(world.volunteer)
    html = client.get(reverse("concern_raise", args=[world.ava.pk])).content.decode()
    assert "Ava Smith" in html and "14 March 2022" in html
    for private in ["Peanuts", "Asthma", "Park Terrace", "Amy Smith", "Bruise on arrival"]:
        assert private not in html
    start = client.get(reverse("concern_start")).content.decode()
    assert "<h1>Raise a safeguarding concern</h1>" in start
    assert "Smith, Ava" not in start  # no rooms today: no list of the setting's children
    found = client.post(
        reverse("concern_start"), {"first_name": "ava", "last_name": "SMITH", "date_of_birth": "2022-03-14"}
    ).content.decode()
    assert "Smith, Ava" in found and "Khan" not in found


def test_a_volunteer_raises_a_concern_the_dsls_are_told_and_the_volunteer_cannot_read_it(
    client, world, django_capture_on_commit_callbacks
) -> None:
    for person, address in [(world.dsl, "dee@example.org"), (world.accused, "alex@example.org")]:
        person.email = address
        person.save()
    client.force_login(world.volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("concern_raise", args=[world.ava.pk]), CONCERN, follow=True)
    assert "Your concern has been received" in response.content.decode()

    concern = Record.objects.filter(category=Category.SAFEGUARDING_CONCERN).latest("created_at")
    assert concern.tier == "safeguarding" and concern.author == world.volunteer
    assert "In the child's words:\nDon't hit me." in concern.body
    assert client.get(reverse("record_detail", args=[concern.pk])).status_code == 404
    assert AuditEntry.objects.filter(event=Event.CONCERN_RAISED, object_pk=str(concern.pk)).count() == 1

    told = set(
        Notification.objects.filter(url__contains=str(concern.pk)).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"dsl", "accused"}  # both DSLs of Oakfield
    assert sorted(m.to[0] for m in mail.outbox) == ["alex@example.org", "dee@example.org"]
    for message in mail.outbox:
        assert "Ava" not in message.subject + message.body and "Smith" not in message.body


def test_the_dsl_opens_the_concern_from_the_notification(client, world) -> None:
    client.force_login(world.colleague)
    client.post(reverse("concern_raise", args=[world.ava.pk]), CONCERN)
    client.force_login(world.dsl)
    inbox = client.get(reverse("notifications")).content.decode()
    # The page names the child for a reader who may see her; what is stored (and e-mailed) does not.
    assert "<strong>Ava Smith</strong>: A safeguarding concern was raised at Oakfield" in inbox
    note = Notification.objects.get(recipient=world.dsl)
    assert "Ava" not in note.message
    response = client.post(reverse("notification_open", args=[note.pk]), follow=True)
    assert "Ava flinched" in response.content.decode()
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"what_happened": ""}, "Describe what you saw or heard."),
        ({"occurred_at": "2099-01-01T09:00"}, "That time is in the future."),
        ({"occurred_at": "yesterday"}, "Enter a date and time, for example 20/11/2026 09:15."),
    ],
)
def test_an_incomplete_concern_keeps_what_was_typed_and_saves_nothing(client, world, change, message) -> None:
    client.force_login(world.colleague)
    before = Record.objects.count()
    response = client.post(reverse("concern_raise", args=[world.ava.pk]), {**CONCERN, **change})
    html = response.content.decode()
    assert message in html
    assert "Told Dee straight away." in html  # nothing typed is lost
    assert Record.objects.count() == before


def test_nobody_can_amend_a_concern_once_saved(client, world) -> None:
    client.force_login(world.dsl)
    assert client.get(reverse("record_amend", args=[world.ava_concern.pk])).status_code == 404
    html = client.get(reverse("record_detail", args=[world.ava_concern.pk])).content.decode()
    assert "never changed once saved" in html
