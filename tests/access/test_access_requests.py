"""Staff ask the manager for access to a child's file; the manager grants or declines."""

from __future__ import annotations

import pytest
from django.urls import reverse

from access.models import AccessRequest, Grant
from access.services import access_request_create
from audit.models import AuditEntry
from records.models import Notification

pytestmark = pytest.mark.django_db


def ask(client, person, child, reason="Covering Kim's group this week"):
    client.force_login(person)
    return client.post(reverse("access_request_new", args=[child.pk]), {"reason": reason})


AVA = {"first_name": "Ava", "last_name": "Smith", "date_of_birth": "14/03/2022"}
NOAH = {"first_name": "Noah", "last_name": "Khan", "date_of_birth": "14/03/2022"}


def find(client, person, identity) -> str:
    client.force_login(person)
    response = client.post(reverse("access_request_start"), identity)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Ask for access to a child's file</h1>" in html
    return html


def test_a_colleague_finds_only_children_whose_file_they_cannot_read(client, world) -> None:
    assert "Smith, Ava" in find(client, world.colleague, AVA)
    assert "Khan, Noah" not in find(client, world.colleague, NOAH)  # another setting's child
    html = find(client, world.keyworker, AVA)
    assert "No child at your settings has that name and date of birth" in html
    assert "Smith, Ava" not in html  # she is Kim's key child: nothing to ask for


def test_asking_tells_the_manager_and_the_manager_grants_it(client, world) -> None:
    response = ask(client, world.colleague, world.ava)
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert request.reason == "Covering Kim's group this week"
    assert request.status == AccessRequest.Status.PENDING
    told = Notification.objects.filter(url=reverse("access_request_decide", args=[request.pk]))
    assert set(told.values_list("recipient__username", flat=True)) == {"manager"}
    # Still nothing to read until the manager decides.
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 404

    client.force_login(world.manager)
    home = client.get(reverse("home")).content.decode()
    assert reverse("access_request_decide", args=[request.pk]) in home
    response = client.post(reverse("access_request_decide", args=[request.pk]), {"decision": "grant"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.GRANTED and request.grant.grantee == world.colleague
    assert AuditEntry.objects.filter(event="granted", child_id=world.ava.pk).exists()
    client.force_login(world.colleague)
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 200
    assert Notification.objects.filter(recipient=world.colleague, message__contains="granted").exists()


def test_declining_needs_a_note_which_the_person_asking_sees(client, world) -> None:
    ask(client, world.colleague, world.ava)
    request = AccessRequest.objects.get()
    client.force_login(world.manager)
    url = reverse("access_request_decide", args=[request.pk])
    response = client.post(url, {"decision": "decline", "note": ""})
    assert response.status_code == 400
    assert "Say why access is not given" in response.content.decode()
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.PENDING
    client.post(url, {"decision": "decline", "note": "Kim is back on Monday."})
    request.refresh_from_db()
    assert (
        request.status == AccessRequest.Status.DECLINED
        and not Grant.objects.filter(grantee=world.colleague).exists()
    )
    client.force_login(world.colleague)
    assert "Kim is back on Monday." in client.get(reverse("access_request_start")).content.decode()
    assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 404


def test_asking_without_a_reason_or_twice_is_refused_with_a_message(client, world) -> None:
    response = ask(client, world.colleague, world.ava, reason="")
    assert response.status_code == 400 and "Say why you need to know." in response.content.decode()
    assert not AccessRequest.objects.exists()
    ask(client, world.colleague, world.ava)
    response = ask(client, world.colleague, world.ava)
    assert "You have already asked" in response.content.decode()
    assert AccessRequest.objects.count() == 1


def test_people_who_may_not_decide_get_404(client, world) -> None:
    request = access_request_create(actor=world.colleague, child=world.ava, reason="Covering")
    url = reverse("access_request_decide", args=[request.pk])
    for person in (world.senior, world.keyworker, world.colleague, world.outside_manager, world.dsl):
        client.force_login(person)
        assert client.get(url).status_code == 404, person.username
        assert client.post(url, {"decision": "grant"}).status_code == 404, person.username
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.PENDING


def test_a_relative_of_the_child_cannot_ask(client, world) -> None:
    html = find(client, world.carer_staff, AVA)
    assert "No child at your settings has that name and date of birth" in html
    assert "Smith, Ava" not in html
    assert ask(client, world.carer_staff, world.ava).status_code == 404
    assert not AccessRequest.objects.exists()


def test_staff_of_another_setting_cannot_ask(client, world) -> None:
    assert ask(client, world.outsider, world.ava).status_code == 404
