"""Edge cases of the encrypted fields found in review: each once let an index or a value drift."""

from __future__ import annotations

import datetime

import pytest

from records.models import Child, ChildCarer
from records.selectors import child_search_filter
from tests.factories import ChildCarerFactory, ChildFactory

pytestmark = pytest.mark.django_db


def found(query: str) -> list:

    return list(Child.objects.filter(child_search_filter(query)))


@pytest.mark.parametrize("loader", ["only", "defer"])
def test_renaming_a_child_loaded_with_only_some_fields_keeps_search_right(loader) -> None:

    child = ChildFactory(first_name="Ava", last_name="Smith")
    partial = (
        Child.objects.only("id", "first_name")
        if loader == "only"
        else Child.objects.defer("first_name_bidx", "address")
    ).get(pk=child.pk)
    partial.first_name = "Zed"
    partial.save()
    assert found("Zed Smith") == [child]
    assert found("Ava Smith") == []


def test_a_date_of_birth_given_as_a_datetime_is_found_by_its_date() -> None:
    child = ChildFactory(date_of_birth=datetime.datetime(2022, 3, 14, 10, tzinfo=datetime.UTC))
    assert found("14/03/2022") == [child]


def test_an_upsert_on_another_key_cannot_rewrite_encrypted_values() -> None:
    link = ChildCarerFactory(restriction_note="Original note")
    clash = ChildCarer(child=link.child, carer=link.carer, relationship="mother", restriction_note="New")
    with pytest.raises(TypeError, match="bound to the row"):
        ChildCarer.objects.bulk_create(
            [clash],
            update_conflicts=True,
            unique_fields=["child", "carer"],
            update_fields=["restriction_note"],
        )
    assert ChildCarer.objects.get(pk=link.pk).restriction_note == "Original note"
