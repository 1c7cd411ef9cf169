"""The DSL's handling of a concern: decisions, referrals, links and the outcome.

A concern is never amended, only added to.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from access.models import Role
from audit.models import AuditEntry, Event
from records import services
from records.models import Addendum, Record
from sharing.models import SharingDecision
from tests.factories import ChildFactory
from tests.personas import staff
from tests.sharing.helpers import social_care

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)


def url(name: str, record: Record) -> str:
    return reverse(name, args=[record.pk])


def act(client, person, record: Record, **data: str):
    client.force_login(person)
    return client.post(url("concern_action", record), {f"action-{k}": v for k, v in data.items()})


def close(client, person, record: Record, outcome: str):
    client.force_login(person)
    return client.post(url("concern_close", record), {"close-outcome": outcome})


def link(client, person, record: Record, other: object, text: str = ""):
    client.force_login(person)
    return client.post(url("concern_link", record), {"link-other": str(other), "link-text": text})


@pytest.fixture
def concerns(world) -> dict[str, Record]:
    """A second concern about Ava, one about Ben (also at Oakfield) and one about Noah (at Riverside)."""
    ben = ChildFactory(site=world.site, first_name="Ben", last_name="Jones")
    riverside_dsl = staff("riverside_dsl", "Rita", world.other_site, Role.DSL)
    return {
        "ava_again": services.concern_raise(
            actor=world.volunteer,
            child=world.ava,
            occurred_at=WHEN,
            what_happened="Ava was hungry and took food from others.",
        ),
        "ben": services.concern_raise(
            actor=world.colleague, child=ben, occurred_at=WHEN, what_happened="Ben has a mark on his cheek."
        ),
        "noah": services.concern_raise(
            actor=riverside_dsl,
            child=world.other_child,
            occurred_at=WHEN,
            what_happened="Noah was collected by an unknown adult.",
        ),
    }


def test_the_dsl_is_offered_the_handling_forms(client, world) -> None:
    client.force_login(world.dsl)
    html = client.get(url("record_detail", world.ava_concern)).content.decode()
    assert "Handle this concern" in html and "Close the concern" in html
    assert "A decision not to refer" in html


# --- who may handle a concern ---------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    [
        "named",
        "manager",
        "senior",
        "keyworker",
        "colleague",
        "volunteer",
        "outsider",
        "outside_manager",
        "riverside_dsl",
        "carer_staff",
        "parent",
        "superuser",
    ],
)
def test_only_the_dsl_of_the_childs_site_may_record_link_or_close(client, world, concerns, persona) -> None:
    person = concerns["noah"].author if persona == "riverside_dsl" else getattr(world, persona)
    concern = world.ava_concern
    before = (Addendum.objects.count(), concern.linked_concerns.count())
    assert act(client, person, concern, kind="decision", text="Monitor.").status_code == 404
    referral = act(client, person, concern, kind="referral", agency="Social care", text="Referred.")
    assert referral.status_code == 404
    assert link(client, person, concern, concerns["ava_again"].pk).status_code == 404
    assert close(client, person, concern, "No further action.").status_code == 404
    concern.refresh_from_db()
    assert concern.status == Record.Status.ACTIVE
    assert (Addendum.objects.count(), concern.linked_concerns.count()) == before
    page = client.get(url("record_detail", concern))
    if persona == "named":  # Nia was named to read it, not to decide on it
        assert page.status_code == 200
        html = page.content.decode()
        assert "<h1>Bruise on arrival</h1>" in html
        assert "Handle this concern" not in html
    else:
        assert page.status_code == 404


@pytest.mark.parametrize("record", ["ava_progress", "ava_about_accused"])
def test_only_a_concern_takes_the_dsls_decisions(client, world, concerns, record) -> None:
    # A safeguarding record that is not a concern (the DSL's own note) is added to, not decided on.
    target = getattr(world, record)
    assert act(client, world.dsl, target, kind="decision", text="Monitor.").status_code == 404
    assert link(client, world.dsl, target, concerns["ava_again"].pk).status_code == 404
    assert close(client, world.dsl, target, "Done.").status_code == 404
    target.refresh_from_db()
    assert target.status == Record.Status.ACTIVE and not target.addenda.exists()


def test_the_deputy_dsl_of_the_site_may_handle_it_too(client, world) -> None:
    response = act(client, world.accused, world.ava_concern, kind="action", text="Spoke to mum.")
    assert response.status_code == 302
    assert world.ava_concern.addenda.get().author == world.accused


# --- decisions, actions and referrals ----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("decision", "Decision"),
        ("action", "Action taken"),
        ("no_referral", "Decision not to refer"),
        ("note", "Addendum"),
    ],
)
def test_the_dsl_records_each_kind_of_entry(client, world, kind, label) -> None:
    response = act(
        client, world.dsl, world.ava_concern, kind=kind, text="Spoke with the family support worker."
    )
    assert response.status_code == 302
    entry = world.ava_concern.addenda.get()
    assert (entry.kind, entry.author, entry.agency) == (kind, world.dsl, "")
    html = client.get(url("record_detail", world.ava_concern)).content.decode()
    assert "Decisions and actions" in html and label in html
    assert "Spoke with the family support worker." in html


def test_a_decision_not_to_refer_needs_its_reason(client, world) -> None:
    response = act(client, world.dsl, world.ava_concern, kind="no_referral", text="  ")
    assert response.status_code == 400
    assert 'id="id_action-text_error"' in response.content.decode()
    assert "Write the details and your reasons." in response.content.decode()
    assert not world.ava_concern.addenda.exists()


def test_a_referral_is_made_on_its_own_page_as_a_safeguarding_disclosure(client, world) -> None:
    # A referral goes to an entry of the sharing directory (no free-text agency), through
    # the sharing service: the concern's action form no longer takes one.
    response = act(client, world.dsl, world.ava_concern, kind="referral", text="Referred today.")
    assert response.status_code == 400
    assert not world.ava_concern.addenda.exists()
    assert not AuditEntry.objects.filter(event=Event.SHARED).exists()

    to = social_care(world)
    client.force_login(world.dsl)
    response = client.post(
        url("concern_refer", world.ava_concern),
        {
            "recipient": to.pk,
            "basis": "public_task",
            "basis_reason": "Bruising and the child's words: risk of significant harm.",
            "consent_position": "not_sought_risk",
            "channel": "phone",
            "summary": "Referred by phone; reference 1234.",
            "parents_told": "no",
            "parents_not_told_reason": "Social care asked us not to tell them yet.",
            "social_care_consulted": "on",
            "redact_third_parties": "on",
        },
    )
    assert response.status_code == 302
    referral = world.ava_concern.addenda.get()
    assert referral.kind == Addendum.Kind.REFERRAL and referral.agency == to.label
    shared = AuditEntry.objects.get(event=Event.SHARED)
    assert shared.actor == world.dsl and shared.child_id == world.ava.pk
    assert "social care" not in str(shared.additional_data or "") and "1234" not in shared.reason
    html = client.get(url("record_detail", world.ava_concern)).content.decode()
    assert "Referred to: Leeds Children&#x27;s Social Work Service front door" in html


def test_an_agency_is_kept_only_on_a_referral(client, world) -> None:
    act(client, world.dsl, world.ava_concern, kind="decision", agency="Police", text="Monitor for a week.")
    assert world.ava_concern.addenda.get().agency == ""


def test_a_decision_not_to_refer_is_a_decision_not_to_share(client, world) -> None:
    assert (
        act(client, world.dsl, world.ava_concern, kind="no_referral", text="Threshold not met.").status_code
        == 302
    )
    decision = SharingDecision.objects.get()
    assert (decision.outcome, decision.concern, decision.reason) == (
        "not_share",
        world.ava_concern,
        "Threshold not met.",
    )


def test_an_unknown_kind_of_entry_is_refused(client, world) -> None:
    response = act(client, world.dsl, world.ava_concern, kind="outcome", text="Closing it this way.")
    assert response.status_code == 400
    assert world.ava_concern.addenda.count() == 0
    world.ava_concern.refresh_from_db()
    assert world.ava_concern.status == Record.Status.ACTIVE
    with pytest.raises(ValidationError):
        services.concern_record_action(actor=world.dsl, record=world.ava_concern, kind="signed_off", text="x")


# --- closing ----------------------------------------------------------------------


def test_closing_needs_an_outcome(client, world) -> None:
    response = close(client, world.dsl, world.ava_concern, "")
    assert response.status_code == 400
    assert "Record the outcome before closing the concern." in response.content.decode()
    world.ava_concern.refresh_from_db()
    assert world.ava_concern.status == Record.Status.ACTIVE
    assert not world.ava_concern.addenda.exists()


def test_a_closed_concern_takes_no_more_actions(client, world, concerns) -> None:
    response = close(client, world.dsl, world.ava_concern, "Family supported through early help.")
    assert response.status_code == 302
    concern = Record.objects.get(pk=world.ava_concern.pk)
    assert concern.status == Record.Status.CLOSED
    outcome = concern.addenda.get()
    assert outcome.kind == Addendum.Kind.OUTCOME and outcome.text == "Family supported through early help."

    html = client.get(url("record_detail", concern)).content.decode()
    assert "Closed" in html and "Handle this concern" not in html

    for response in [
        act(client, world.dsl, concern, kind="decision", text="Reopen?"),
        act(client, world.dsl, concern, kind="no_referral", text="Late decision."),
        link(client, world.dsl, concern, concerns["ava_again"].pk),
        close(client, world.dsl, concern, "Closed again."),
    ]:
        assert response.status_code == 400
    assert concern.addenda.count() == 1
    assert not concern.linked_concerns.exists()
    concern.refresh_from_db()
    assert concern.status == Record.Status.CLOSED

    client.force_login(world.dsl)
    queue = client.get(reverse("concern_queue")).content.decode()
    assert queue.count('href="/records/') == 2  # Ava's other concern and Ben's; not the closed one
    assert url("record_detail", concern) not in queue


def test_acting_on_a_closed_concern_says_why_nothing_was_saved(client, world) -> None:
    # For instance from a page left open in another tab while a colleague closed it.
    close(client, world.dsl, world.ava_concern, "No further action.")
    response = act(client, world.accused, world.ava_concern, kind="decision", text="Monitor.")
    assert response.status_code == 400
    assert "This concern is closed." in response.content.decode()


# --- linking -------------------------------------------------------------------------


def test_the_link_form_offers_only_the_same_childs_other_concerns(client, world, concerns) -> None:
    client.force_login(world.dsl)
    html = client.get(url("record_detail", world.ava_concern)).content.decode()
    assert f'value="{concerns["ava_again"].pk}"' in html
    for other in [
        concerns["ben"],
        concerns["noah"],
        world.ava_about_accused,
        world.ava_progress,
        world.ava_concern,
    ]:
        assert f'value="{other.pk}"' not in html


@pytest.mark.parametrize("other", ["ben", "noah", "ava_about_accused", "ava_progress", "itself", "nothing"])
def test_linking_to_anything_but_another_concern_about_the_child_is_refused(
    client, world, concerns, other
) -> None:
    target = {
        "ben": concerns["ben"].pk,
        "noah": concerns["noah"].pk,
        "ava_about_accused": world.ava_about_accused.pk,
        "ava_progress": world.ava_progress.pk,
        "itself": world.ava_concern.pk,
        "nothing": "",
    }[other]
    response = link(client, world.dsl, world.ava_concern, target)
    assert response.status_code == 400
    assert 'id="id_link-other_error"' in response.content.decode()
    assert not world.ava_concern.linked_concerns.exists()
    assert not world.ava_concern.addenda.exists()


def test_the_service_refuses_a_link_to_another_childs_concern(world, concerns) -> None:
    for other in [concerns["ben"], concerns["noah"], world.ava_about_accused]:
        with pytest.raises(ValidationError):
            services.concern_link(actor=world.dsl, record=world.ava_concern, other=other.pk)
    assert not world.ava_concern.linked_concerns.exists()


def test_linked_concerns_show_each_other(client, world, concerns) -> None:
    response = link(client, world.dsl, world.ava_concern, concerns["ava_again"].pk, text="Both about food.")
    assert response.status_code == 302
    assert list(world.ava_concern.linked_concerns.all()) == [concerns["ava_again"]]
    assert list(concerns["ava_again"].linked_concerns.all()) == [world.ava_concern]
    note = world.ava_concern.addenda.get()
    assert note.kind == Addendum.Kind.LINKED
    assert "5 October 2026" in note.text and "Both about food." in note.text

    html = client.get(url("record_detail", world.ava_concern)).content.decode()
    assert "Linked concerns" in html and url("record_detail", concerns["ava_again"]) in html
    other = client.get(url("record_detail", concerns["ava_again"])).content.decode()
    assert url("record_detail", world.ava_concern) in other

    again = link(client, world.dsl, world.ava_concern, concerns["ava_again"].pk)
    assert again.status_code == 400
    assert world.ava_concern.linked_concerns.count() == 1 and world.ava_concern.addenda.count() == 1


# --- the person who raised it ---------------------------------------------------------


def test_the_raiser_cannot_open_the_concern_and_hears_only_that_it_was_received(client, world) -> None:
    close(client, world.dsl, world.ava_concern, "Early help plan agreed with the family.")
    client.force_login(world.colleague)
    assert client.get(url("record_detail", world.ava_concern)).status_code == 404
    added = client.post(url("record_addendum", world.ava_concern), {"addendum-text": "More."})
    assert added.status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert "Concerns you raised" in home and "received by the designated safeguarding lead" in home
    for private in ["Ava", "Smith", "Bruise", "daddy", "Early help", "Closed", "closed", "outcome"]:
        assert private not in home, private
    response = client.get(reverse("notifications"))
    assert response.status_code == 200
    inbox = response.content.decode()
    assert "<h1>Notifications</h1>" in inbox
    assert "Early help" not in inbox and "closed" not in inbox


# --- never amended, only added to ------------------------------------------------------


@pytest.mark.parametrize("persona", ["dsl", "accused", "named", "colleague", "manager"])
def test_a_concern_is_never_amended(client, world, persona) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(url("record_amend", world.ava_concern)).status_code == 404
    response = client.post(
        url("record_amend", world.ava_concern),
        {"title": "Nothing happened", "body": "", "reason": "Changed my mind."},
    )
    assert response.status_code == 404
    concern = Record.objects.get(pk=world.ava_concern.pk)
    assert concern.body == "Ava said daddy was cross." and concern.status == Record.Status.ACTIVE
    assert not Record.objects.filter(supersedes=concern).exists()


def test_the_service_refuses_to_amend_a_concern(world) -> None:
    with pytest.raises(PermissionDenied):
        services.record_amend(
            actor=world.dsl, record=world.ava_concern, title="Changed", body="", reason="Tidying up"
        )


@pytest.mark.parametrize("persona", ["dsl", "named"])
def test_those_who_read_a_concern_can_add_to_it(client, world, persona) -> None:
    person = getattr(world, persona)
    client.force_login(person)
    response = client.post(
        url("record_addendum", world.ava_concern), {"addendum-text": "Ava seemed happier today."}
    )
    assert response.status_code == 302
    added = world.ava_concern.addenda.get()
    assert (added.kind, added.author, added.text) == (Addendum.Kind.NOTE, person, "Ava seemed happier today.")
    concern = Record.objects.get(pk=world.ava_concern.pk)
    assert concern.body == "Ava said daddy was cross."
    assert "Ava seemed happier today." in client.get(url("record_detail", concern)).content.decode()


def test_a_closed_concern_can_still_be_added_to(client, world) -> None:
    close(client, world.dsl, world.ava_concern, "No further action.")
    response = client.post(url("record_addendum", world.ava_concern), {"addendum-text": "Mum called in."})
    assert response.status_code == 302
    assert world.ava_concern.addenda.filter(kind=Addendum.Kind.NOTE).count() == 1
