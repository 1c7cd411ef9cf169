"""The directory: only managers add entries, kind "other" needs a second approver,
new entries show on managers' homes for a week, and the media is impossible by
every route (the form, the admin, the service, and at the moment of sharing)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from access.models import Role
from sharing import services
from sharing.models import MediaOutlet, Recipient, RecipientKind, SecureChannel, media_match
from tests.personas import staff
from tests.sharing.helpers import consent, recipient, share

pytestmark = pytest.mark.django_db

FORM = {
    "site": "",
    "kind": RecipientKind.HEALTH_VISITOR,
    "name": "Leeds Health Visiting Team (North)",
    "secure_channel": SecureChannel.SECURE_EMAIL,
    "secure_email": "hv.north@nhs.net",
}


def add(client, person, world, **changes):
    client.force_login(person)
    return client.post(reverse("recipient_add"), {**FORM, "site": world.site.pk, **changes})


def test_a_manager_adds_an_entry_with_its_channel_agreement_and_usual_basis(client, world) -> None:
    response = add(
        client,
        world.manager,
        world,
        agreement_reference="DSA-LCH-2025-07",
        agreement_review_on="2027-07-31",
        default_basis="consent",
    )
    entry = Recipient.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "recipient_detail", args=[entry.pk]
    )
    assert (entry.status, entry.agreement_reference, entry.default_basis) == (
        "active",
        "DSA-LCH-2025-07",
        "consent",
    )
    assert entry.agreement_review_on == datetime.date(2027, 7, 31)


@pytest.mark.parametrize("persona", ["keyworker", "senior", "dsl", "chair", "outside_manager"])
def test_only_a_manager_of_the_site_adds_entries(client, world, persona) -> None:
    person = getattr(world, persona)
    client.force_login(person)
    assert client.get(reverse("recipient_add")).status_code in (404, 200)
    add(client, person, world)
    assert not Recipient.objects.exists()
    with pytest.raises(PermissionDenied):
        services.recipient_add(
            actor=person,
            site=world.site,
            kind="health",
            name="Park Lane Surgery",
            secure_channel="secure_email",
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "BBC Look North"),
        ("name", "Yorkshire Evening Post news desk"),
        ("name", "a freelance journalist"),
        ("secure_email", "newsdesk@theguardian.com"),
        ("secure_email", "reporter@north.bbc.co.uk"),
    ],
)
def test_the_media_is_refused_by_the_form_with_a_clear_message(client, world, field, value) -> None:
    response = add(client, world.manager, world, **{field: value})
    assert response.status_code == 400
    assert "Under no circumstances is information about children passed to any branch of the media" in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert not Recipient.objects.exists()


def test_the_media_list_is_kept_in_the_database_and_a_local_paper_can_be_added(world) -> None:
    assert media_match(names=["Wharfedale Observer"], addresses=["desk@wharfedaleobserver.co.uk"]) is None
    MediaOutlet.objects.create(name="Wharfedale Observer")
    with pytest.raises(ValidationError) as error:
        recipient(world, name="Wharfedale Observer (the editor)")
    assert "Wharfedale Observer" in error.value.message_dict["name"][0]


def test_there_is_no_media_kind_of_recipient(world) -> None:
    assert "media" not in RecipientKind.values
    with pytest.raises(ValidationError) as error:
        services.recipient_add(
            actor=world.manager, site=world.site, kind="media", name="Local paper", secure_channel="none"
        )
    assert "kind" in error.value.message_dict


def test_the_admin_cannot_add_to_the_directory(client, world) -> None:
    client.force_login(world.superuser)
    url = reverse("admin:sharing_recipient_add")
    # Refused (PermissionDenied), which is "not found" here, as everywhere.
    assert client.get(url).status_code == 404
    assert client.post(url, {**FORM, "site": world.site.pk, "name": "ITV News"}).status_code == 404
    assert not Recipient.objects.exists()
    assert client.get(reverse("admin:sharing_mediaoutlet_add")).status_code == 200  # the list is kept there


def test_an_entry_that_became_media_is_refused_when_sharing(world) -> None:
    hv = recipient(world)
    consent(world)
    MediaOutlet.objects.create(domain="nhs.net")  # as if the list said so: the check runs again
    with pytest.raises(ValidationError) as error:
        share(world, world.keyworker, hv, [world.ava_progress])
    assert "looks like a media organisation" in str(error.value)


# --- kind "other": a second approver ----------------------------------------------------


def test_an_entry_of_kind_other_waits_for_a_second_approver_and_cannot_be_used_until_then(world) -> None:
    entry = services.recipient_add(
        actor=world.manager, site=world.site, kind="other", name="Leeds Family Court", secure_channel="hand"
    )
    assert entry.status == Recipient.Status.AWAITING_APPROVAL
    with pytest.raises(ValidationError):  # the manager who added it is not the second person
        services.recipient_approve(actor=world.manager, recipient=entry)
    with pytest.raises(PermissionDenied):
        services.recipient_approve(actor=world.keyworker, recipient=entry)
    with pytest.raises(ValidationError) as error:
        share(world, world.manager, entry, [world.ava_progress], basis="legal_obligation")
    assert "Choose a recipient from this setting's directory" in str(error.value)


@pytest.mark.parametrize("second", ["chair", "dpl", "deputy manager"])
def test_the_second_approver_may_be_another_manager_the_chair_or_the_data_protection_lead(
    world, second
) -> None:
    entry = services.recipient_add(
        actor=world.manager, site=world.site, kind="other", name="Leeds Family Court", secure_channel="hand"
    )
    person = staff("deputy", "Dan", world.site, Role.DEPUTY_MANAGER) if second == "deputy manager" else None
    approved = services.recipient_approve(actor=person or getattr(world, second), recipient=entry)
    assert approved.status == Recipient.Status.ACTIVE and approved.approved_by is not None


def test_a_new_entry_shows_on_every_managers_home_for_a_week(client, world) -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC), tick=False) as clock:
        recipient(world, kind="education", name="Oakfield Primary School", contact_name="")
        for person in (world.manager, world.two_sites):
            client.force_login(person)
            html = client.get(reverse("home")).content.decode()
            assert ("New in the directory this week" in html) == (person == world.manager)
        client.force_login(world.manager)
        clock.move_to(datetime.datetime(2026, 11, 10, 9, tzinfo=datetime.UTC))
        assert "Oakfield Primary School" not in client.get(reverse("home")).content.decode()


def test_a_retired_entry_takes_no_more_shares_and_keeps_its_history(world) -> None:
    hv = recipient(world)
    consent(world)
    share(world, world.keyworker, hv, [world.ava_progress])
    services.recipient_retire(actor=world.manager, recipient=hv)
    with pytest.raises(ValidationError):
        share(world, world.keyworker, Recipient.objects.get(pk=hv.pk), [world.ava_progress])
    assert hv.disclosures.count() == 1
