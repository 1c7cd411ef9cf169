"""Messages between a parent and the setting: a conversation per child and carer, read by
the key people and management, never by the other parent; a worry in one becomes a concern."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse

from access.models import User
from records.models import Category, Conversation, Message, Notification
from tests.portal import portal_fixtures
from tests.portal.portal_fixtures import Family

pytestmark = pytest.mark.django_db
family = portal_fixtures.family  # the fixture
LONDON = ZoneInfo("Europe/London")


def send(client, family: Family, text: str = "Ava was up in the night coughing."):
    client.force_login(family.world.parent)
    return client.post(reverse("portal_messages", args=[family.ava.pk]), {"body": text})


def test_a_parent_writes_the_key_people_are_told_and_a_reply_is_emailed_without_its_words(
    client, family, django_capture_on_commit_callbacks
) -> None:
    world = family.world
    assert send(client, family).status_code == 302
    message = Message.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM records_message")
        assert cursor.fetchone()[0].startswith("cf1$")
    told = set(Notification.objects.filter(child=family.ava).values_list("recipient__username", flat=True))
    assert {"keyworker", "keyworker2"} <= told
    thread = reverse("conversation", args=[message.conversation_id])
    client.force_login(world.keyworker)
    assert "up in the night coughing" in client.get(thread).content.decode()
    message.refresh_from_db()
    assert message.read_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(thread, {"body": "Thank you, we will keep her indoors today."})
    assert reply.status_code == 302
    assert [m.to for m in mail.outbox] == [["amy.smith@example.org"]]
    assert "keep her indoors" not in mail.outbox[0].body and "Ava" not in mail.outbox[0].body
    client.force_login(world.parent)
    page = client.get(reverse("portal_messages", args=[family.ava.pk])).content.decode()
    assert "keep her indoors today" in page and "Kim Tester" in page


def test_the_other_parent_never_sees_a_conversation_that_is_not_theirs(client, family) -> None:
    send(client, family, "Please don't tell Dev about the new flat.")
    client.force_login(User.objects.get(username="father"))  # Dev, Ava's father, with his own login
    page = client.get(reverse("portal_messages", args=[family.ava.pk])).content.decode()
    assert "<h1>Messages about Ava</h1>" in page
    assert "the new flat" not in page and "No messages yet." in page


def test_a_carer_under_a_court_restriction_cannot_write_about_that_child(client, family) -> None:
    client.force_login(family.world.parent)
    response = client.post(reverse("portal_messages", args=[family.mia.pk]), {"body": "Hello"})
    assert response.status_code == 404
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "persona", ["colleague", "granted_student", "outsider", "hr", "other_parent", "named"]
)
def test_staff_who_are_neither_key_person_nor_management_cannot_read_it(client, family, persona) -> None:
    send(client, family)
    thread = Conversation.objects.get()
    client.force_login(family.world.people[persona])
    assert client.get(reverse("conversation", args=[thread.pk])).status_code == 404
    assert client.post(reverse("conversation", args=[thread.pk]), {"body": "Hi"}).status_code == 404
    assert client.get(reverse("child_messages", args=[family.ava.pk])).status_code == 404
    message = Message.objects.get()
    assert client.post(reverse("message_concern", args=[message.pk])).status_code == 404


def test_the_manager_reads_the_childs_conversations(client, family) -> None:
    send(client, family)
    client.force_login(family.world.manager)
    page = client.get(reverse("child_messages", args=[family.ava.pk])).content.decode()
    assert "Amy Smith" in page and "1 new" in page


def test_an_empty_message_is_refused_and_nothing_saved(client, family) -> None:
    response = send(client, family, "   ")
    assert response.status_code == 400 and "Write your message." in response.content.decode()
    assert not Message.objects.exists()


def test_a_worry_in_a_message_is_raised_as_a_concern_with_the_message_in_it(client, family) -> None:
    send(client, family, "Her dad shouted at her all weekend and she is scared to go home.")
    message = Message.objects.get()
    client.force_login(family.world.keyworker)
    response = client.post(reverse("message_concern", args=[message.pk]), follow=True)
    assert "A safeguarding concern was raised" in response.content.decode()
    message.refresh_from_db()
    concern = message.concern
    assert concern.category == Category.SAFEGUARDING_CONCERN and concern.author == family.world.keyworker
    assert "scared to go home" in concern.body and "Amy Smith" in concern.body
    assert Notification.objects.filter(record=concern, recipient=family.world.dsl).exists()
    again = client.post(reverse("message_concern", args=[message.pk]), follow=True)
    assert "already been raised" in again.content.decode()


def test_parents_are_told_when_messages_are_read_and_that_it_is_closed_at_night(client, family) -> None:
    client.force_login(family.world.parent)
    with time_machine.travel(datetime.datetime(2026, 12, 2, 22, 0, tzinfo=LONDON), tick=False):
        page = client.get(reverse("portal_messages", args=[family.ava.pk])).content.decode()
    assert "Messages are read while" in page and "07:30 to 18:30" in page
    assert "It is closed now: your message will be read when it opens." in page
    with time_machine.travel(datetime.datetime(2026, 12, 2, 11, 0, tzinfo=LONDON), tick=False):
        page = client.get(reverse("portal_messages", args=[family.ava.pk])).content.decode()
    assert "It is closed now" not in page


def test_a_parent_is_emailed_when_something_is_shared_with_them_without_what_it_says(
    client, family, django_capture_on_commit_callbacks
) -> None:
    world = family.world
    client.force_login(world.keyworker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("record_add", args=[world.ava.pk]) + "?category=progress",
            {"title": "First steps on the climbing frame", "body": "She climbed up alone.",
             "occurred_at": "2026-11-20T10:00", "source": "staff"},
        )  # fmt: skip
    assert response.status_code == 302
    to = sorted(m.to[0] for m in mail.outbox)
    assert "amy.smith@example.org" in to and "dev@example.org" in to
    for message in mail.outbox:
        assert "climbing" not in message.body and "Ava" not in message.body
