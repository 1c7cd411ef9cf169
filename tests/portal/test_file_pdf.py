"""The parent's copy of a child's file as one PDF: how it reads (read back with pypdf)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from records.models import Category
from tests.factories import RecordFactory
from tests.portal import portal_fixtures
from tests.portal.portal_fixtures import FATHER_PRIVATE, WHEN, Family, body_of

pytestmark = pytest.mark.django_db
family = portal_fixtures.family  # the fixture


def pages_of(client, family: Family) -> list[str]:
    client.force_login(family.world.parent)
    response = client.get(reverse("portal_file_pdf", args=[family.ava.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(body_of(response))).pages]


def test_every_page_says_which_page_of_how_many_and_whom_it_was_prepared_for(client, family) -> None:
    for number in range(40):  # enough to run over several pages
        portal_fixtures.shared_record(family.ava, family.world.keyworker, f"Walk to the park, day {number}")
    pages = pages_of(client, family)
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Prepared for Amy Smith" in text


def test_the_file_lists_the_parents_and_carers_with_only_the_readers_own_contact_details(
    client, family
) -> None:
    text = "\n".join(pages_of(client, family))
    assert "Parents and carers" in text
    assert "Dev Patel" in text and "Father" in text  # the other parent, named, with his relationship
    assert "07700 900111" in text  # Amy's own phone
    for private in FATHER_PRIVATE:  # never the other parent's address, phone or e-mail
        assert private not in text


def test_a_question_is_not_followed_by_a_second_mark(client, family) -> None:
    RecordFactory(
        child=family.ava,
        author=family.world.keyworker,
        category=Category.PARENT_CONTACT,
        title="Chat at pick-up",
        body="About settling in.",
        details={"who": "Amy Smith (mother)", "method": "in_person"},
        occurred_at=WHEN,
        visible_to_parents=True,
    )
    text = "\n".join(pages_of(client, family))
    assert "Who was it with? Amy Smith (mother)" in text
    assert "?:" not in text
