"""The portal's edges: staff logins, bad corrections, what the history names, and what may be commented on."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from audit.services import audit_event
from portal.services import InvitationError, portal_invitation_accept, portal_invite
from records import services
from records.models import Addendum, Category, CorrectionRequest, Record, Source
from tests.factories import CarerFactory, ChildCarerFactory, RecordFactory

pytestmark = pytest.mark.django_db


def test_a_staff_login_is_never_invited_nor_re_opened_by_an_invitation(client, world) -> None:
    # A senior who has left, and is also a parent of the child.
    leaver = world.senior
    leaver.is_active = False
    leaver.save()
    carer = CarerFactory(user=leaver, first_name="Sunita", email="sunita@example.net")
    link = ChildCarerFactory(child=world.ava, carer=carer, parental_responsibility=True)
    with pytest.raises(Exception, match="staff login"):
        portal_invite(actor=world.manager, child=world.ava, link=link)
    client.force_login(world.manager)
    client.post(reverse("portal_invite", args=[world.ava.pk, link.pk]))
    assert mail.outbox == []

    # Even with a link made before the login was attached to the carer.
    carer.user = None
    carer.save()
    _invitation, token = portal_invite(actor=world.manager, child=world.ava, link=link)
    carer.user = leaver
    carer.save()
    with pytest.raises(InvitationError):
        portal_invitation_accept(token=token, username="whatever", password="a-long-enough-passphrase")
    leaver.refresh_from_db()
    assert not leaver.is_active and not leaver.check_password("a-long-enough-passphrase")


def test_a_correction_that_cannot_be_saved_is_explained_not_an_error_page(client, world) -> None:
    link = world.ava.carer_links.get(carer__user=world.parent)
    request = CorrectionRequest.objects.create(
        child=world.ava,
        carer=link.carer,
        field=CorrectionRequest.Field.CHILD_PHONE,
        proposed="0" * 500,
        requested_by=world.parent,
    )
    client.force_login(world.manager)
    response = client.post(
        reverse("correction_decide", args=[request.pk]),
        {f"{request.pk}-decision": "approve", f"{request.pk}-note": ""},
    )
    assert response.status_code == 400
    assert "cannot be saved as it is" in response.content.decode()
    request.refresh_from_db()
    world.ava.refresh_from_db()
    assert request.status == CorrectionRequest.Status.PENDING and world.ava.phone != "0" * 500


def test_a_parent_cannot_ask_for_an_email_that_is_not_one(client, world) -> None:
    client.force_login(world.parent)
    response = client.post(
        reverse("portal_correction", args=[world.ava.pk]),
        {"field": "carer.email", "proposed": "not an email"},
    )
    assert response.status_code == 400 and "Enter an email address" in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_the_history_does_not_name_the_safeguarding_lead_role(client, world) -> None:
    audit_event(actor=world.dsl, event="viewed", obj=world.ava, child_id=world.ava.pk, tier="general")
    client.force_login(world.parent)
    page = client.get(reverse("portal_history", args=[world.ava.pk])).content.decode()
    assert "Dee Tester" in page
    assert "safeguarding" not in page.lower()


def test_a_parent_comments_only_on_records_shared_with_them(client, world) -> None:
    client.force_login(world.parent)
    client.post(reverse("portal_send", args=[world.ava.pk]), {"title": "Moving", "body": "New address soon."})
    sent = Record.objects.get(author=world.parent)
    assert sent.status == Record.Status.AWAITING_SIGN_OFF and not sent.visible_to_parents
    assert client.get(reverse("portal_record", args=[sent.pk])).status_code == 200
    response = client.post(reverse("portal_record_comment", args=[sent.pk]), {"text": "Also…"})
    assert response.status_code == 404
    assert not Addendum.objects.filter(record=sent).exists()


def test_only_what_a_parent_sent_as_a_parent_counts_as_theirs(client, world) -> None:
    # A login that once wrote a staff record in the file (as staff) sees nothing of it as a parent.
    staff_record = RecordFactory(
        child=world.ava,
        author=world.parent,
        category=Category.BEHAVIOUR,
        title="Staff-only note",
        source=Source.STAFF,
        occurred_at=datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC),
    )
    client.force_login(world.parent)
    assert client.get(reverse("portal_record", args=[staff_record.pk])).status_code == 404


def test_a_family_conversation_is_not_shared_with_every_carer_by_default(world) -> None:
    record = services.record_create(
        actor=world.keyworker,
        child=world.ava,
        category=Category.PARENT_CONVERSATION,
        title="Talk",
        body="Mum told us about the new address.",
        occurred_at=datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC),
    )
    assert not record.visible_to_parents


def test_the_audit_trail_never_holds_an_invitations_token_hash(world) -> None:
    from access.models import PortalInvitation
    from audit.models import AuditEntry

    link = ChildCarerFactory(
        child=world.ava,
        carer=CarerFactory(email="dad@example.net"),
        relationship="father",
        parental_responsibility=True,
    )
    invitation, _token = portal_invite(actor=world.manager, child=world.ava, link=link)
    entries = AuditEntry.objects.filter(object_pk=str(invitation.pk))
    assert entries.exists()
    stored = PortalInvitation.objects.get(pk=invitation.pk).token_hash
    for entry in entries:
        assert stored not in str(entry.changes) and stored not in str(entry.additional_data)


@pytest.mark.parametrize(
    ("event", "target", "words"),
    [
        ("viewed", "child", "Opened the file"),
        ("viewed", "record", "Read a record"),
        ("downloaded", "attachment", "Downloaded a document"),
        ("exported", "child", "Exported the file (printed or saved as a document)"),
        ("signed_off", "record", "Signed off a record"),
        ("created", "record", "Added a record"),
        ("updated", "child", "Changed the file&#x27;s details"),
    ],
)
def test_the_history_says_what_staff_did_in_plain_words(client, world, event, target, words) -> None:
    """The parent's history said "viewed" for an export, and "Downloaded a file from an attachment"."""
    obj = {"child": world.ava, "record": world.ava_progress, "attachment": world.attachments["general"]}[
        target
    ]
    audit_event(actor=world.keyworker, event=event, obj=obj, child_id=world.ava.pk, tier="general")
    client.force_login(world.parent)
    page = client.get(reverse("portal_history", args=[world.ava.pk])).content.decode()
    first = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "Kim Tester" in first and f"<td>{words}</td>" in first
