"""The one sharing service: the basis first, consent checked where it is the basis,
a safeguarding share in one pass, minimum necessary, approval (docs/sharing.md)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry, Event
from records.models import Category
from sharing import services
from sharing.models import (
    Basis,
    Channel,
    Condition,
    ConsentPosition,
    Disclosure,
    DisclosureItem,
    ParentsTold,
    Purpose,
)
from tests.factories import RecordFactory
from tests.sharing.helpers import (
    child_for,
    consent,
    court_order_share,
    father_link,
    mother_link,
    parts,
    recipient,
    share,
    social_care,
)

pytestmark = pytest.mark.django_db


def refusals() -> int:
    return AuditEntry.objects.filter(event=Event.SHARED, reason__startswith="Share refused").count()


# --- consent, where it is the basis --------------------------------------------------------


def test_an_ordinary_share_without_a_consent_is_refused_and_the_refusal_recorded(world) -> None:
    hv = recipient(world)
    with pytest.raises(services.ShareRefused) as refused:
        share(world, world.keyworker, hv, [world.ava_progress])
    assert "There is no consent from a parent with parental responsibility" in str(refused.value)
    assert "a manager can record another lawful basis" in str(refused.value)
    assert not Disclosure.objects.exists() and not DisclosureItem.objects.exists()
    entry = AuditEntry.objects.get(reason__startswith="Share refused")
    assert (entry.actor, entry.child_id, entry.event) == (world.keyworker, world.ava.pk, Event.SHARED)
    assert "Amy" not in entry.reason and "Health" not in entry.reason


def test_a_share_covered_by_a_consent_is_made_at_once_with_no_approval(world) -> None:
    hv = recipient(world)
    given = consent(world)
    disclosure = share(world, world.keyworker, hv, [world.ava_progress, world.ava_general[Category.MEDICAL]])
    assert disclosure.status == Disclosure.Status.SENT and disclosure.approver == ""
    assert disclosure.consent == given and disclosure.basis == Basis.CONSENT
    assert disclosure.condition == Condition.EXPLICIT_CONSENT  # medical information, on consent
    assert disclosure.sent_at is not None and disclosure.approved_by is None
    assert [i.record for i in disclosure.items.all()] == [
        world.ava_progress,
        world.ava_general[Category.MEDICAL],
    ]
    shared = AuditEntry.objects.get(event=Event.SHARED, object_pk=str(disclosure.pk))
    assert shared.additional_data["records"] == [
        str(world.ava_progress.pk),
        str(world.ava_general[Category.MEDICAL].pk),
    ]
    assert refusals() == 0


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"categories": (Category.BEHAVIOUR,)}, "these kinds of information: Progress"),
        ({"purposes": (Purpose.TRANSITION,)}, "the purpose"),
        ({"kinds": ("education",)}, "sharing with Leeds Health Visiting Team"),
    ],
)
def test_a_consent_that_does_not_cover_the_share_says_what_it_lacks(world, change, missing) -> None:
    hv = recipient(world)
    consent(world, **change)
    with pytest.raises(services.ShareRefused) as refused:
        share(world, world.keyworker, hv, [world.ava_progress])
    assert missing in str(refused.value)


def test_carer_a_consents_carer_b_withdraws_and_the_next_consent_based_share_is_refused(world) -> None:
    hv = recipient(world)
    given = consent(world, given_by=mother_link(world))
    share(world, world.keyworker, hv, [world.ava_progress])
    father = father_link(world)
    services.consent_withdraw(actor=world.manager, consent=given, withdrawn_by=father, note="Dad phoned in.")
    with pytest.raises(services.ShareRefused) as refused:
        share(world, world.keyworker, hv, [world.ava_progress])
    assert "was withdrawn by Dev Patel" in str(refused.value)
    assert Disclosure.objects.count() == 1 and refusals() == 1


def test_an_expired_consent_is_not_relied_on(world) -> None:
    hv = recipient(world)
    consent(world)  # given on 2 September 2026, for a year
    with time_machine.travel(datetime.datetime(2027, 9, 3, 9, tzinfo=datetime.UTC)):
        with pytest.raises(services.ShareRefused) as refused:
            share(world, world.keyworker, hv, [world.ava_progress])
    assert "expired on 2 September 2027" in str(refused.value)


# --- other bases -----------------------------------------------------------------------


def test_a_court_order_share_without_consent_is_allowed_and_nothing_is_refused(world) -> None:
    court = recipient(world, kind="other", name="Leeds Family Court (Cafcass officer)", contact_name="")
    disclosure = court_order_share(world, world.manager, court, [world.ava_progress])
    assert disclosure.status == Disclosure.Status.SENT
    assert disclosure.basis == Basis.LEGAL_OBLIGATION and disclosure.consent is None
    assert disclosure.approved_by == world.manager  # a manager records the basis, in one pass
    assert disclosure.legal_reference == "Leeds Family Court LS26C00123"
    assert refusals() == 0


def test_a_keyworkers_share_on_another_basis_waits_for_a_manager(world) -> None:
    court = recipient(world, kind="other", name="Leeds Family Court (Cafcass officer)", contact_name="")
    disclosure = court_order_share(world, world.keyworker, court, [world.ava_progress])
    assert (disclosure.status, disclosure.approver) == (Disclosure.Status.AWAITING_APPROVAL, "manager")
    with pytest.raises(PermissionDenied):
        services.disclosure_approve(actor=world.senior, disclosure=disclosure, approved=True)
    with pytest.raises(PermissionDenied):  # nobody approves their own
        services.disclosure_approve(actor=world.keyworker, disclosure=disclosure, approved=True)
    approved = services.disclosure_approve(actor=world.manager, disclosure=disclosure, approved=True)
    assert approved.status == Disclosure.Status.READY
    sent = services.disclosure_mark_sent(actor=world.keyworker, disclosure=approved)
    assert sent.status == Disclosure.Status.SENT


def test_a_non_consent_basis_needs_its_reason_and_what_happened_about_consent(world) -> None:
    court = recipient(world, kind="other", name="Leeds Family Court (Cafcass officer)", contact_name="")
    with pytest.raises(ValidationError) as error:
        court_order_share(
            world, world.manager, court, [world.ava_progress], basis_reason="  ", consent_position=""
        )
    assert set(error.value.message_dict) == {"basis_reason", "consent_position"}
    assert not Disclosure.objects.exists()


def test_a_share_with_no_basis_is_refused_with_a_message(world) -> None:
    with pytest.raises(ValidationError) as error:
        share(world, world.keyworker, recipient(world), [world.ava_progress], basis="")
    assert error.value.message_dict["basis"] == ["Choose the lawful basis for this share first."]


# --- the safeguarding basis ---------------------------------------------------------------------


def test_a_dsls_safeguarding_share_is_completed_in_one_pass_with_no_refusal(world) -> None:
    front_door = social_care(world)
    disclosure = services.disclosure_make(
        actor=world.dsl,
        child=child_for(world.dsl, world.ava),
        recipient=front_door,
        basis=Basis.PUBLIC_TASK,
        condition=Condition.SAFEGUARDING,
        basis_reason="Risk of significant harm.",
        consent_position=ConsentPosition.SOUGHT_REFUSED,
        purpose=Purpose.SAFEGUARDING,
        channel=Channel.PHONE,
        summary="Told the front door about the bruise and what Ava said.",
        parents_told=ParentsTold.NO,
        parents_not_told_reason="The social worker asked us not to, for now.",
        social_care_consulted=True,
        items=parts(world.ava_concern),
    )
    assert disclosure.status == Disclosure.Status.SENT and disclosure.approved_by == world.dsl
    assert disclosure.consent_position == ConsentPosition.SOUGHT_REFUSED  # a fact, not a block
    assert disclosure.tier == "safeguarding" and disclosure.hidden_from_parents
    assert (disclosure.parents_told, disclosure.social_care_consulted) == ("no", True)
    assert refusals() == 0
    assert not AuditEntry.objects.filter(reason__icontains="refused").exists()
    assert not AuditEntry.objects.filter(reason__icontains="overrid").exists()


def test_only_the_dsl_shares_safeguarding_records(world) -> None:
    with pytest.raises(ValidationError) as error:
        court_order_share(world, world.manager, social_care(world), [world.ava_concern])
    # The manager cannot read them: as far as the form goes, they are not in the file.
    assert "not in this child's file" in str(error.value)
    with pytest.raises(PermissionDenied):  # Nia reads the safeguarding file: she does not share it
        court_order_share(world, world.named, social_care(world), [world.ava_concern])
    assert not Disclosure.objects.exists()


def test_parents_told_is_always_answered_and_a_no_says_why(world) -> None:
    consent(world)
    hv = recipient(world)
    with pytest.raises(ValidationError) as error:
        share(world, world.keyworker, hv, [world.ava_progress], parents_told="")
    assert "parents_told" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        share(world, world.keyworker, hv, [world.ava_progress], parents_told="no")
    assert error.value.message_dict["parents_not_told_reason"] == ["Say why the parents were not told."]


# --- minimum necessary ---------------------------------------------------------------------------


def test_a_share_with_no_records_chosen_is_refused(world) -> None:
    consent(world)
    with pytest.raises(ValidationError) as error:
        share(world, world.keyworker, recipient(world), [], items=[])
    assert "Choose at least one record to share" in str(error.value)


def test_a_record_of_another_child_smuggled_in_is_refused_and_nothing_saved(world) -> None:
    consent(world)
    noah = RecordFactory(child=world.other_child, author=world.outside_manager)
    with pytest.raises(ValidationError) as error:
        share(world, world.keyworker, recipient(world), [world.ava_progress, noah])
    assert "not in this child's file" in str(error.value)
    assert not Disclosure.objects.exists()


def test_a_person_who_cannot_read_the_child_cannot_share(world) -> None:
    with pytest.raises(PermissionDenied):
        services.disclosure_make(
            actor=world.colleague,
            child=world.ava,
            recipient=recipient(world),
            basis=Basis.CONSENT,
            purpose=Purpose.HEALTH,
            channel=Channel.PHONE,
            summary="x",
            parents_told="yes",
            items=parts(world.ava_progress),
        )


def test_a_phone_share_is_recorded_with_its_summary_and_no_file(client, world) -> None:
    consent(world)
    disclosure = share(world, world.keyworker, recipient(world), [world.ava_progress], channel=Channel.PHONE)
    assert disclosure.summary.startswith("Told the health visitor")
    assert disclosure.occurred_at is not None
    client.force_login(world.keyworker)
    assert client.get(reverse("disclosure_bundle", args=[disclosure.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.disclosure_bundle(actor=world.keyworker, disclosure=disclosure)
    assert not AuditEntry.objects.filter(event=Event.EXPORTED, object_pk=str(disclosure.pk)).exists()


def test_a_call_needs_a_summary_of_what_was_said(world) -> None:
    consent(world)
    with pytest.raises(ValidationError) as error:
        share(world, world.keyworker, recipient(world), [world.ava_progress], summary="")
    assert "summary" in error.value.message_dict
