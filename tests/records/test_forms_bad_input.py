"""Every form, given bad input: the message is next to the field, what was typed is kept, nothing is saved."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from access.selectors import child_get_for_user
from audit.models import AuditEntry, Event
from records import services
from records.models import Addendum, Attachment, Notification, Record

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 20, 10, 30, tzinfo=datetime.UTC)
PASSWORD = "a long test password"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\nA report about the child\n%%EOF\n"

VALID = {
    "progress": {
        "title": "Counting & sharing",
        "body": "Counted to ten with Kim's help.",
        "occurred_at": "2026-11-20T09:15",
        "source": "staff",
        "source_name": "",
        "next_steps": "Counting games at snack time.",
    },
    "parent_contact": {
        "title": "Call about sleep",
        "body": "Mum says Ava wakes at 4am.",
        "occurred_at": "2026-11-19T16:00",
        "who": "Amy Smith (mother)",
        "method": "phone",
        "agreed_actions": "Quiet time after lunch.",
    },
    "family_information": {
        "title": "New baby",
        "body": "A baby brother is due in March.",
        "occurred_at": "2026-11-19T16:00",
        "who": "Amy Smith (mother)",
        "affects_planning": "Ava may need extra reassurance.",
    },
    "agency_report": {
        "title": "Health visitor report",
        "body": "Two-year check: all well.",
        "occurred_at": "2026-11-18T12:00",
        "agency": "Leeds health visiting team",
        "date_received": "2026-11-18",
    },
    "signed_consent": {
        "title": "Outings consent",
        "body": "",
        "occurred_at": "2026-11-18T12:00",
        "consent_for": "Local outings",
        "signed_by": "Amy Smith",
        "date_signed": "2026-11-17",
    },
    "meeting_minutes": {
        "title": "Team around the family",
        "body": "Agreed a plan.",
        "occurred_at": "2026-11-18T12:00",
        "source": "staff",
        "source_name": "",
        "attendees": "Kim, Dee, the health visitor",
        "next_meeting": "In six weeks",
    },
    "correspondence": {
        "title": "Letter from the GP",
        "body": "About the inhaler.",
        "occurred_at": "2026-11-18T12:00",
        "direction": "received",
        "correspondent": "Dr Patel, Park Surgery",
    },
}
CHOICE_FIELDS = {"method", "direction", "source"}
CONCERN = {
    "what_happened": "Ava had a bruise on her <left> arm & said she fell.",
    "childs_words": "I fell off the big slide.",
    "occurred_at": "2026-11-20T08:45",
    "where": "Acorns room",
    "who_present": "Kim",
    "body_map_note": "Left upper arm, 3cm, blue.",
    "actions_taken": "Told Dee.",
}


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def field_error(html: str, field_id: str) -> str:
    """The error text shown next to one field (templates/includes/field.html)."""
    found = re.search(rf'<div class="field-error" id="{re.escape(field_id)}_error">(.*?)</div>', html, re.S)
    assert found, f"no error shown next to {field_id}"
    return found.group(1)


def assert_kept(html: str, data: dict[str, str], *, skip: tuple[str, ...] = ()) -> None:
    for name, value in data.items():
        if name in skip or not value:
            continue
        if name in CHOICE_FIELDS:
            assert f'value="{value}" selected' in html, name
        else:
            assert escape(value) in html, name
    assert "There is a problem." in html


def stored_files(media_root: Path) -> list[Path]:
    return sorted(p for p in media_root.rglob("*") if p.is_file())


@pytest.fixture
def nothing_saved(media_root: Path):
    """Asserts, after the test's request, that no row and no file was added."""

    def counts() -> tuple:
        return (
            Record.objects.count(),
            Addendum.objects.count(),
            Attachment.objects.count(),
            Notification.objects.count(),
            AuditEntry.objects.filter(
                event__in=[Event.SIGNED_OFF, Event.SHARED, Event.CONCERN_RAISED]
            ).count(),
            stored_files(media_root),
        )

    before = counts()
    yield
    assert counts() == before


def add_url(world, category: str) -> str:
    return reverse("record_add", args=[world.ava.pk]) + f"?category={category}"


