"""Withheld, safeguarding and personnel records never reach a parent, by any route:
the file page, the record page, attachment downloads, the PDF, the access
history, search and notifications. Nor does the reason a record was withheld."""

from __future__ import annotations

import html

import pytest
from django.core import mail
from django.urls import reverse

from records import services
from records.models import Category, Notification, Record
from sharing import services as sharing_services
from tests.portal import portal_fixtures
from tests.portal.portal_fixtures import (
    WITHHELD_REASON,
    Family,
    body_of,
    pdf_text,
)
from tests.sharing.helpers import social_care

pytestmark = pytest.mark.django_db
family = portal_fixtures.family  # the fixture

HIDDEN = [
    "withheld",
    "concern",
    "concern_about_staff",
    "contract",
    "allegation",
    "leo_concern",
    "superseded",
    "awaiting_sign_off",
    "sent_by_father",
]


def hidden(family: Family, kind: str) -> Record:
    world = family.world
    return {
        "withheld": family.withheld,
        "concern": world.ava_concern,
        "concern_about_staff": world.ava_about_accused,
        "contract": world.contract,
        "allegation": world.allegation,
        "leo_concern": family.leo_concern,
        "superseded": family.medical_old,
        "awaiting_sign_off": family.awaiting,
        "sent_by_father": family.sent_by_father,
    }[kind]


def words_of(record: Record) -> list[str]:
    """What would give a record away: its title and body."""
    return [record.title, record.body]


# Always secret, whatever page: the reason for withholding and the hidden records' words.
def secrets(family: Family) -> list[str]:
    world = family.world
    found = [
        WITHHELD_REASON,
        "About another child",
        "withheld.txt",
        "body-map.txt",
        "contract.txt",
        "Left upper arm",
        "Signed contract",
    ]
    for record in [
        family.withheld,
        world.ava_concern,
        world.ava_about_accused,
        world.contract,
        world.allegation,
        family.leo_concern,
        family.sent_by_father,
    ]:
        found += words_of(record)
    return found


def page(client, name: str, *args) -> str:
    """The page's text, with HTML escapes undone (so "Leo's" is found, or not, as written)."""
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (name, response.status_code)
    return html.unescape(response.content.decode())


@pytest.fixture
def amy(client, family: Family):
    client.force_login(family.world.parent)
    return client


def test_the_childs_page_lists_the_shared_records_and_none_of_the_hidden_ones(amy, family) -> None:
    text = page(amy, "portal_child", family.ava.pk)
    for record in Record.objects.filter(pk__in=family.seen, child=family.ava):
        assert record.title in text, record.title
    for secret in secrets(family):
        assert secret not in text, secret
    assert "Medical for Ava" not in text  # the revision that was amended
    assert "Grandad moved in" not in text  # shared, but not signed off yet


@pytest.mark.parametrize("kind", HIDDEN)
def test_a_hidden_record_answers_404_on_the_record_page(amy, family, kind) -> None:
    response = amy.get(reverse("portal_record", args=[hidden(family, kind).pk]))
    assert response.status_code == 404
    text = html.unescape(response.content.decode())
    assert "<h1>Page not found</h1>" in text
    for secret in words_of(hidden(family, kind)):
        assert secret not in text


@pytest.mark.parametrize(
    "kind",
    ["withheld", "safeguarding", "personnel", "leo_concern", "awaiting", "sent_by_father", "leo_withheld"],
)
def test_a_file_on_a_hidden_record_answers_404(amy, family, kind) -> None:
    response = amy.get(reverse("portal_attachment", args=[family.files[kind].pk]))
    assert response.status_code == 404
    body = body_of(response)
    assert b"<h1>Page not found</h1>" in body
    assert f"About {kind}".encode() not in body


def test_a_file_on_a_shared_record_downloads(amy, family) -> None:
    response = amy.get(reverse("portal_attachment", args=[family.files["general"].pk]))
    assert response.status_code == 200
    assert body_of(response) == b"Ava's painting notes"
    assert "painting.txt" in response["Content-Disposition"]


