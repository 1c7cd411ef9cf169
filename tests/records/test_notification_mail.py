"""How notifications reach people by e-mail: each time (the default), once a day in the
morning, or never. E-mail never names a child."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from access.models import User
from records import services

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def tell(world, *people) -> None:
    services.notify(recipients=list(people), message="Something is waiting.", child=world.ava)


def set_mail(client, person, choice: str) -> None:
    client.force_login(person)
    assert client.post(reverse("notification_mail"), {"notification_mail": choice}).status_code == 302
    person.refresh_from_db()


def test_people_who_chose_a_daily_summary_get_one_in_the_morning_naming_nobody(
    client, world, django_capture_on_commit_callbacks
) -> None:
    world.keyworker.email, world.colleague.email = "kim@example.org", "colin@example.org"
    world.keyworker.save()
    world.colleague.save()
    set_mail(client, world.keyworker, User.Mail.DAILY)
    set_mail(client, world.colleague, User.Mail.NEVER)
    with time_machine.travel(datetime.datetime(2026, 12, 2, 16, 0, tzinfo=LONDON), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            tell(world, world.keyworker, world.colleague)
            tell(world, world.keyworker)
        assert mail.outbox == []  # no e-mail each time for either of them
    with time_machine.travel(datetime.datetime(2026, 12, 3, 6, 30, tzinfo=LONDON), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.notification_digests() == 0  # not yet morning
    with time_machine.travel(datetime.datetime(2026, 12, 3, 7, 5, tzinfo=LONDON), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_due_jobs", "--force", "records.notification_digest")
            assert services.notification_digests() == 0  # once a day
    assert [m.to for m in mail.outbox] == [["kim@example.org"]]
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert "2 new notifications" in body and "Ava" not in body and "Smith" not in body


def test_a_bad_choice_is_refused_with_a_message(client, world) -> None:
    client.force_login(world.keyworker)
    response = client.post(reverse("notification_mail"), {"notification_mail": "hourly"}, follow=True)
    assert "Choose how you want to be e-mailed." in response.content.decode()
    world.keyworker.refresh_from_db()
    assert world.keyworker.notification_mail == User.Mail.EACH
