"""The consent register: who may give consent (parental responsibility, no court
restriction), what it covers, for how long, withdrawal by any one holder; the
child file's flags; the parents' side in the portal."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEntry
from records.models import Category, ChildCarer, Notification, Record
from sharing import services
from sharing.models import Consent
from tests.factories import CarerFactory, ChildCarerFactory
from tests.sharing.helpers import GIVEN, consent, father_link, mother_link

pytestmark = pytest.mark.django_db

FORM = {
    "purposes": ["health"],
    "categories": ["progress", "medical"],
    "recipient_kinds": ["health_visitor"],
    "method": "signed_form",
    "given_at": "2026-09-02T09:30",
    "told": "What sharing means, and that she can withdraw at any time.",
    "form_version": "Sharing consent v3 (2026)",
}


def post_consent(client, person, world, **changes):
    client.force_login(person)
    data = {**FORM, "given_by": mother_link(world).pk, **changes}
    if data.get("method") == "signed_form" and "signed_form" not in changes:
        data["signed_form"] = SimpleUploadedFile("consent.pdf", b"%PDF-1.4 signed by Amy\n%%EOF")
    return client.post(reverse("consent_add", args=[world.ava.pk]), data)


def test_a_signed_consent_is_recorded_with_its_form_kept_in_the_file(client, world) -> None:
    response = post_consent(client, world.keyworker, world)
    given = Consent.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("consent_detail", args=[given.pk])
    assert given.status == Consent.Status.ACTIVE and given.given_by == mother_link(world)
    assert given.expires_on == datetime.date(2027, 9, 2)  # twelve months unless said otherwise
    assert given.form_record.category == Category.SIGNED_CONSENT
    assert given.form_record.attachments.count() == 1
    assert (given.told, given.form_version) == (FORM["told"], "Sharing consent v3 (2026)")


def test_a_verbal_consent_needs_a_witness_other_than_the_recorder(client, world) -> None:
    records = Record.objects.count()
    response = post_consent(client, world.keyworker, world, method="verbal", witness=world.keyworker.pk)
    assert response.status_code == 400
    assert "A verbal consent needs a witness" in response.content.decode()
    assert not Consent.objects.exists() and Record.objects.count() == records


def test_a_carer_without_parental_responsibility_cannot_give_consent(client, world) -> None:
    cara = world.ava.carer_links.get(carer__user=world.carer_staff)
    response = post_consent(client, world.keyworker, world, given_by=cara.pk)
    assert response.status_code == 400
    assert "does not have parental responsibility for this child" in response.content.decode()
    assert not Consent.objects.exists()


def test_a_carer_under_a_court_restriction_cannot_give_consent(client, world) -> None:
    restricted = ChildCarerFactory(
        child=world.ava,
        carer=CarerFactory(first_name="Daniel", last_name="Smith"),
        relationship=ChildCarer.Relationship.FATHER,
        restricted_contact=True,
    )
    response = post_consent(client, world.keyworker, world, given_by=restricted.pk)
    assert response.status_code == 400
    assert "under a court restriction about this child and cannot give consent" in response.content.decode()
    assert not Consent.objects.exists()


def test_recording_a_consent_is_refused_for_people_who_may_only_read(client, world) -> None:
    for person in (world.granted_student, world.colleague, world.outsider, world.named):
        assert post_consent(client, person, world).status_code == 404
    assert not Consent.objects.exists()


def test_any_one_holder_withdraws_and_the_managers_are_told_the_parents_disagree(client, world) -> None:
    given = consent(world)
    father = father_link(world)
    client.force_login(world.senior)
    response = client.post(
        reverse("consent_withdraw", args=[given.pk]),
        {"withdraw-withdrawn_by": father.pk, "withdraw-note": "Dad rang to say no."},
    )
    assert response.status_code == 302
    given.refresh_from_db()
    assert given.status == Consent.Status.WITHDRAWN and given.withdrawn_by == father
    assert Notification.objects.filter(
        recipient=world.manager, message__startswith="Parents disagree"
    ).exists()
    assert AuditEntry.objects.filter(
        object_pk=str(given.pk), reason__contains="not the carer who gave it"
    ).exists()


def test_the_child_file_flags_consents_expired_or_due_for_review(client, world) -> None:
    consent(world)
    client.force_login(world.keyworker)
    url = reverse("child_file", args=[world.ava.pk])
    assert "Due for review" not in client.get(url).content.decode()
    with time_machine.travel(datetime.datetime(2027, 8, 1, 9, tzinfo=datetime.UTC)):
        client.force_login(world.keyworker)
        assert "Due for review" in client.get(url).content.decode()
    with time_machine.travel(datetime.datetime(2027, 9, 3, 9, tzinfo=datetime.UTC)):
        client.force_login(world.keyworker)
        html = client.get(url).content.decode()
    assert "Expired" in html and "Consents to share" in html


# --- the parents' side ---------------------------------------------------------------------


PORTAL_FORM = {
    "give-purposes": ["transition"],
    "give-categories": ["progress"],
    "give-recipient_kinds": ["education"],
    "give-understood": "on",
}


def test_a_parent_gives_a_consent_in_the_portal_and_it_counts_once_staff_confirm_it(client, world) -> None:
    client.force_login(world.parent)
    response = client.post(reverse("portal_consent_give", args=[world.ava.pk]), PORTAL_FORM)
    given = Consent.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal_consent", args=[given.pk])
    assert given.status == Consent.Status.AWAITING_CONFIRMATION and given.method == "portal"
    assert given.told == services.PORTAL_STATEMENT and given.form_version == services.PORTAL_FORM
    assert not given.is_in_force
    client.force_login(world.keyworker)
    assert "Consents given in the portal, to confirm" in client.get(reverse("home")).content.decode()
    client.post(reverse("consent_confirm", args=[given.pk]), {"confirm-confirmed": "yes"})
    given.refresh_from_db()
    assert given.status == Consent.Status.ACTIVE and given.confirmed_by == world.keyworker


def test_a_portal_consent_not_confirmed_tells_the_parent_why(client, world) -> None:
    client.force_login(world.parent)
    client.post(reverse("portal_consent_give", args=[world.ava.pk]), PORTAL_FORM)
    given = Consent.objects.get()
    client.force_login(world.manager)
    response = client.post(reverse("consent_confirm", args=[given.pk]), {"confirm-confirmed": "no"})
    assert response.status_code == 400 and "Say why it is not confirmed" in response.content.decode()
    client.post(
        reverse("consent_confirm", args=[given.pk]),
        {"confirm-confirmed": "no", "confirm-note": "Ava is not moving school this year."},
    )
    client.force_login(world.parent)
    html = client.get(reverse("portal_consent", args=[given.pk])).content.decode()
    assert "Not confirmed by staff: Ava is not moving school this year." in html


def test_a_portal_consent_with_nothing_chosen_saves_nothing(client, world) -> None:
    client.force_login(world.parent)
    response = client.post(reverse("portal_consent_give", args=[world.ava.pk]), {"give-understood": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose what the consent is for." in html and "Choose who it may be shared with." in html
    assert not Consent.objects.exists()


def test_a_parent_withdraws_a_consent_in_the_portal_and_it_stops_at_once(client, world) -> None:
    given = consent(world)
    client.force_login(world.parent)
    url = reverse("portal_consent_withdraw", args=[given.pk])
    assert client.post(url, {}).status_code == 400  # they tick to say they mean it
    response = client.post(url, {"withdraw-sure": "on"})
    assert response.status_code == 302
    given.refresh_from_db()
    assert given.status == Consent.Status.WITHDRAWN and given.withdrawn_by == mother_link(world)
    assert given.withdrawal_recorded_by == world.parent
    assert Notification.objects.filter(recipient=world.keyworker, message__contains="withdrawn").exists()


def test_a_parent_gets_a_copy_of_the_consent(client, world) -> None:
    given = consent(world)
    client.force_login(world.parent)
    response = client.get(reverse("portal_consent_pdf", args=[given.pk]))
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ava Smith" in text and "Amy Smith" in text and "Sharing consent v3 (2026)" in text
    assert "Page 1 of 1" in text


def test_a_court_restricted_carer_has_no_portal_to_consent_in(client, world) -> None:
    link = mother_link(world)
    link.restricted_contact = True
    link.save()
    client.force_login(world.parent)
    assert client.get(reverse("portal_sharing", args=[world.ava.pk])).status_code == 404
    assert client.post(reverse("portal_consent_give", args=[world.ava.pk]), PORTAL_FORM).status_code == 404
    with pytest.raises(Exception):  # noqa: B017,PT011 - refused, whichever way it is asked
        services.consent_give_in_portal(
            actor=world.parent,
            child=world.ava,
            purposes=["health"],
            categories=["progress"],
            recipient_kinds=["health"],
        )
    assert not Consent.objects.exists()


def test_a_consent_given_before_is_not_moved_by_the_given_at_in_the_future(world) -> None:
    with pytest.raises(ValidationError) as error:
        consent(world, given_at=GIVEN + datetime.timedelta(days=3650))
    assert "given_at" in error.value.message_dict
