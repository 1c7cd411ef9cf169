"""Information shared by families: recorded, signed by senior staff, then the key people are told."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from audit.models import AuditEntry, Event
from records.models import Addendum, Category, Notification, Record

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"  # every persona's (tests/factories.py)
NOW = datetime.datetime(2026, 11, 20, 10, 30, tzinfo=datetime.UTC)  # a Friday, GMT

FAMILY_INFORMATION = {
    "title": "Dad's new shifts",
    "body": "Dad now works nights, so mum does every pick-up.",
    "occurred_at": "2026-11-20T09:15",
    "who": "Amy Smith (mother)",
    "affects_planning": "Ava may be tired on Mondays.",
}
PARENT_CONVERSATION = {
    "title": "Chat at pick-up",
    "body": "Grandma is poorly and in hospital.",
    "occurred_at": "2026-11-20T09:15",
    "who": "Amy Smith (mother)",
    "method": "in_person",
    "agreed_actions": "Kim to check in on Friday.",
}


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def add(
    client, world, author, category: str = Category.FAMILY_INFORMATION, data: dict | None = None
) -> Record:
    client.force_login(author)
    data = data or (FAMILY_INFORMATION if category == Category.FAMILY_INFORMATION else PARENT_CONVERSATION)
    response = client.post(reverse("record_add", args=[world.ava.pk]) + f"?category={category}", data)
    assert response.status_code == 302, response.content.decode()
    return Record.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])


@pytest.fixture
def waiting(client, world) -> Record:
    """Family information Kim recorded, waiting for a signature."""
    record = add(client, world, world.keyworker)
    client.logout()
    return record


def sign(client, person, record: Record, password: str = PASSWORD, comment: str = ""):
    client.force_login(person)
    return client.post(
        reverse("record_sign_off", args=[record.pk]), {"sign-password": password, "sign-comment": comment}
    )


def signed_off_entries(record: Record) -> int:
    return AuditEntry.objects.filter(event=Event.SIGNED_OFF, object_pk=str(record.pk)).count()


def told(record: Record) -> set[str]:
    return set(
        Notification.objects.filter(url=reverse("record_detail", args=[record.pk])).values_list(
            "recipient__username", flat=True
        )
    )


# --- recording ---------------------------------------------------------------------


@pytest.mark.parametrize("category", [Category.FAMILY_INFORMATION, Category.PARENT_CONVERSATION])
def test_information_from_a_family_is_saved_awaiting_sign_off(client, world, category) -> None:
    record = add(client, world, world.keyworker, category)
    assert record.status == Record.Status.AWAITING_SIGN_OFF
    assert record.signed_off_by is None and record.signed_off_at is None
    assert record.source == "parent" and record.source_name == "Amy Smith (mother)"
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "Waiting for senior staff to sign it off." in page
    assert "Senior staff have been asked to sign it off." in page


def test_a_progress_note_needs_no_signature(client, world) -> None:
    record = add(
        client,
        world,
        world.keyworker,
        Category.PROGRESS,
        {
            "title": "Counting",
            "body": "Counted to ten.",
            "occurred_at": "2026-11-20T09:00",
            "source": "staff",
        },
    )
    assert record.status == Record.Status.ACTIVE
    assert told(record) == set()


def test_the_sites_senior_staff_and_manager_are_asked_to_sign(client, world, waiting) -> None:
    recipients = told(waiting)
    assert {"senior", "manager"} <= recipients
    # Not the author, not the DSL or practitioners, not another site's manager.
    assert not recipients & {"keyworker", "keyworker2", "colleague", "dsl", "outside_manager"}
    note = Notification.objects.filter(recipient=world.senior).get()
    assert "Ava" not in note.message and "Smith" not in note.message


def test_a_signer_kept_out_of_the_childs_file_is_not_asked_to_sign(client, world, waiting) -> None:
    # Cara is senior staff at Oakfield and Ava's aunt: the link would be a 404 for her,
    # and the message itself tells her that her family's information was recorded.
    client.force_login(world.carer_staff)
    assert client.get(reverse("record_detail", args=[waiting.pk])).status_code == 404
    assert "carer_staff" not in told(waiting)


def test_the_sign_off_queue_lists_it_for_senior_staff_but_not_for_its_author(client, world) -> None:
    record = add(client, world, world.senior)  # Sunita records it herself
    client.force_login(world.manager)
    assert "Dad&#x27;s new shifts" in client.get(reverse("sign_off_queue")).content.decode()
    client.force_login(world.senior)
    assert "Nothing is waiting for your sign-off." in client.get(reverse("sign_off_queue")).content.decode()
    assert record.status == Record.Status.AWAITING_SIGN_OFF


# --- who may sign --------------------------------------------------------------------


def test_the_author_cannot_sign_their_own_record(client, world) -> None:
    record = add(client, world, world.senior)
    response = client.get(reverse("record_detail", args=[record.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dad&#x27;s new shifts" in page and "Waiting for senior staff to sign it off." in page
    assert "Sign it off" not in page
    assert sign(client, world.senior, record).status_code == 404
    record.refresh_from_db()
    assert record.status == Record.Status.AWAITING_SIGN_OFF and record.signed_off_by is None
    assert signed_off_entries(record) == 0


# Whether each may read the record at all: Colin has no grant on Ava's file.
READS_AVAS_FILE = {"keyworker2": True, "colleague": False, "dsl": True, "granted_student": True}


@pytest.mark.parametrize("persona", ["keyworker2", "colleague", "dsl", "granted_student"])
def test_people_who_are_not_senior_staff_cannot_sign(client, world, waiting, persona) -> None:
    person = getattr(world, persona)
    client.force_login(person)
    page = client.get(reverse("record_detail", args=[waiting.pk]))
    if READS_AVAS_FILE[persona]:
        assert page.status_code == 200
        html = page.content.decode()
        assert "Dad&#x27;s new shifts" in html and "Waiting for senior staff to sign it off." in html
        assert "Sign it off" not in html
    else:
        assert page.status_code == 404
    assert sign(client, person, waiting).status_code == 404
    assert (
        client.post(reverse("record_return", args=[waiting.pk]), {"return-reason": "Spelling"}).status_code
        == 404
    )
    waiting.refresh_from_db()
    assert waiting.status == Record.Status.AWAITING_SIGN_OFF and waiting.signed_off_by is None
    assert signed_off_entries(waiting) == 0


@pytest.mark.parametrize("persona", ["outside_manager", "outsider", "carer_staff", "parent", "superuser"])
def test_a_signer_from_elsewhere_gets_404(client, world, waiting, persona) -> None:
    person = getattr(world, persona)
    assert sign(client, person, waiting).status_code == 404
    assert client.get(reverse("record_detail", args=[waiting.pk])).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == Record.Status.AWAITING_SIGN_OFF
    assert signed_off_entries(waiting) == 0


@pytest.mark.parametrize("category", ["progress", "parent_contact", "medical"])
def test_only_information_shared_by_a_family_is_signed_or_returned(client, world, category) -> None:
    record = world.ava_general[category]
    assert sign(client, world.senior, record).status_code == 404
    assert (
        client.post(reverse("record_return", args=[record.pk]), {"return-reason": "Spelling"}).status_code
        == 404
    )
    record.refresh_from_db()
    assert record.status == Record.Status.ACTIVE and record.signed_off_by is None
    assert not record.addenda.exists() and signed_off_entries(record) == 0


# --- the password -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("not my password", "That is not your password. The record is not signed."),
        ("", "Type your password to sign."),
    ],
)
def test_a_wrong_or_missing_password_signs_nothing(client, world, waiting, password, message) -> None:
    response = sign(client, world.senior, waiting, password=password, comment="Read with Amy")
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Read with Amy" in html  # the comment typed is kept
    if password:
        assert password not in html  # a password is never shown back
    waiting.refresh_from_db()
    assert waiting.status == Record.Status.AWAITING_SIGN_OFF
    assert waiting.signed_off_by is None and waiting.signed_off_at is None
    assert signed_off_entries(waiting) == 0
    assert not waiting.addenda.exists()
    assert "keyworker" not in told(waiting)  # the key people hear nothing yet


def test_someone_elses_password_does_not_sign(client, world, waiting) -> None:
    world.manager.set_password("the managers own password")
    world.manager.save()
    response = sign(client, world.senior, waiting, password="the managers own password")
    assert response.status_code == 400
    waiting.refresh_from_db()
    assert waiting.status == Record.Status.AWAITING_SIGN_OFF


# --- signing ----------------------------------------------------------------------


def test_signing_with_the_right_password_signs_audits_and_tells_the_key_people(
    client, world, waiting, django_capture_on_commit_callbacks
) -> None:
    for person, address in [
        (world.keyworker, "kim@example.org"),
        (world.keyworker2, "sam@example.org"),
        (world.senior, "sunita@example.org"),
    ]:
        person.email = address
        person.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign(client, world.senior, waiting, comment="Talked it through with Amy.")
    assert response.status_code == 302
    assert response["Location"] == reverse("sign_off_queue")  # nothing else waits for Sunita

    waiting.refresh_from_db()
    assert waiting.status == Record.Status.SIGNED_OFF
    assert waiting.signed_off_by == world.senior and waiting.signed_off_at == NOW
    assert signed_off_entries(waiting) == 1
    entry = AuditEntry.objects.get(event=Event.SIGNED_OFF)
    assert entry.actor == world.senior and entry.child_id == world.ava.pk
    signature = waiting.addenda.get()
    assert signature.kind == Addendum.Kind.SIGNED_OFF and signature.text == "Talked it through with Amy."

    key_people = Notification.objects.filter(
        url=reverse("record_detail", args=[waiting.pk]), recipient__in=[world.keyworker, world.keyworker2]
    )
    assert {n.recipient.username for n in key_people} == {"keyworker", "keyworker2"}
    assert sorted(m.to[0] for m in mail.outbox) == ["kim@example.org", "sam@example.org"]
    for message in mail.outbox:
        text = message.subject + message.body
        for private in ["Ava", "Smith", "Amy", "shifts", "nights", "Sunita", "Kim", "Oakfield"]:
            assert private not in text, private
        assert reverse("record_detail", args=[waiting.pk]) in message.body


def test_the_record_page_shows_who_signed_it_and_when(client, world, waiting) -> None:
    sign(client, world.senior, waiting)
    client.force_login(world.keyworker)
    html = client.get(reverse("record_detail", args=[waiting.pk])).content.decode()
    assert "Signed by <strong>Sunita Tester</strong> on 20 November 2026 at 10:30." in html
    assert "Waiting for senior staff" not in html
    chronology = client.get(reverse("child_chronology", args=[world.ava.pk])).content.decode()
    assert "Signed by Sunita Tester on 20 Nov 2026." in chronology


def test_signing_twice_is_refused(client, world, waiting) -> None:
    assert sign(client, world.senior, waiting).status_code == 302
    again = sign(client, world.manager, waiting)
    assert again.status_code == 404
    waiting.refresh_from_db()
    assert waiting.signed_off_by == world.senior
    assert signed_off_entries(waiting) == 1
    assert waiting.addenda.count() == 1
    response = client.get(reverse("record_detail", args=[waiting.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Signed by <strong>Sunita Tester</strong>" in page
    assert "Sign it off" not in page


def test_a_signed_record_leaves_the_queue(client, world, waiting) -> None:
    sign(client, world.senior, waiting)
    client.force_login(world.manager)
    assert "Nothing is waiting for your sign-off." in client.get(reverse("sign_off_queue")).content.decode()


# --- returning for correction ---------------------------------------------------------


def test_returning_needs_a_reason(client, world, waiting) -> None:
    client.force_login(world.senior)
    response = client.post(reverse("record_return", args=[waiting.pk]), {"return-reason": "   "})
    assert response.status_code == 400
    assert "Say what needs correcting." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Record.Status.AWAITING_SIGN_OFF
    assert not waiting.addenda.exists()
    assert "keyworker" not in told(waiting)


def test_a_returned_record_goes_back_to_its_author_who_amends_it_for_sign_off_again(
    client, world, waiting
) -> None:
    client.force_login(world.senior)
    response = client.post(
        reverse("record_return", args=[waiting.pk]), {"return-reason": "Say which days Dad works."}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Record.Status.RETURNED
    returned = waiting.addenda.get()
    assert returned.kind == Addendum.Kind.RETURNED and returned.text == "Say which days Dad works."
    assert "keyworker" in told(waiting)
    note = Notification.objects.get(recipient=world.keyworker)
    assert "returned for correction" in note.message and "Ava" not in note.message
    # Returned is not signed: it can no longer be signed as it stands.
    assert sign(client, world.manager, waiting).status_code == 404

    client.force_login(world.keyworker)
    home = client.get(reverse("home")).content.decode()
    assert "Returned to you for correction" in home and "Dad&#x27;s new shifts" in home
    response = client.post(
        reverse("record_amend", args=[waiting.pk]),
        {
            **FAMILY_INFORMATION,
            "body": "Dad works nights Monday to Thursday.",
            "reason": "Added the days, as Sunita asked.",
        },
    )
    assert response.status_code == 302
    revision = Record.objects.get(supersedes=waiting)
    waiting.refresh_from_db()
    assert waiting.status == Record.Status.SUPERSEDED
    assert revision.status == Record.Status.AWAITING_SIGN_OFF
    assert revision.body == "Dad works nights Monday to Thursday."
    assert revision.signed_off_by is None
    assert {"senior", "manager"} <= told(revision)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    home = response.content.decode()
    assert "<h1>Hello, Kim</h1>" in home and "Ava Smith" in home
    assert "Returned to you for correction" not in home

    assert sign(client, world.senior, revision).status_code == 302
    revision.refresh_from_db()
    assert revision.status == Record.Status.SIGNED_OFF
    assert sign(client, world.senior, waiting).status_code == 404  # the old version stays superseded


def test_an_amended_signed_record_needs_signing_again(client, world, waiting) -> None:
    sign(client, world.senior, waiting)
    client.force_login(world.keyworker)
    client.post(
        reverse("record_amend", args=[waiting.pk]),
        {**FAMILY_INFORMATION, "title": "New shifts", "reason": "Typo in the title."},
    )
    revision = Record.objects.get(supersedes=waiting)
    assert revision.status == Record.Status.AWAITING_SIGN_OFF
    assert revision.signed_off_by is None and revision.signed_off_at is None


def test_after_signing_one_item_the_next_in_the_queue_opens_and_its_notifications_are_done(
    client, world, waiting
) -> None:
    later = add(client, world, world.keyworker, data={**FAMILY_INFORMATION, "title": "Grandma is visiting"})
    assert Notification.objects.filter(record=later, recipient=world.senior, done_at=None).exists()
    response = sign(client, world.senior, waiting, comment="")
    assert response["Location"] == reverse("record_detail", args=[later.pk])
    # The notifications that asked for the first signature are done, for every signer told.
    asked = Notification.objects.filter(record=waiting)
    assert asked.exists() and not asked.filter(done_at=None).exists()
    client.force_login(world.manager)
    inbox = client.get(reverse("notifications")).content.decode()
    assert (
        inbox.count("<strong>New</strong>")
        == Notification.objects.filter(recipient=world.manager, done_at=None, read_at=None).count()
    )
