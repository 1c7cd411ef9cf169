"""The benchmark's output: a table per size, then exactly three summary lines (bench/report.py)."""

from __future__ import annotations

import re

import pytest

from bench.report import Row, SizeResult, summary_lines, table


def row(page: str, user: str, clients: int = 4, *, rps: float = 1.0, p95: float = 1.0) -> Row:
    return Row(page, user, clients, rps=rps, p50=p95 / 2, p95=p95, p99=p95 * 1.2, queries=9, html_kb=4.0)


def size(children: int, *, child_file_p95: float, record_rps: float = 30, twin_rps: float = 99) -> SizeResult:
    rows = [
        row("child file", "manager", rps=50.0, p95=child_file_p95),
        row("child file", "manager", 1, rps=20.0, p95=60.0),
        row("record", "keyworker", rps=record_rps),
        row("record twin", "keyworker", rps=twin_rps),
        row("record", "manager", rps=1.0),
        row("record twin", "manager", rps=1000.0),
        Row("audit log", "keyworker", 4, note="n/a: 404 for a key worker"),
    ]
    return SizeResult(children, 66, rows, seeding="reused")


def output(results: list[SizeResult]) -> list[str]:
    return "\n\n".join(table(r) for r in results).splitlines() + summary_lines(results)


def test_the_output_ends_with_exactly_the_three_summary_lines() -> None:
    last = output([size(1000, child_file_p95=100.0)])[-3:]
    assert re.fullmatch(r"P1 ratio: \d+\.\d\d", last[0])
    assert re.fullmatch(r"P2 child file p95 ms: \d+\.\d", last[1])
    assert re.fullmatch(r"P2 growth: \d+\.\d\d", last[2])


def test_one_size_has_a_growth_of_one() -> None:
    assert summary_lines([size(1000, child_file_p95=123.45)]) == [
        "P1 ratio: 0.30",
        "P2 child file p95 ms: 123.5",
        "P2 growth: 1.00",
    ]


def test_p2_is_taken_at_the_largest_size_and_grows_from_1000_children() -> None:
    large = size(15000, child_file_p95=300.0, record_rps=10.0, twin_rps=100.0)
    assert summary_lines([large, size(1000, child_file_p95=120.0)]) == [
        "P1 ratio: 0.10",  # the key worker's record page over its twin, at the largest size
        "P2 child file p95 ms: 300.0",
        "P2 growth: 2.50",
    ]


def test_a_size_without_the_pages_the_summary_needs_is_an_error() -> None:
    with pytest.raises(LookupError):
        summary_lines([SizeResult(1000, 66, [])])


def test_the_table_says_which_row_is_p2_and_what_was_not_applicable() -> None:
    text = table(size(1000, child_file_p95=100.0))
    assert text.splitlines()[0] == "1,000 children x 66 records (66,000 records; reused)"
    p2 = [line for line in text.splitlines() if line.endswith("<- P2")]
    assert len(p2) == 1 and p2[0].startswith("child file") and " manager " in p2[0] and " 4 " in p2[0]
    p1 = [line.split()[:2] for line in text.splitlines() if line.endswith("<- P1")]
    assert p1 == [["record", "keyworker"], ["record", "twin"]]
    assert "n/a: 404 for a key worker" in text
    assert "P1 ratio" not in text and "P2 growth" not in text
