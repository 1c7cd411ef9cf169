"""What the trail records so far, and that a failed audit write fails the response."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AuditEntry, Event

pytestmark = pytest.mark.django_db


def test_signing_in_and_out_are_recorded(client, world) -> None:
    client.post(reverse("login"), {"username": "manager", "password": "a long test password"})
    client.post(reverse("logout"))
    events = list(
        AuditEntry.objects.filter(event__in=[Event.LOGIN, Event.LOGOUT, Event.LOGIN_FAILED])
        .order_by("id")
        .values_list("event", "actor__username")
    )
    assert events == [(Event.LOGIN, "manager"), (Event.LOGOUT, "manager")]


def test_a_failed_sign_in_records_the_username_tried_and_never_the_password(client, world) -> None:
    client.post(
        reverse("login"), {"username": "manager", "password": "guess-number-one"}, REMOTE_ADDR="203.0.113.9"
    )
    entry = AuditEntry.objects.get(event=Event.LOGIN_FAILED)
    assert entry.actor is None
    assert entry.additional_data == {"username": "manager"}
    assert entry.remote_addr == "203.0.113.9"
    assert "guess-number-one" not in str(list(AuditEntry.objects.values()))


def test_a_failed_sign_in_with_an_unknown_username_keeps_only_a_fingerprint(client, world) -> None:
    for _ in range(2):
        client.post(reverse("login"), {"username": "Ava Smith 14/03/2022", "password": "x"})
    entries = list(AuditEntry.objects.filter(event=Event.LOGIN_FAILED))
    assert len(entries) == 2
    assert entries[0].additional_data == entries[1].additional_data  # the same text, grouped
    assert "Ava" not in str(list(AuditEntry.objects.values()))


def test_if_the_audit_write_fails_the_person_sees_an_error_and_no_data(client, world) -> None:
    client.force_login(world.manager)
    client.raise_request_exception = False
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:  # the trail's table is gone: every write to it fails
        cursor.execute(f"ALTER TABLE {table} RENAME TO audit_unavailable")
    response = client.get(reverse("child_file", args=[world.ava.pk]))
    assert response.status_code == 500
    body = response.content.decode()
    assert "<h1>Something went wrong</h1>" in body  # the error page, not the file
    assert "Ava" not in body and "Smith" not in body and "Peanuts" not in body
