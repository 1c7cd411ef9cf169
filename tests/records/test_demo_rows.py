"""seed_demo's fast writer (records/management/demo_rows.py): values as COPY's text format, and
which fields may skip their own code (none that is encrypted or derived)."""

from __future__ import annotations

import datetime
import uuid

import pytest

from access.models import KeyWorkerAssignment
from records.management.demo_rows import copy_text, plain_type
from records.models import Child, ChildCarer, Record


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "\\N"),
        (True, "t"),
        (False, "f"),
        (7, "7"),
        ("plain", "plain"),
        ("tab\there\nnew line\\back\rreturn", "tab\\there\\nnew line\\\\back\\rreturn"),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (datetime.date(2026, 9, 1), "2026-09-01"),
        (datetime.datetime(2026, 9, 1, 9, 30, tzinfo=datetime.UTC), "2026-09-01T09:30:00+00:00"),
    ],
)
def test_values_are_written_in_copy_text_format(value: object, text: str) -> None:
    assert copy_text(value) == text


def test_a_value_it_cannot_write_is_refused() -> None:
    with pytest.raises(TypeError, match="cannot COPY"):
        copy_text(1.5)


def test_encrypted_derived_and_automatic_fields_always_go_through_their_own_code() -> None:
    for model in (Child, ChildCarer, Record):
        for field in model._meta.concrete_fields:
            if (
                getattr(field, "encrypted", False)
                or field.name.endswith("_bidx")
                or field.name
                in (
                    "created_at",
                    "updated_at",
                )
            ):
                assert plain_type(field) is None, field


def test_plain_fields_are_written_as_they_stand() -> None:
    assert plain_type(Record._meta.get_field("id")) is uuid.UUID
    assert plain_type(Record._meta.get_field("child")) is uuid.UUID  # a foreign key, by its target
    assert plain_type(Record._meta.get_field("category")) is str
    assert plain_type(Record._meta.get_field("visible_to_parents")) is bool
    assert plain_type(Record._meta.get_field("occurred_at")) is None  # a date and time: its own code
    assert plain_type(KeyWorkerAssignment._meta.get_field("assigned_at")) is None
