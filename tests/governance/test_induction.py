"""Induction and training: a manager (or HR) ticks each item with its date; training has
an expiry; the manager's home flags an unfinished induction after N days and training
that has run out."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import InductionItem, InductionTick, TrainingKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world) -> list[InductionItem]:
    return [
        InductionItem.objects.create(title="Confidentiality and the key person's role", position=1),
        InductionItem.objects.create(title="Safeguarding: who the DSL is", position=2),
        InductionItem.objects.create(title="Food hygiene in the kitchen", position=3, roles=["kitchen"]),
    ]


def test_a_manager_ticks_an_item_with_its_date(client, world, items) -> None:
    member = world.staff_files["keyworker"]
    client.force_login(world.manager)
    response = client.post(
        reverse("induction_tick", args=[member.pk]), {"item": items[0].pk, "done_on": "2026-09-02"}
    )
    assert response.status_code == 302
    tick = InductionTick.objects.get()
    assert tick.done_on == datetime.date(2026, 9, 2) and tick.ticked_by == world.manager
    page = client.get(reverse("induction", args=[member.pk])).content.decode()
    assert "1 of 2 induction items done" in page  # the kitchen's item is not hers


def test_a_date_in_the_future_is_refused_and_nothing_ticked(client, world, items) -> None:
    client.force_login(world.manager)
    response = client.post(
        reverse("induction_tick", args=[world.staff_files["keyworker"].pk]),
        {"item": items[0].pk, "done_on": "2099-01-01"},
    )
    assert response.status_code == 400 and "in the future" in response.content.decode()
    assert not InductionTick.objects.exists()


def test_staff_see_their_own_checklist_and_cannot_tick_it(client, world, items) -> None:
    member = world.staff_files["keyworker"]
    client.force_login(world.keyworker)
    assert client.get(reverse("induction", args=[member.pk])).status_code == 200
    assert (
        client.post(
            reverse("induction_tick", args=[member.pk]), {"item": items[0].pk, "done_on": "2026-09-02"}
        ).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        services.induction_tick(
            actor=world.keyworker, staff_member=member, item=items[0], done_on=datetime.date(2026, 9, 2)
        )


@pytest.mark.parametrize("persona", ["colleague", "outsider", "outside_manager", "trustee", "parent"])
def test_anyone_else_gets_not_found(client, world, items, persona) -> None:
    client.force_login(world.people[persona])
    assert client.get(reverse("induction", args=[world.staff_files["keyworker"].pk])).status_code == 404


def test_dsl_training_runs_out_after_two_years_and_is_flagged_on_the_managers_home(
    client, world, items
) -> None:
    record = services.training_record_add(
        actor=world.manager,
        staff_member=world.staff_files["dsl"],
        kind=TrainingKind.DSL,
        completed_on=datetime.date(2024, 2, 29),
    )
    assert record.expires_on == datetime.date(2026, 2, 28)
    client.force_login(world.manager)
    home = client.get(reverse("home")).content.decode()
    assert "Training to renew" in home and "Designated safeguarding lead training expired" in home


def test_training_needs_a_kind_and_a_date(world) -> None:
    with pytest.raises(ValidationError) as refused:
        services.training_record_add(
            actor=world.manager, staff_member=world.staff_files["dsl"], kind="", completed_on=None
        )
    assert "kind" in refused.value.message_dict


def test_an_unfinished_induction_is_flagged_after_the_days_allowed(client, world, items, settings) -> None:
    settings.GOVERNANCE_INDUCTION_DAYS = 28
    member = world.staff_files["colleague"]
    member.start_date = timezone.localdate() - datetime.timedelta(days=10)
    member.save()
    client.force_login(world.manager)
    assert (
        "Colin Tester"
        not in client.get(reverse("home")).content.decode().split("Induction unfinished")[-1][:400]
    )
    member.start_date = timezone.localdate() - datetime.timedelta(days=40)
    member.save()
    home = client.get(reverse("home")).content.decode()
    assert "Induction unfinished" in home and "Colin Tester" in home.split("Induction unfinished")[1][:600]
