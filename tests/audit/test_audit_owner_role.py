"""docs/sql/audit_owner.sql, run with psql against a scratch PostgreSQL database:
afterwards the application's role can read, add and seal entries, and nothing else."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from psycopg2 import sql
from psycopg2.extensions import connection as Connection

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "sql" / "audit_owner.sql"


def _server() -> dict[str, str]:
    default = settings.DATABASES["default"]
    if "postgresql" not in default["ENGINE"] or not shutil.which("psql"):
        pytest.skip("needs PostgreSQL and psql")
    return {
        "host": default["HOST"] or "127.0.0.1",
        "port": str(default["PORT"] or 5432),
        "user": default["USER"] or "postgres",
        "password": default["PASSWORD"] or "",
    }


@dataclass
class Scratch:
    server: dict[str, str]
    name: str
    app_role: str
    owner_role: str

    def url(self) -> str:
        s = self.server
        login = f"{s['user']}:{s['password']}" if s["password"] else s["user"]
        return f"postgres://{login}@{s['host']}:{s['port']}/{self.name}"

    def connect(self) -> Connection:
        s = self.server
        connection = psycopg2.connect(
            dbname=self.name, host=s["host"], port=s["port"], user=s["user"], password=s["password"]
        )
        connection.autocommit = True
        return connection


def _admin(server: dict[str, str]) -> Connection:
    connection = psycopg2.connect(
        dbname="postgres",
        host=server["host"],
        port=server["port"],
        user=server["user"],
        password=server["password"],
    )
    connection.autocommit = True
    return connection


@pytest.fixture(scope="module")
def scratch() -> Iterator[Scratch]:
    """A migrated scratch database whose tables belong to an app role, as in production,
    with the script then run on it."""
    server = _server()
    tag = uuid.uuid4().hex[:10]
    db = Scratch(server, f"confide_role_{tag}", f"confide_app_{tag}", f"confide_audit_owner_{tag}")
    admin = _admin(server)
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db.name)))
        cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(db.app_role)))
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "audit", "--noinput", "-v0"],
            cwd=ROOT,
            env=env | {"DATABASE_URL": db.url()},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stderr
        with db.connect() as connection, connection.cursor() as cursor:
            # The app's role made the tables, as it does when it runs the migrations.
            cursor.execute(sql.SQL("GRANT CREATE ON SCHEMA public TO {}").format(sql.Identifier(db.app_role)))
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            for (table,) in cursor.fetchall():
                cursor.execute(
                    sql.SQL("ALTER TABLE {} OWNER TO {}").format(
                        sql.Identifier(table), sql.Identifier(db.app_role)
                    )
                )
        run = subprocess.run(
            ["psql", db.url(), "-v", f"app_role={db.app_role}", "-v", f"owner_role={db.owner_role}"]
            + ["-f", str(SCRIPT)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        yield db
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db.name)))
            for role in (db.app_role, db.owner_role):
                cursor.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        admin.close()


INSERT = (
    "INSERT INTO audit_auditentry (content_type_id, object_pk, object_repr, action, changes_text, "
    "timestamp, event, tier, reason, prev_hash, entry_hash, mac, seal_key) "
    "VALUES ((SELECT min(id) FROM django_content_type), '1', 'x', 3, '', now(), 'viewed', '', '', "
    "'', '', %s, '') RETURNING id"
)


def as_app(db: Scratch, statement: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    """Run a statement with the application's privileges (SET ROLE drops the superuser's)."""
    with db.connect() as connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(db.app_role)))
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def test_the_owner_role_owns_the_trail_and_nobody_signs_in_as_it(scratch: Scratch) -> None:
    with scratch.connect() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_auditentry'")
        assert cursor.fetchone() == (scratch.owner_role,)
        cursor.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [scratch.owner_role])
        assert cursor.fetchone() == (False,)
        cursor.execute(
            "SELECT count(*) FROM pg_trigger"
            " WHERE tgrelid = 'audit_auditentry'::regclass AND NOT tgisinternal"
        )
        assert cursor.fetchone() == (3,)  # the triggers are still there


def test_the_app_can_read_add_and_seal_entries(scratch: Scratch) -> None:
    [(entry_id,)] = as_app(scratch, INSERT, [f"k:{uuid.uuid4().hex}:{'0' * 64}"])
    assert as_app(scratch, "SELECT count(*) FROM audit_auditentry WHERE id = %s", [entry_id]) == [(1,)]
    as_app(
        scratch,
        "UPDATE audit_auditentry SET seq = %s, prev_hash = %s, entry_hash = %s, seal_key = 'k' WHERE id = %s",
        [entry_id, "0" * 64, "1" * 64, entry_id],
    )


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE audit_auditentry SET reason = 'nothing to see'", "permission denied"),
        ("DELETE FROM audit_auditentry", "permission denied"),
        ("TRUNCATE audit_auditentry", "permission denied"),
        ("ALTER TABLE audit_auditentry DISABLE TRIGGER USER", "must be owner"),
        ("ALTER TABLE audit_auditentry ADD COLUMN note text", "must be owner"),
        ("DROP TABLE audit_auditentry", "must be owner"),
        (
            "CREATE TRIGGER quiet BEFORE UPDATE ON audit_auditentry FOR EACH ROW EXECUTE FUNCTION "
            "suppress_redundant_updates_trigger()",
            "permission denied",
        ),
        (
            "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS"
            " $$ BEGIN RETURN NEW; END $$ "
            "LANGUAGE plpgsql",
            "must be owner",
        ),
    ],
    ids=[
        "update",
        "delete",
        "truncate",
        "disable triggers",
        "alter",
        "drop",
        "add a trigger",
        "replace trigger function",
    ],
)
def test_the_app_cannot_change_remove_or_unprotect_entries(
    scratch: Scratch, statement: str, refusal: str
) -> None:
    as_app(scratch, INSERT, [f"k:{uuid.uuid4().hex}:{'0' * 64}"])
    with pytest.raises(psycopg2.Error, match=refusal):
        as_app(scratch, statement)


def test_the_app_is_not_a_member_of_the_owners_role(scratch: Scratch) -> None:
    with scratch.connect() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [scratch.app_role, scratch.owner_role])
        assert cursor.fetchone() == (False,)


def test_the_script_can_be_run_again(scratch: Scratch) -> None:
    run = subprocess.run(
        [
            "psql",
            scratch.url(),
            "-v",
            f"app_role={scratch.app_role}",
            "-v",
            f"owner_role={scratch.owner_role}",
        ]
        + ["-f", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
