"""The benchmark's scratch databases: it touches only the ones it made (bench/database.py)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace

import dj_database_url
import psycopg2
import pytest
from django.conf import settings

from bench import database
from bench.database import MARK, BenchError, decide, seed_marker
from bench.run import seeded

WANTED = f"{MARK} children=1000 records=66 keys=abc seed=def"


@pytest.mark.parametrize(
    ("exists", "comment", "action"),
    [
        (False, None, "create"),
        (True, WANTED, "reuse"),
        (True, f"{MARK} children=15000 records=66 keys=abc seed=def", "reseed"),
        (True, f"{MARK} seeding", "reseed"),  # a seeding that never finished
        (True, None, "refuse"),
        (True, "", "refuse"),
        (True, "Production copy, do not touch", "refuse"),
        (True, f"{MARK}-like but not ours", "refuse"),
    ],
)
def test_what_is_done_with_a_database(exists: bool, comment: str | None, action: str) -> None:
    assert decide(exists=exists, comment=comment, wanted=WANTED) == action


def test_the_mark_names_the_size_and_changes_with_the_keys() -> None:
    one = seed_marker(children=1000, records=66, keys="key one")
    two = seed_marker(children=1000, records=66, keys="key two")
    assert one.startswith(f"{MARK} children=1000 records=66 keys=")
    assert decide(exists=True, comment=one, wanted=two) == "reseed"


def test_only_postgresql_is_accepted() -> None:
    with pytest.raises(BenchError, match="PostgreSQL"):
        database.Server.from_url("sqlite:///var/bench.sqlite3")


def postgres_url() -> str:
    """The PostgreSQL server the suite runs on, or else the one the benchmark would use."""
    default = settings.DATABASES["default"]
    if "postgresql" in default["ENGINE"]:
        login = default["USER"] + (f":{default['PASSWORD']}" if default["PASSWORD"] else "")
        return f"postgres://{login}@{default['HOST'] or '127.0.0.1'}:{default['PORT'] or 5432}/x"
    return os.environ.get("BENCH_DATABASE_URL") or database.DEFAULT_URL


@pytest.fixture
def someone_elses_database() -> Iterator[database.Server]:
    """A database on the PostgreSQL server that the benchmark did not make."""
    name = f"confide_not_bench_{uuid.uuid4().hex[:12]}"
    server = replace(database.Server.from_url(postgres_url()), name=name)
    try:
        with server.admin() as admin, admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{server.name}"')
            cursor.execute(f"COMMENT ON DATABASE \"{server.name}\" IS 'the finance team''s'")
    except (BenchError, psycopg2.Error) as exc:
        pytest.skip(f"no PostgreSQL server to make a database on: {exc}")
    try:
        yield server
    finally:
        with server.admin() as admin, admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{server.name}" WITH (FORCE)')


def test_it_refuses_a_database_it_did_not_make(someone_elses_database: database.Server) -> None:
    server = someone_elses_database
    env = {"FIELD_ENCRYPTION_KEYS": "bench1:x", "BLIND_INDEX_KEY": "bench:y"}
    with pytest.raises(BenchError, match="did not make it.*the finance team's"):
        seeded(server, env, 1000, 66)
    with pytest.raises(BenchError, match="did not make it"):
        with server.admin() as admin:
            database.drop(admin, server.name)
    with server.admin() as admin:
        assert database.state(admin, server.name) == (True, "the finance team's")


def test_the_run_copy_is_named_after_the_database() -> None:
    server = database.Server.from_url("postgres://bench:secret@db.example:5433/confide_bench")
    assert server.run_name == "confide_bench_run"
    assert server.url(server.run_name) == "postgres://bench:secret@db.example:5433/confide_bench_run"
    assert dj_database_url.parse(server.url("x"))["PORT"] == 5433