# --- adding a record ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "change", "field", "message"),
    [
        ("progress", {"title": ""}, "title", "Give the record a short title."),
        ("progress", {"title": "x" * 201}, "title", "at most 200 characters"),
        ("progress", {"body": "  "}, "body", "Fill in “What you observed”."),
        ("progress", {"occurred_at": ""}, "occurred_at", "Say when it happened."),
        (
            "progress",
            {"occurred_at": "2026-11-20T11:00"},
            "occurred_at",
            "That time is in the future. When did it happen?",
        ),
        ("progress", {"occurred_at": "2099-01-01T09:00"}, "occurred_at", "That time is in the future."),
        (
            "progress",
            {"occurred_at": "2001-05-01T09:00"},
            "occurred_at",
            "That is before the child was born (14 March 2022). When did it happen?",
        ),
        (
            "progress",
            {"occurred_at": "last Tuesday"},
            "occurred_at",
            "Enter a date and time, for example 20/11/2026 09:15.",
        ),
        ("parent_contact", {"who": ""}, "who", "Answer “Who was it with?”."),
        ("parent_contact", {"method": ""}, "method", "Choose “How”."),
        ("parent_contact", {"method": "carrier_pigeon"}, "method", "Select a valid choice."),
        ("parent_contact", {"body": ""}, "body", "Fill in “What was said”."),
        ("family_information", {"body": ""}, "body", "Fill in “The information”."),
        ("family_information", {"who": ""}, "who", "Answer “Who shared it?”."),
        (
            "family_information",
            {"occurred_at": "2026-12-01T09:00"},
            "occurred_at",
            "That time is in the future.",
        ),
        ("agency_report", {"date_received": "2026-11-21"}, "date_received", "That date is in the future."),
        ("agency_report", {"date_received": ""}, "date_received", "Answer “Date received”."),
        (
            "agency_report",
            {"date_received": "31/02/2026"},
            "date_received",
            "Enter a date, for example 20/11/2026.",
        ),
        ("agency_report", {"agency": ""}, "agency", "Answer “Agency or professional”."),
        ("signed_consent", {"date_signed": "2027-01-01"}, "date_signed", "That date is in the future."),
        ("signed_consent", {"consent_for": ""}, "consent_for", "Answer “What the consent covers”."),
        ("meeting_minutes", {"attendees": ""}, "attendees", "Answer “Who attended”."),
        ("correspondence", {"direction": ""}, "direction", "Choose “Sent or received”."),
        ("correspondence", {"correspondent": ""}, "correspondent", "Answer “From or to whom”."),
    ],
)
def test_adding_a_record_with_a_mistake_shows_it_by_the_field_and_saves_nothing(
    client, world, nothing_saved, category, change, field, message
) -> None:
    client.force_login(world.keyworker)
    data = {**VALID[category], **change}
    response = client.post(add_url(world, category), data)
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert message in field_error(html, f"id_{field}")
    assert_kept(html, data, skip=(field,))


def test_each_valid_example_is_accepted(client, world) -> None:
    # So each case above fails for the one reason it names.
    client.force_login(world.keyworker)
    for category, data in VALID.items():
        response = client.post(add_url(world, category), data)
        assert response.status_code == 302, (category, response.content.decode()[-3000:])


