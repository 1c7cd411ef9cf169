"""
CSV that a spreadsheet opens as text, never as formulas: the one writer for every
export (the audit log now; the sharing log and reports as they come).

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula, and
"=HYPERLINK(...)" or "=cmd|..." typed into a reason or a name by one person would
run on the computer of the manager who opens the export. Every cell that starts
with one of those, or with a tab, NUL, carriage return or line feed (which some
spreadsheets strip before looking), gets a leading single quote (OWASP "CSV
injection"; ASVS 1.2.10). The file is RFC 4180: CRLF line ends, and a field that
holds a comma, a double quote or a line break is quoted, with its quotes doubled.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\0", "\r", "\n")


def safe_cell(value: object) -> str:
    """A cell's text, with a leading single quote if a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file that hands back what is written to it: the csv module writes one row."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """Each row as one line of formula-safe RFC 4180 CSV."""
    writer = csv.writer(_Line(), lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_response(rows: Iterable[Sequence[object]], *, filename: str) -> StreamingHttpResponse:
    """A download of the rows, streamed: a long export never sits in memory whole."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