def test_the_record_page_of_a_shared_record_lists_only_its_own_files(amy, family) -> None:
    text = page(amy, "portal_record", family.world.ava_progress.pk)
    assert "painting.txt" in text
    for secret in secrets(family):
        assert secret not in text, secret


def test_the_pdf_holds_the_shared_records_and_none_of_the_hidden_ones(amy, family) -> None:
    response = amy.get(reverse("portal_file_pdf", args=[family.ava.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(body_of(response))
    shared = Record.objects.filter(pk__in=family.seen, child=family.ava, visible_to_parents=True)
    assert shared.count() >= 8  # enough to mean something (fixtures share at least 8)
    for record in shared:
        assert record.title in text, record.title
    for secret in secrets(family):
        assert secret not in text, secret
    assert "Medical for Ava" not in text and "Grandad moved in" not in text


def test_the_pdf_of_the_other_setting_holds_no_concern_either(amy, family) -> None:
    text = pdf_text(body_of(amy.get(reverse("portal_file_pdf", args=[family.leo.pk]))))
    assert "Leo's first week" in text
    assert "Leo's worrying mark" not in text and "Leo and the other boy" not in text


def test_the_access_history_names_no_hidden_record_nor_who_read_only_the_hidden_parts(client, family) -> None:
    world = family.world
    client.force_login(world.named)  # Nia reads only the safeguarding file, as the DSL named her
    assert client.get(reverse("record_detail", args=[world.ava_concern.pk])).status_code == 200
    client.force_login(world.hr)  # Harriet reads a staff file
    assert client.get(reverse("record_detail", args=[world.contract.pk])).status_code == 200
    client.force_login(world.manager)  # Maria looks at who may read the file
    assert client.get(reverse("child_access", args=[world.ava.pk])).status_code == 200
    client.force_login(world.keyworker)  # Kim opens a shared record
    assert client.get(reverse("record_detail", args=[world.ava_progress.pk])).status_code == 200

    client.force_login(world.parent)
    text = page(client, "portal_history", world.ava.pk)
    assert "Kim Tester" in text
    for person in ["Nia Tester", "Harriet Tester", "Maria Tester", "Dee Tester"]:
        assert person not in text, person
    for secret in secrets(family):
        assert secret not in text, secret


def test_parents_cannot_search(amy, family) -> None:
    assert amy.post(reverse("children"), {"query": "Ava Smith"}).status_code == 404
    assert amy.get(reverse("children")).status_code == 404
    assert amy.get(reverse("audit_log")).status_code == 404
    assert amy.get(reverse("access_history", args=[family.ava.pk])).status_code == 404


def test_parents_are_never_told_about_hidden_records(
    client, family, django_capture_on_commit_callbacks
) -> None:
    world = family.world
    for person in [world.parent, family.father_user]:  # as if the login had an address too
        person.email = f"{person.username}@example.org"
        person.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(world.colleague)
        assert (
            client.post(
                reverse("concern_raise", args=[world.ava.pk]),
                {"what_happened": "Ava flinched", "occurred_at": "2026-11-20T09:15"},
            ).status_code
            == 302
        )
        client.force_login(world.keyworker)
        assert (
            client.post(
                reverse("record_add", args=[world.ava.pk]) + f"?category={Category.PROGRESS}",
                {
                    "title": "Kept back",
                    "body": "Not for parents.",
                    "occurred_at": "2026-11-20T09:15",
                    "source": "staff",
                    "withhold_from_parents": "on",
                    "withheld_reason": "About another family",
                },
            ).status_code
            == 302
        )
    concern = Record.objects.filter(category=Category.SAFEGUARDING_CONCERN).latest("created_at")
    with django_capture_on_commit_callbacks(execute=True):
        sharing_services.concern_refer(
            actor=world.dsl,
            record=concern,
            recipient=social_care(world),
            basis="public_task",
            basis_reason="Risk of harm.",
            consent_position="not_sought_risk",
            channel="phone",
            summary="Referred.",
            parents_told="no",
            parents_not_told_reason="Telling them could put Ava at risk.",
            items=[],
        )
    parents = [world.parent, family.father_user]
    assert not Notification.objects.filter(recipient__in=parents).exists()
    addresses = {address for message in mail.outbox for address in message.to}
    assert addresses.isdisjoint(
        {"parent@example.org", "father@example.org", "amy.smith@example.org", "dev@example.org"}
    ), addresses
    client.force_login(world.parent)
    assert client.get(reverse("notifications")).status_code == 404
    text = page(client, "portal_child", world.ava.pk)
    assert "<h1>Ava Smith</h1>" in text and "Progress for Ava" in text  # her file, with what is shared
    assert "Kept back" not in text and "About another family" not in text and "flinched" not in text


def test_records_marked_as_shared_in_the_safeguarding_or_personnel_tiers_stay_hidden(family) -> None:
    """The fixture marked them shared; the tier alone keeps them out."""
    world = family.world
    for record in [world.ava_concern, world.ava_about_accused, world.contract, world.allegation]:
        record.refresh_from_db()
        assert record.visible_to_parents
    for kind in ["concern", "concern_about_staff", "contract", "allegation"]:
        assert hidden(family, kind).pk not in family.seen


def test_amending_a_withheld_record_keeps_it_withheld(amy, family) -> None:
    revision = services.record_amend(
        actor=family.world.keyworker,
        record=family.withheld,
        title="Behaviour at lunch, amended",
        body="Better now.",
        reason="Detail",
    )
    assert not revision.visible_to_parents and revision.withheld_reason == WITHHELD_REASON
    assert amy.get(reverse("portal_record", args=[revision.pk])).status_code == 404
    text = page(amy, "portal_child", family.ava.pk)
    assert "<h1>Ava Smith</h1>" in text and "Progress for Ava" in text  # her file, with what is shared
    assert "Behaviour at lunch, amended" not in text


def test_a_record_taken_back_from_parents_disappears_at_once(amy, family) -> None:
    record = family.world.ava_progress
    assert amy.get(reverse("portal_record", args=[record.pk])).status_code == 200
    Record.objects.filter(pk=record.pk).update(visible_to_parents=False)
    assert amy.get(reverse("portal_record", args=[record.pk])).status_code == 404
    assert amy.get(reverse("portal_attachment", args=[family.files["general"].pk])).status_code == 404
    text = page(amy, "portal_child", family.ava.pk)
    assert "<h1>Ava Smith</h1>" in text and family.medical_new.title in text  # still shared
    assert record.title not in text


def test_a_social_care_report_never_reaches_parents_even_if_shared(amy, family) -> None:
    """docs/portal.md: a social care report is never shown to parents."""
    world = family.world
    report = world.ava_general[Category.SOCIAL_CARE_REPORT]
    Record.objects.filter(pk=report.pk).update(visible_to_parents=True)
    assert amy.get(reverse("portal_record", args=[report.pk])).status_code == 404
    text = page(amy, "portal_child", family.ava.pk)
    assert "<h1>Ava Smith</h1>" in text and "Progress for Ava" in text  # her file, with what is shared
    assert report.title not in text


def test_staff_are_not_offered_sharing_a_social_care_report(client, family) -> None:
    """docs/portal.md: never, so the form does not offer "share with parents"."""
    client.force_login(family.world.keyworker)
    response = client.get(
        reverse("record_add", args=[family.ava.pk]) + f"?category={Category.SOCIAL_CARE_REPORT}"
    )
    assert response.status_code == 200
    form = response.content.decode()
    assert "<h1>Add a record: social care report</h1>" in form and 'name="title"' in form
    assert 'name="share_with_parents"' not in form


def test_the_withheld_reason_is_shown_to_management_on_the_staff_record_page(client, family) -> None:
    """Kept, not lost: management read why parents do not see the record."""
    client.force_login(family.world.manager)
    assert WITHHELD_REASON in page(client, "record_detail", family.withheld.pk)
