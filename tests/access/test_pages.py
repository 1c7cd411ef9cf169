"""Managing access from the web pages: what works, and bad input that changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import ChildUserObjectPermission, Conflict, Grant, KeyWorkerAssignment, Scope
from audit.models import AuditEntry, Event

pytestmark = pytest.mark.django_db


def grant_url(world, kind: str = "file") -> str:
    name = "grant_child_file" if kind == "file" else "grant_safeguarding_file"
    return reverse(name, args=[world.ava.pk])


def state() -> tuple[int, int, int, int]:
    return (
        Grant.objects.count(),
        ChildUserObjectPermission.objects.count(),
        KeyWorkerAssignment.objects.filter(ended_at__isnull=True).count(),
        Conflict.objects.count(),
    )


def test_the_access_tab_lists_everyone_who_can_read_the_file_and_why(client, world) -> None:
    client.force_login(world.manager)
    html = client.get(reverse("child_access", args=[world.ava.pk])).content.decode()
    for expected in [
        "Kim Tester",
        "Key person",
        "Maria Tester",
        "Manager at Oakfield",
        "Gina Tester",
        "Granted by Maria Tester",
        "Shadowing Kim this term",
        "Alex Tester",
        "Designated safeguarding lead at Oakfield",
    ]:
        assert expected in html, expected
    # Cara is Ava's aunt: kept out, and says why.
    assert "Cara Tester: A parent, carer or relative of the child" in html
    # Dee, Alex and Nia can read the safeguarding file; the manager sees how many, not who.
    assert "<strong>3</strong> people can read the safeguarding file" in html
    assert "Supporting the family plan" not in html


def test_the_safeguarding_file_shows_the_dsl_how_many_can_read_it(client, world) -> None:
    client.force_login(world.dsl)
    html = client.get(reverse("child_file", args=[world.ava.pk])).content.decode()
    assert "Confidential: 3 people can read this file." in html
    assert "Bruise on arrival" in html


def test_a_manager_assigns_and_ends_a_key_person(client, world) -> None:
    client.force_login(world.manager)
    response = client.post(
        reverse("key_worker_add", args=[world.ava.pk]), {"user": world.colleague.pk}, follow=True
    )
    assert "Colin Tester is now a key person." in response.content.decode()
    assignment = KeyWorkerAssignment.objects.get(user=world.colleague, ended_at__isnull=True)
    client.force_login(world.colleague)
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 200

    client.force_login(world.manager)
    client.post(reverse("key_worker_end", args=[assignment.pk]))
    client.force_login(world.colleague)
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 404
    assert AuditEntry.objects.filter(event=Event.REVOKED, object_pk=str(assignment.pk)).count() == 1


@pytest.mark.parametrize(
    ("persona", "message"),
    [
        ("student", "Stu Tester is not a practitioner."),
        ("outsider", "Olly Tester does not work at Oakfield Children&#x27;s Centre."),
        ("carer_staff", "Cara Tester has a conflict of interest with this child"),
        ("keyworker", "Kim Tester is already this child&#x27;s key person."),
    ],
)
def test_an_unsuitable_key_person_is_refused_with_a_reason(client, world, persona, message) -> None:
    client.force_login(world.manager)
    before = state()
    response = client.post(
        reverse("key_worker_add", args=[world.ava.pk]), {"user": getattr(world, persona).pk}, follow=True
    )
    assert message in response.content.decode()
    assert state() == before


def test_a_manager_grants_and_revokes_access_from_the_pages(client, world) -> None:
    client.force_login(world.manager)
    assert client.get(grant_url(world)).status_code == 200
    expires = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        grant_url(world),
        {
            "grantee": world.volunteer.pk,
            "reason": "Supporting Ava's settling-in visits",
            "expires_at": expires,
        },
        follow=True,
    )
    assert "Val Tester can now read the child&#x27;s file." in response.content.decode()
    grant = Grant.objects.get(grantee=world.volunteer)
    assert grant.granted_by == world.manager and grant.expires_at is not None
    assert ChildUserObjectPermission.objects.filter(grant=grant, user=world.volunteer).exists()

    client.post(reverse("grant_revoke", args=[grant.pk]))
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == world.manager
    client.force_login(world.volunteer)
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"grantee": "volunteer", "reason": "  "}, "Say why this person needs to know."),
        (
            {"grantee": "volunteer", "reason": "Cover", "expires_at": "2020-01-01T09:00"},
            "The expiry is in the past.",
        ),
        (
            {"grantee": "outsider", "reason": "Cover"},
            "Olly Tester does not work at Oakfield Children&#x27;s Centre. Access can only be granted",
        ),
        ({"grantee": "carer_staff", "reason": "Cover"}, "Cara Tester has a conflict of interest"),
        ({"grantee": "", "reason": "Cover"}, "Choose who needs access."),
        (
            {"grantee": "volunteer", "reason": "Cover", "expires_at": "next week"},
            "Enter the date and time access ends, for example 30/11/2026 17:00.",
        ),
    ],
)
def test_bad_grants_get_a_clear_message_and_change_nothing(client, world, data, message) -> None:
    client.force_login(world.manager)
    if data["grantee"]:
        data = {**data, "grantee": getattr(world, data["grantee"]).pk}
    before = state()
    response = client.post(grant_url(world), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem." in html and message in html
    assert state() == before


@pytest.mark.parametrize("persona", ["keyworker", "colleague", "senior", "dsl", "granted_student"])
def test_people_who_may_not_grant_are_refused_and_nothing_changes(client, world, persona) -> None:
    client.force_login(getattr(world, persona))
    before = state()
    response = client.post(grant_url(world), {"grantee": world.volunteer.pk, "reason": "Cover"})
    assert response.status_code == 404
    grant = Grant.objects.get(grantee=world.granted_student)
    assert client.post(reverse("grant_revoke", args=[grant.pk])).status_code == 404
    assert (
        client.post(reverse("key_worker_add", args=[world.ava.pk]), {"user": world.colleague.pk}).status_code
        == 404
    )
    assert state() == before


def test_the_dsl_names_people_for_the_safeguarding_file_and_the_manager_cannot(client, world) -> None:
    client.force_login(world.manager)
    assert client.get(grant_url(world, "safeguarding")).status_code == 404
    client.force_login(world.dsl)
    client.post(grant_url(world, "safeguarding"), {"grantee": world.senior.pk, "reason": "Core group member"})
    grant = Grant.objects.get(grantee=world.senior, scope=Scope.SAFEGUARDING_FILE)
    client.force_login(world.senior)
    assert client.get(reverse("record_detail", args=[world.ava_concern.pk])).status_code == 200
    assert AuditEntry.objects.filter(event=Event.GRANTED, object_pk=str(grant.pk)).count() == 1


def test_hr_grants_access_to_a_staff_file(client, world) -> None:
    member = world.staff_files["keyworker2"]
    client.force_login(world.hr)
    client.post(
        reverse("grant_staff_file", args=[member.pk]),
        {"grantee": world.manager.pk, "reason": "Capability meeting"},
    )
    client.force_login(world.manager)
    assert client.get(reverse("record_detail", args=[world.contract.pk])).status_code == 200
    assert client.get(reverse("staff_file", args=[member.pk])).status_code == 200


def test_a_manager_records_and_clears_a_conflict_from_the_pages(client, world) -> None:
    client.force_login(world.manager)
    response = client.post(
        reverse("conflict_add", args=[world.ava.pk]),
        {"user": world.senior.pk, "reason": "Ava's godmother"},
        follow=True,
    )
    assert "Sunita Tester is now kept out of this file." in response.content.decode()
    client.force_login(world.senior)
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 404

    conflict = Conflict.objects.get(user=world.senior)
    client.force_login(world.manager)
    response = client.post(reverse("conflict_clear", args=[conflict.pk]), {"reason": ""})
    assert "Say why the conflict no longer applies." in response.content.decode()
    client.post(reverse("conflict_clear", args=[conflict.pk]), {"reason": "Recorded in error"})
    client.force_login(world.senior)
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 200


def test_a_conflict_needs_a_reason(client, world) -> None:
    client.force_login(world.manager)
    before = state()
    response = client.post(
        reverse("conflict_add", args=[world.ava.pk]), {"user": world.senior.pk, "reason": ""}, follow=True
    )
    assert "Say what the conflict of interest is." in response.content.decode()
    assert state() == before