def test_a_time_a_few_minutes_ahead_of_the_server_clock_is_accepted(client, world) -> None:
    client.force_login(world.keyworker)
    data = {**VALID["progress"], "occurred_at": "2026-11-20T10:33"}
    response = client.post(add_url(world, "progress"), data)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.exe", EXE, "is not a type of file Confide accepts"),
        ("report.pdf", EXE, "is not a type of file Confide accepts"),
        ("report.png", PDF, "is really a PDF document, but its name says otherwise"),
        ("empty.pdf", b"", "The submitted file is empty."),
        ("big.txt", b"Notes " * 40, "the largest file Confide accepts is 100"),
    ],
)
def test_a_bad_attachment_is_refused_and_nothing_is_stored(
    client, world, settings, nothing_saved, name, data, message
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 100
    client.force_login(world.keyworker)
    form = {**VALID["agency_report"], "file": SimpleUploadedFile(name, data)}
    response = client.post(add_url(world, "agency_report"), form)
    html = response.content.decode()
    assert message in field_error(html, "id_file")
    assert_kept(html, VALID["agency_report"])


def test_a_good_attachment_is_not_stored_when_another_field_is_wrong(client, world, nothing_saved) -> None:
    client.force_login(world.keyworker)
    form = {**VALID["agency_report"], "agency": "", "file": SimpleUploadedFile("report.pdf", PDF)}
    response = client.post(add_url(world, "agency_report"), form)
    assert "Answer “Agency or professional”." in field_error(response.content.decode(), "id_agency")


def test_typed_markup_is_shown_back_as_text(client, world, nothing_saved) -> None:
    client.force_login(world.keyworker)
    data = {**VALID["progress"], "title": "", "body": "<script>alert('x')</script>"}
    html = client.post(add_url(world, "progress"), data).content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


# --- amending ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": ""}, "reason", "Say why you are amending the record."),
        ({"reason": "   "}, "reason", "Say why you are amending the record."),
        ({"title": ""}, "title", "Give the record a short title."),
        ({"date_received": "2026-12-25"}, "date_received", "That date is in the future."),
    ],
)
def test_amending_with_a_mistake_saves_nothing(client, world, nothing_saved, change, field, message) -> None:
    report = world.ava_general["agency_report"]
    client.force_login(world.keyworker)
    data = {
        "title": "Health visitor report (corrected)",
        "body": "Two-year check: all well, hearing fine.",
        "agency": "Leeds health visiting team",
        "date_received": "2026-11-18",
        "reason": "Added the hearing result.",
        **change,
    }
    response = client.post(reverse("record_amend", args=[report.pk]), data)
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert message in field_error(html, f"id_{field}")
    assert_kept(html, data, skip=(field,))
    report.refresh_from_db()
    assert report.status == Record.Status.ACTIVE and report.title == "Report from another agency for Ava"


# --- raising a concern ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"what_happened": ""}, "what_happened", "Describe what you saw or heard."),
        ({"what_happened": "   "}, "what_happened", "Describe what you saw or heard."),
        (
            {"occurred_at": "2026-11-20T12:00"},
            "occurred_at",
            "That time is in the future. When did it happen?",
        ),
        ({"occurred_at": ""}, "occurred_at", "Say when it happened."),
        (
            {"occurred_at": "this morning"},
            "occurred_at",
            "Enter a date and time, for example 20/11/2026 09:15.",
        ),
    ],
)
def test_raising_a_concern_with_a_mistake_saves_nothing(
    client, world, nothing_saved, change, field, message
) -> None:
    client.force_login(world.volunteer)
    data = {**CONCERN, **change}
    html = client.post(reverse("concern_raise", args=[world.ava.pk]), data).content.decode()
    assert message in field_error(html, f"id_{field}")
    assert_kept(html, data, skip=(field,))


# --- the forms on a record's page -------------------------------------------------------


@pytest.fixture
def waiting(world) -> Record:
    return services.record_add(
        actor=world.keyworker,
        child=child_get_for_user(user=world.keyworker, child_id=world.ava.pk),
        category="family_information",
        title="New baby",
        body="A baby brother is due in March.",
        occurred_at=NOW - datetime.timedelta(hours=1),
        source="parent",
        source_name="Amy Smith (mother)",
    )


def post_on_record(client, person, name: str, record: Record, data: dict[str, str]):
    client.force_login(person)
    response = client.post(reverse(name, args=[record.pk]), data)
    assert response.status_code == 400
    return response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"sign-password": "", "sign-comment": "Read with Amy & Kim."},
            "password",
            "Type your password to sign.",
        ),
        (
            {"sign-password": "guessing-123", "sign-comment": "Read with Amy & Kim."},
            "password",
            "That is not your password. The record is not signed.",
        ),
        ({"sign-password": PASSWORD, "sign-comment": "x" * 2001}, "comment", "at most 2000 characters"),
    ],
)
def test_signing_off_with_a_mistake_signs_nothing(
    client, world, waiting, nothing_saved, data, field, message
) -> None:
    html = post_on_record(client, world.senior, "record_sign_off", waiting, data)
    assert message in field_error(html, f"id_sign-{field}")
    if field == "password":
        assert escape("Read with Amy & Kim.") in html
    assert "guessing-123" not in html and PASSWORD not in html
    waiting.refresh_from_db()
    assert waiting.status == Record.Status.AWAITING_SIGN_OFF and waiting.signed_off_by is None


