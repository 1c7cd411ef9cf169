"""The benchmark's scratch PostgreSQL databases: made, marked, reused, and nobody else's touched.

The database named by BENCH_DATABASE_URL holds the seeded demo. The benchmark marks what it
makes with a comment on the database (``confide-bench children=1000 records=66 ...``) and
touches no database without its mark: one that exists unmarked is refused. A seeded database
is reused while its mark matches the size asked for (and the keys and seeding code); otherwise it
is seeded again. Each measurement runs on a fresh copy of it (``<name>_run``), so that what
one run writes (audit entries, which can never be deleted, and sessions) never weighs on the next.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import dj_database_url
import psycopg2
from psycopg2 import sql
from psycopg2.extensions import connection as Connection

MARK = "confide-bench"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/confide_bench"
ROOT = Path(__file__).resolve().parents[1]
# What the seeded data is made by: when these change, the data is seeded again.
SEEDING_CODE = sorted((ROOT / "records" / "management").glob("demo_*.py")) + [
    ROOT / "records" / "management" / "commands" / "seed_demo.py"
]

Action = Literal["create", "reuse", "reseed", "refuse"]


class BenchError(Exception):
    """Why the benchmark stopped, for the person who ran it."""


@dataclass(frozen=True)
class Server:
    """Where the databases live, from BENCH_DATABASE_URL."""

    name: str
    host: str
    port: int
    user: str
    password: str

    @classmethod
    def from_url(cls, url: str) -> Server:
        config = dj_database_url.parse(url)
        if "postgresql" not in config["ENGINE"]:
            raise BenchError(f"BENCH_DATABASE_URL must name a PostgreSQL database, not {url!r}.")
        return cls(
            name=str(config["NAME"]),
            host=str(config.get("HOST") or "127.0.0.1"),
            port=int(config.get("PORT") or 5432),
            user=str(config.get("USER") or "postgres"),
            password=str(config.get("PASSWORD") or ""),
        )

    @property
    def run_name(self) -> str:
        return f"{self.name}_run"

    def url(self, name: str) -> str:
        login = self.user + (f":{self.password}" if self.password else "")
        return f"postgres://{login}@{self.host}:{self.port}/{name}"

    @contextmanager
    def admin(self) -> Iterator[Connection]:
        """A connection to the server's maintenance database, outside any transaction."""
        try:
            connection = psycopg2.connect(
                dbname="postgres", host=self.host, port=self.port, user=self.user, password=self.password
            )
        except psycopg2.OperationalError as exc:
            raise BenchError(f"Cannot reach PostgreSQL at {self.host}:{self.port}: {exc}".strip()) from exc
        connection.autocommit = True
        try:
            yield connection
        finally:
            connection.close()


def seed_marker(*, children: int, records: int, keys: str) -> str:
    """The mark of a database seeded at this size, with these keys, by this seeding code."""
    code = hashlib.sha256(b"".join(p.read_bytes() for p in SEEDING_CODE)).hexdigest()[:12]
    fingerprint = hashlib.sha256(keys.encode()).hexdigest()[:12]
    return f"{MARK} children={children} records={records} keys={fingerprint} seed={code}"


def run_marker(name: str) -> str:
    return f"{MARK} run copy of {name}"


def decide(*, exists: bool, comment: str | None, wanted: str) -> Action:
    """What to do with a database: make it, reuse it, seed it again, or leave it alone because
    the benchmark did not make it."""
    if not exists:
        return "create"
    if not comment or not (comment == MARK or comment.startswith(MARK + " ")):
        return "refuse"
    return "reuse" if comment == wanted else "reseed"


def refusal(name: str, comment: str | None) -> BenchError:
    said = f"its comment is {comment!r}" if comment else "it has no comment"
    return BenchError(
        f"The database {name!r} exists and the benchmark did not make it ({said}; the benchmark "
        f"marks its own with a comment starting {MARK!r}). It was left untouched. Name another "
        "database in BENCH_DATABASE_URL, or drop this one yourself if it is yours to drop."
    )


def state(connection: Connection, name: str) -> tuple[bool, str | None]:
    """Whether the database exists, and its comment."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        )
        row = cursor.fetchone()
    return (row is not None, row[0] if row else None)


def create(connection: Connection, name: str, comment: str, *, template: str | None = None) -> None:
    with connection.cursor() as cursor:
        if template:
            # A file copy is much faster than the default (WAL_LOG) for a large database.
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY")
            cursor.execute(statement.format(sql.Identifier(name), sql.Identifier(template)))
        else:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    mark(connection, name, comment)


def mark(connection: Connection, name: str, comment: str) -> None:
    with connection.cursor() as cursor:
        statement = sql.SQL("COMMENT ON DATABASE {} IS {}")
        cursor.execute(statement.format(sql.Identifier(name), sql.Literal(comment)))


def drop(connection: Connection, name: str) -> None:
    """Drop a database of the benchmark's (its mark is checked again first)."""
    exists, comment = state(connection, name)
    if not exists:
        return
    if decide(exists=exists, comment=comment, wanted="") == "refuse":
        raise refusal(name, comment)
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
