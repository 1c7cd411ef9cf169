"""The acknowledgement gate: nobody required to acknowledge the current version of a
policy (past its grace period) opens any file; raising a concern and the emergency
card are never gated; a new version asks again (access/policy/rules.py, facts ``gated``)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access import policy
from access.models import Role
from governance import services
from records.models import Child, Record, StaffMember
from tests.governance.objects import adopted_policy
from tests.personas import ava_in_a_room, staff

pytestmark = pytest.mark.django_db

STAFF = [Role.PRACTITIONER, Role.STUDENT, Role.VOLUNTEER, Role.MANAGER, Role.DSL, Role.HR, Role.SENIOR]


def past_grace(version) -> datetime.datetime:
    return version.acknowledge_by + datetime.timedelta(seconds=1)


def facts(person):
    policy.forget_facts()
    return policy.load_facts(person)


def test_within_the_grace_period_files_stay_open_and_the_person_is_reminded(world) -> None:
    version = adopted_policy(world, roles=STAFF)
    found = facts(world.keyworker)
    assert not found.gated and found.policies_due == {version.pk.hex}
    assert policy.reads_general(found, world.ava)


def test_after_the_grace_period_nobody_who_has_not_read_it_opens_any_file(world) -> None:
    version = adopted_policy(world, roles=STAFF)
    with time_machine.travel(past_grace(version), tick=False):
        for persona in ("keyworker", "manager", "dsl", "hr", "granted_student"):
            person = world.people[persona]
            found = facts(person)
            assert found.gated, persona
            assert not Child.objects.filter(policy.child_filter(person)).exists(), persona
            assert not Record.objects.filter(policy.record_filter(person)).exists(), persona
            assert not StaffMember.objects.filter(policy.staff_file_filter(person)).exists(), persona
            assert not policy.reads_general(found, world.ava)
            assert not policy.reads_safeguarding(found, world.ava)
            assert not policy.reads_record(found, world.contract, frozenset({world.site.pk}))


def test_the_grace_period_ends_at_the_second_within_one_request(world) -> None:
    version = adopted_policy(world, roles=STAFF)
    with (
        policy.facts_kept_for_request(),
        time_machine.travel(version.acknowledge_by - datetime.timedelta(seconds=1), tick=False) as clock,
    ):
        assert not policy.facts_of(world.keyworker).gated
        clock.move_to(version.acknowledge_by)
        assert policy.facts_of(world.keyworker).gated


def test_every_file_page_list_and_selector_is_closed_but_home_concerns_and_cards_are_open(
    client, world
) -> None:
    ava_in_a_room(world)
    version = adopted_policy(world, roles=STAFF)
    with time_machine.travel(past_grace(version), tick=False):
        client.force_login(world.keyworker)
        client.get(reverse("home"))  # the first page after signing in: the policies (tested below)
        closed = [
            reverse("child_file", args=[world.ava.pk]),
            reverse("child_chronology", args=[world.ava.pk]),
            reverse("record_detail", args=[world.ava_progress.pk]),
            reverse("attachment_download", args=[world.attachments["general"].pk]),
            reverse("staff_file", args=[world.staff_files["keyworker"].pk]),
            reverse("access_request_new", args=[world.ava.pk]),
        ]
        for url in closed:
            assert client.get(url).status_code == 404, url
        assert "Smith, Ava" not in client.get(reverse("children")).content.decode()
        assert "Smith, Ava" not in client.get(reverse("access_request_start")).content.decode()
        home = client.get(reverse("home")).content.decode()
        assert "Policies to read" in home and "files closed until you read it" in home
        for url in (
            reverse("notifications"),
            reverse("concern_start"),
            reverse("policy_read", args=[version.pk]),
        ):
            assert client.get(url).status_code == 200, url
        assert client.get(reverse("concern_raise", args=[world.ava.pk])).status_code == 200
        client.force_login(world.student)
        assert client.get(reverse("emergency_card", args=[world.ava.pk])).status_code == 200


def test_a_gated_student_raises_a_concern_and_the_dsl_is_told(client, world) -> None:
    version = adopted_policy(world, roles=STAFF)
    with time_machine.travel(past_grace(version), tick=False):
        client.force_login(world.student)
        response = client.post(
            reverse("concern_raise", args=[world.ava.pk]),
            {"what_happened": "Ava flinched when her coat was taken off", "occurred_at": "2026-11-20T09:15"},
        )
        assert response.status_code == 302
        assert world.dsl.notifications.filter(message__contains="safeguarding concern").exists()


def test_the_first_page_after_signing_in_is_the_policy_to_read(client, world) -> None:
    version = adopted_policy(world, roles=STAFF)
    with time_machine.travel(past_grace(version), tick=False):
        client.force_login(world.volunteer)
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"] == reverse("policies_to_read")
        assert client.get(reverse("home")).status_code == 200  # only the first page
        page = client.get(reverse("policies_to_read")).content.decode()
        assert "Before you can open any file" in page and "Confidentiality" in page


def test_raising_a_concern_straight_after_signing_in_is_never_turned_away(client, world) -> None:
    version = adopted_policy(world, roles=STAFF)
    with time_machine.travel(past_grace(version), tick=False):
        client.force_login(world.volunteer)
        assert client.get(reverse("concern_start")).status_code == 200


def test_acknowledging_opens_the_files_again_at_once(client, world) -> None:
    version = adopted_policy(world, roles=STAFF)
    with time_machine.travel(past_grace(version), tick=False):
        client.force_login(world.keyworker)
        client.get(reverse("home"))
        response = client.post(reverse("policy_read", args=[version.pk]), {"confirmed": "on"})
        assert response.status_code == 302
        assert client.get(reverse("child_file", args=[world.ava.pk])).status_code == 200


def test_acknowledging_needs_the_box_ticked(client, world) -> None:
    version = adopted_policy(world, roles=STAFF)
    client.force_login(world.keyworker)
    response = client.post(reverse("policy_read", args=[version.pk]), {})
    assert response.status_code == 400 and "Tick the box" in response.content.decode()
    assert not version.acknowledgements.exists()


def test_a_new_version_asks_again_and_an_old_one_cannot_be_acknowledged(world) -> None:
    first = adopted_policy(world, roles=STAFF)
    services.policy_acknowledge(actor=world.keyworker, version=first, confirmed=True)
    second = services.version_draft(
        actor=world.manager,
        policy=first.policy,
        version="2",
        text="Version 2.",
        roles=STAFF,
        review_by=timezone.localdate() + datetime.timedelta(days=365),
    )
    second = services.version_adopt_sign(
        actor=world.chair, version=second, meeting_on=timezone.localdate(), password="a long test password"
    )
    assert facts(world.keyworker).policies_due == {second.pk.hex}
    with pytest.raises(ValidationError) as refused:
        services.policy_acknowledge(actor=world.keyworker, version=first, confirmed=True)
    assert "not the current version" in " ".join(refused.value.messages)
    with time_machine.travel(past_grace(second), tick=False):
        assert facts(world.keyworker).gated


def test_only_the_roles_it_names_are_gated(world) -> None:
    version = adopted_policy(world, roles=[Role.STUDENT])
    with time_machine.travel(past_grace(version), tick=False):
        assert facts(world.student).gated
        assert not facts(world.keyworker).gated
        assert not facts(world.parent).gated


def test_someone_who_joins_after_the_grace_period_is_gated_from_their_first_day(world) -> None:
    version = adopted_policy(world, roles=STAFF)
    with time_machine.travel(past_grace(version) + datetime.timedelta(days=30), tick=False):
        newcomer = staff("newcomer", "Nell", world.site, Role.STUDENT)
        assert facts(newcomer).gated
