"""Sessions end after 30 minutes without a request, but are not written on every request."""

from __future__ import annotations

import datetime

import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone


def expiry(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_is_refreshed_at_most_once_a_minute(client, world) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(world.keyworker)
        assert client.get(reverse("home")).status_code == 200
        first = expiry(client)
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        assert client.get(reverse("home")).status_code == 200
        assert expiry(client) == first  # not written again
    with time_machine.travel(start + datetime.timedelta(seconds=90), tick=False):
        assert client.get(reverse("home")).status_code == 200
        assert expiry(client) == first + datetime.timedelta(seconds=90)


def test_thirty_minutes_without_a_request_signs_the_person_out(client, world) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(world.keyworker)
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        assert client.get(reverse("home")).status_code == 200  # refreshed: 30 minutes from now
    with time_machine.travel(start + datetime.timedelta(minutes=49), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(
        start + datetime.timedelta(minutes=49, seconds=1) + datetime.timedelta(minutes=30)
    ):
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
