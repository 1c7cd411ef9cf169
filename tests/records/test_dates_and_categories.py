"""What each category asks for, where its answers are kept, and the working days that set deadlines."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.urls import reverse

from access.selectors import child_get_for_user
from audit.models import AuditEntry
from crypto import core as crypto
from records import services
from records.categories import CHILD_CATEGORIES, SPECS, STAFF_CATEGORIES, detail_items, spec_for
from records.dates import add_working_days, is_overdue, is_working_day
from records.forms import RecordForm
from records.models import SIGN_OFF_CATEGORIES, Category, Record

UTC = datetime.UTC


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


BASE_FIELDS = {"title", "body", "occurred_at", "source", "source_name", "file"}


# --- the categories --------------------------------------------------------------


def test_every_category_but_a_safeguarding_concern_has_a_spec() -> None:
    # A concern has its own form (records/forms.py ConcernForm), never the record form.
    assert set(SPECS) == set(Category) - {Category.SAFEGUARDING_CONCERN}


def test_a_childs_file_and_a_staff_file_offer_only_categories_with_a_spec() -> None:
    assert set(CHILD_CATEGORIES) == set(Category) - {Category.SAFEGUARDING_CONCERN, Category.STAFF_RECORD}
    assert set(STAFF_CATEGORIES) <= set(SPECS)
    assert Category.STAFF_RECORD in STAFF_CATEGORIES
    assert not set(STAFF_CATEGORIES) & SIGN_OFF_CATEGORIES


def test_the_sign_off_categories_are_the_ones_whose_hint_promises_a_signature() -> None:
    assert SIGN_OFF_CATEGORIES == {Category.PARENT_CONVERSATION, Category.FAMILY_INFORMATION}
    assert SIGN_OFF_CATEGORIES <= set(CHILD_CATEGORIES)
    promised = {c for c, spec in SPECS.items() if "sign it off" in spec.hint}
    assert promised == SIGN_OFF_CATEGORIES


@pytest.mark.parametrize("category", list(SPECS))
def test_each_spec_is_consistent(category) -> None:
    spec = spec_for(category)
    names = [q.name for q in spec.questions]
    assert len(names) == len(set(names)), "a question asked twice"
    assert not set(names) & BASE_FIELDS, "a question would replace one of the form's own fields"
    for question in spec.questions:
        assert question.kind in {"text", "textarea", "date", "choice"}
        assert (question.kind == "choice") == bool(question.choices)
    if spec.source_question:
        assert spec.source_question in names
    assert spec.hint and spec.body_label


@pytest.mark.parametrize("category", list(SPECS))
def test_the_record_form_asks_what_the_category_needs(category) -> None:
    spec = spec_for(category)
    form = RecordForm(category=category)
    for question in spec.questions:
        assert form.fields[question.name].required == question.required
        assert form.fields[question.name].label == question.label
    assert form.fields["body"].label == spec.body_label and form.fields["body"].required == spec.body_required
    says_where_from = bool(spec.source or spec.source_question)
    assert ("source" in form.fields) == (not says_where_from)
    assert list(form.fields)[-1] == "file"


@pytest.mark.parametrize(
    ("category", "answers", "source", "source_name"),
    [
        ("parent_contact", {"who": "Amy Smith (mother)", "method": "phone"}, "parent", "Amy Smith (mother)"),
        (
            "agency_report",
            {"agency": "Health visitors", "date_received": "2026-11-02"},
            "agency",
            "Health visitors",
        ),
        ("correspondence", {"direction": "sent", "correspondent": "Park Surgery"}, "other", "Park Surgery"),
        ("registration", {"date_received": "2026-09-01"}, "parent", ""),
        ("progress", {"source": "child", "source_name": "Ava herself"}, "child", "Ava herself"),
    ],
)
def test_where_the_information_came_from_follows_the_category(category, answers, source, source_name) -> None:
    data = {"title": "T", "body": "B", "occurred_at": "2026-11-02T09:00", **answers}
    form = RecordForm(data, category=category)
    assert form.is_valid(), form.errors
    fields = form.record_fields()
    assert (fields["source"], fields["source_name"]) == (source, source_name)


def test_details_are_shown_in_the_forms_order_with_labels_and_plain_dates() -> None:
    details = {"date_signed": "2026-11-17", "signed_by": "Amy Smith", "consent_for": "Outings", "extra": "x"}
    assert detail_items("signed_consent", details) == [
        ("What the consent covers", "Outings"),
        ("Signed by", "Amy Smith"),
        ("Date signed", "17 November 2026"),
    ]
    assert detail_items("parent_contact", {"method": "video", "who": ""}) == [("How", "Video call")]
    assert detail_items("safeguarding_concern", {"who": "x"}) == []
    assert detail_items("progress", {}) == []


@pytest.mark.django_db
@pytest.mark.parametrize("category", list(CHILD_CATEGORIES))
def test_only_information_from_families_waits_for_sign_off(world, category) -> None:
    child = child_get_for_user(user=world.keyworker, child_id=world.ava.pk)
    record = services.record_add(
        actor=world.keyworker,
        child=child,
        category=category,
        title="T",
        body="B",
        occurred_at=datetime.datetime(2026, 11, 2, 9, tzinfo=UTC),
    )
    expected = Record.Status.AWAITING_SIGN_OFF if category in SIGN_OFF_CATEGORIES else Record.Status.ACTIVE
    assert record.status == expected
    assert record.needs_sign_off == (category in SIGN_OFF_CATEGORIES)


@pytest.mark.django_db
def test_the_category_page_offers_every_category_of_a_childs_file(client, world) -> None:
    client.force_login(world.keyworker)
    html = client.get(reverse("record_add", args=[world.ava.pk])).content.decode()
    for category in CHILD_CATEGORIES:
        assert f'href="?category={category.value}"' in html
    assert "?category=safeguarding_concern" not in html and "?category=staff_record" not in html
    assert reverse("concern_raise", args=[world.ava.pk]) in html


@pytest.mark.django_db
@pytest.mark.parametrize("category", ["safeguarding_concern", "staff_record", "nonsense"])
def test_a_category_that_is_not_for_a_childs_file_is_not_offered_as_a_form(client, world, category) -> None:
    client.force_login(world.keyworker)
    before = Record.objects.count()
    response = client.post(
        reverse("record_add", args=[world.ava.pk]) + f"?category={category}",
        {"title": "T", "body": "B", "occurred_at": "2026-11-02T09:00", "source": "staff"},
    )
    assert response.status_code == 200
    assert "What kind of record is it?" in response.content.decode()  # the list of categories again
    assert Record.objects.count() == before


# --- details at rest -----------------------------------------------------------------


SECRET_ANSWERS = {
    "who": "Amy Smith (mother)",
    "method": "in_person",
    "agreed_actions": "Referral to the food bank",
}


def row_id(record: Record) -> object:
    """The primary key as the database column holds it (SQLite keeps UUIDs as hex)."""
    return record.pk.hex if connection.vendor == "sqlite" else record.pk


def raw_details(record: Record) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM records_record WHERE id = %s", [row_id(record)])
        return cursor.fetchone()[0]


@pytest.fixture
def conversation(world, client) -> Record:
    client.force_login(world.keyworker)
    response = client.post(
        reverse("record_add", args=[world.ava.pk]) + "?category=parent_conversation",
        {
            "title": "At pick-up",
            "body": "Money is tight this month.",
            "occurred_at": "2026-11-02T09:00",
            **SECRET_ANSWERS,
        },
    )
    assert response.status_code == 302
    return Record.objects.get(category="parent_conversation", status=Record.Status.AWAITING_SIGN_OFF)


@pytest.mark.django_db
def test_a_records_details_are_sealed_at_rest(conversation) -> None:
    raw = raw_details(conversation)
    for plaintext in ["Amy", "Smith", "food bank", "in_person", "who", "agreed_actions"]:
        assert plaintext not in raw
    with pytest.raises(ValueError):
        json.loads(raw)
    assert Record.objects.get(pk=conversation.pk).details == SECRET_ANSWERS


@pytest.mark.django_db
def test_the_audit_trail_records_that_details_changed_never_what_they_are(conversation) -> None:
    trail = json.dumps(list(AuditEntry.objects.values()), default=str)
    for plaintext in ["Amy Smith", "food bank", "Money is tight"]:
        assert plaintext not in trail


@pytest.mark.django_db
def test_sealed_details_copied_to_another_record_do_not_open(conversation, world) -> None:
    other = world.ava_progress
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_record SET details = %s WHERE id = %s", [raw_details(conversation), row_id(other)]
        )
    with pytest.raises(crypto.DecryptionError):
        Record.objects.get(pk=other.pk).details  # noqa: B018


@pytest.mark.django_db
def test_the_record_page_shows_the_answers_to_people_who_may_read_it(client, world, conversation) -> None:
    client.force_login(world.senior)
    html = client.get(reverse("record_detail", args=[conversation.pk])).content.decode()
    assert '<dt>Who was it with?</dt><dd class="pre">Amy Smith (mother)</dd>' in html
    assert '<dt>How</dt><dd class="pre">In person</dd>' in html
    client.force_login(world.colleague)
    assert client.get(reverse("record_detail", args=[conversation.pk])).status_code == 404


# --- working days ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (datetime.date(2026, 11, 16), True),  # Monday
        (datetime.date(2026, 11, 20), True),  # Friday
        (datetime.date(2026, 11, 21), False),  # Saturday
        (datetime.date(2026, 11, 22), False),  # Sunday
    ],
)
def test_weekdays_are_working_days(settings, day, working) -> None:
    settings.NON_WORKING_DAYS = frozenset()
    assert is_working_day(day) is working


def test_closure_days_are_not_working_days(settings) -> None:
    settings.NON_WORKING_DAYS = frozenset({"2026-12-25"})
    assert not is_working_day(datetime.date(2026, 12, 25))
    assert is_working_day(datetime.date(2026, 12, 24))


@pytest.mark.parametrize(
    ("start", "days", "closed", "expected"),
    [
        (at(2026, 11, 16, 10), 2, (), at(2026, 11, 18, 10)),  # Monday to Wednesday
        (at(2026, 11, 20, 10), 1, (), at(2026, 11, 23, 10)),  # Friday to Monday
        (at(2026, 11, 20, 10), 2, (), at(2026, 11, 24, 10)),  # Friday to Tuesday
        (at(2026, 11, 21, 15), 1, (), at(2026, 11, 23, 15)),  # Saturday to Monday
        (at(2026, 12, 24, 10), 2, ("2026-12-25", "2026-12-28"), at(2026, 12, 30, 10)),
        (at(2026, 12, 24, 10), 2, ("2026-12-28",), at(2026, 12, 29, 10)),
        (at(2026, 11, 16, 10), 0, (), at(2026, 11, 16, 10)),
    ],
)
def test_adding_working_days_skips_weekends_and_closures(settings, start, days, closed, expected) -> None:
    settings.NON_WORKING_DAYS = frozenset(closed)
    assert add_working_days(start, days) == expected


def test_overdue_means_strictly_more_than_two_working_days(settings) -> None:
    settings.NON_WORKING_DAYS = frozenset()
    created = datetime.datetime(2026, 11, 20, 10, tzinfo=UTC)  # Friday
    assert not is_overdue(created, datetime.datetime(2026, 11, 23, 23, 59, tzinfo=UTC))
    assert not is_overdue(created, datetime.datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    assert is_overdue(created, datetime.datetime(2026, 11, 24, 10, 0, 1, tzinfo=UTC))


def test_the_deadline_keeps_the_local_time_of_day_across_the_clocks_changing(settings) -> None:
    # Recorded at 10:00 on Friday 27 March 2026 (GMT); the clocks go forward on Sunday 29th.
    # Two working days later is Tuesday at 10:00 in the UK, which is 09:00 UTC.
    settings.NON_WORKING_DAYS = frozenset()
    created = datetime.datetime(2026, 3, 27, 10, tzinfo=UTC)
    assert not is_overdue(created, datetime.datetime(2026, 3, 31, 8, 59, tzinfo=UTC))
    assert is_overdue(created, datetime.datetime(2026, 3, 31, 9, 1, tzinfo=UTC))