def test_returning_without_a_reason_returns_nothing(client, world, waiting, nothing_saved) -> None:
    html = post_on_record(client, world.senior, "record_return", waiting, {"return-reason": ""})
    assert "Say what needs correcting." in field_error(html, "id_return-reason")
    waiting.refresh_from_db()
    assert waiting.status == Record.Status.AWAITING_SIGN_OFF


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write what you want to add."),
        ("  \n ", "Write what you want to add."),
        ("<b>Later</b> " + "a" * 10000, "at most 10000 characters"),
    ],
)
def test_adding_to_a_record_with_a_mistake_adds_nothing(client, world, nothing_saved, text, message) -> None:
    html = post_on_record(
        client, world.keyworker, "record_addendum", world.ava_progress, {"addendum-text": text}
    )
    assert message in field_error(html, "id_addendum-text")
    if text.strip():
        assert "&lt;b&gt;Later&lt;/b&gt;" in html and "<b>Later</b>" not in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"action-kind": "", "action-agency": "", "action-text": "Spoke to mum."},
            "kind",
            "Choose what you are recording.",
        ),
        (
            # A referral has its own page now (sharing): it is not an action on this form.
            {"action-kind": "referral", "action-agency": " ", "action-text": "Referred by phone."},
            "kind",
            "Select a valid choice.",
        ),
        (
            {"action-kind": "no_referral", "action-agency": "", "action-text": ""},
            "text",
            "Write the details and your reasons.",
        ),
        (
            {"action-kind": "closed", "action-agency": "", "action-text": "Spoke to mum."},
            "kind",
            "Select a valid choice.",
        ),
    ],
)
def test_a_concern_action_with_a_mistake_records_nothing(
    client, world, nothing_saved, data, field, message
) -> None:
    html = post_on_record(client, world.dsl, "concern_action", world.ava_concern, data)
    assert message in field_error(html, f"id_action-{field}")
    typed = data["action-text"]
    if typed:
        assert escape(typed) in html


def test_linking_without_choosing_links_nothing(client, world) -> None:
    other = services.concern_raise(
        actor=world.volunteer,
        child=world.ava,
        what_happened="Hungry again.",
        occurred_at=NOW - datetime.timedelta(days=2),
    )
    before = (Addendum.objects.count(), world.ava_concern.linked_concerns.count())
    html = post_on_record(
        client,
        world.dsl,
        "concern_link",
        world.ava_concern,
        {"link-other": "", "link-text": "Both about food & hunger."},
    )
    assert "Choose the concern to link to." in field_error(html, "id_link-other")
    assert escape("Both about food & hunger.") in html
    assert f'value="{other.pk}"' in html  # the choice is still offered
    assert (Addendum.objects.count(), world.ava_concern.linked_concerns.count()) == before


def test_closing_without_an_outcome_closes_nothing(client, world, nothing_saved) -> None:
    html = post_on_record(client, world.dsl, "concern_close", world.ava_concern, {"close-outcome": "  "})
    assert "Record the outcome before closing the concern." in field_error(html, "id_close-outcome")
    world.ava_concern.refresh_from_db()
    assert world.ava_concern.status == Record.Status.ACTIVE


def test_a_form_shown_again_keeps_the_other_forms_empty(client, world, waiting) -> None:
    html = post_on_record(
        client,
        world.senior,
        "record_sign_off",
        waiting,
        {"sign-password": "", "sign-comment": "Read with Amy."},
    )
    assert "Type your password to sign." in field_error(html, "id_sign-password")  # the form that was sent
    assert "Read with Amy." in html
    assert 'id="id_return-reason_error"' not in html
    assert 'id="id_addendum-text_error"' not in html
