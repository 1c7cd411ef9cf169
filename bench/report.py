"""The benchmark's results, as a table per size and the three summary lines (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass

# The pages (and who reads them) that the summary lines are taken from.
P1_USER = "keyworker"
P2_PAGE, P2_USER, P2_CLIENTS = "child file", "manager", 4
RECORD, TWIN = "record", "record twin"


@dataclass(frozen=True)
class Row:
    """One page, read by one person, under load from `clients` clients at once."""

    page: str
    user: str
    clients: int
    rps: float | None = None  # requests a second; None when not measured
    p50: float | None = None  # milliseconds
    p95: float | None = None
    p99: float | None = None
    queries: int | None = None
    html_kb: float | None = None
    note: str = ""


@dataclass(frozen=True)
class SizeResult:
    children: int
    records_per_child: int
    rows: list[Row]
    seeding: str = ""  # how the data came to be: "seeded in 61.0 s", "reused"

    def find(self, page: str, user: str, clients: int = 4) -> Row:
        for row in self.rows:
            if (row.page, row.user, row.clients) == (page, user, clients) and row.rps is not None:
                return row
        raise LookupError(f"no measurement of the {page} for {user} with {clients} clients")


def _number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


COLUMNS = ("page", "user", "clients", "req/s", "p50 ms", "p95 ms", "p99 ms", "queries", "HTML KB")


def table(result: SizeResult, clients: int = P2_CLIENTS) -> str:
    """The size's results, one row a page and person, aligned for a terminal or Markdown code block;
    the rows the summary lines are taken from (with `clients` clients) are marked."""
    title = f"{result.children:,} children x {result.records_per_child} records"
    title += f" ({result.children * result.records_per_child:,} records"
    title += f"; {result.seeding})" if result.seeding else ")"
    lines = [[*COLUMNS, ""]]
    for row in result.rows:
        note = row.note
        if (row.page, row.user, row.clients) == (P2_PAGE, P2_USER, clients):
            note = (note + " <- P2").strip()
        if row.page in (RECORD, TWIN) and (row.user, row.clients) == (P1_USER, clients):
            note = (note + " <- P1").strip()
        lines.append(
            [
                row.page,
                row.user,
                str(row.clients),
                _number(row.rps, 1),
                _number(row.p50, 1),
                _number(row.p95, 1),
                _number(row.p99, 1),
                "-" if row.queries is None else str(row.queries),
                _number(row.html_kb, 1),
                note,
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    text = [title]
    for line in lines:
        cells = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=False))
        ]
        text.append("  ".join(cells + [line[-1]]).rstrip())
    return "\n".join(text)


def summary_lines(results: list[SizeResult], clients: int = P2_CLIENTS) -> list[str]:
    """The last three lines of the output.

    P1: the key worker's record page over its unprotected twin, in requests a second, at the
    largest size run. P2: the manager's child file with 4 clients, its p95 at the largest size,
    and that over its p95 at 1000 children (or the smallest size run; 1.00 with one size).
    """
    if not results:
        raise ValueError("no results")
    largest = max(results, key=lambda r: r.children)
    base = next((r for r in results if r.children == 1000), min(results, key=lambda r: r.children))
    record = largest.find(RECORD, P1_USER, clients).rps or 0.0
    twin = largest.find(TWIN, P1_USER, clients).rps or 0.0
    p95 = largest.find(P2_PAGE, P2_USER, clients).p95 or 0.0
    base_p95 = base.find(P2_PAGE, P2_USER, clients).p95 or 0.0
    if not (twin and base_p95):
        raise ValueError("the twin or the child file was not measured")
    ratio = record / twin
    growth = 1.0 if base is largest else p95 / base_p95
    return [
        f"P1 ratio: {ratio:.2f}",
        f"P2 child file p95 ms: {p95:.1f}",
        f"P2 growth: {growth:.2f}",
    ]
