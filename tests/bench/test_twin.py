"""The record page's unprotected twin (bench/twin.py): the same page, without the protections,
and reachable only from the benchmark's own server."""

from __future__ import annotations

import ast
import importlib
import re
import uuid
from collections.abc import Iterator

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, get_resolver, resolve

from access import services as access_services
from access.models import Role, User
from audit.models import AuditEntry
from bench import twin
from bench.middleware import QueryCountMiddleware
from crypto import core
from records.models import Child, Record
from tests.factories import ChildFactory, RecordFactory, SiteFactory
from tests.personas import staff
from tests.test_architecture import APPS, ROOT, modules

TWIN_PATH = "/bench-twin/records/{}/"
# Tokens that differ on every rendering: the CSRF token and a form's one-time submission token.
CSRF = re.compile(r'name="(csrfmiddlewaretoken|submission)" value="[^"]+"')


# --- never outside the benchmark ----------------------------------------------------------------


def test_the_production_urls_have_no_twin() -> None:
    with pytest.raises(Resolver404):
        resolve(TWIN_PATH.format(uuid.uuid4()), urlconf="config.urls")

    def callbacks(patterns: list) -> list[str]:
        found = []
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                found += callbacks(pattern.url_patterns)
            else:
                found.append(pattern.callback.__module__)
        return found

    assert not [m for m in callbacks(get_resolver("config.urls").url_patterns) if m.startswith("bench")]


def test_the_production_settings_name_nothing_of_the_benchmark() -> None:
    production = importlib.import_module("config.settings")
    assert production.ROOT_URLCONF == "config.urls"
    assert not [m for m in production.MIDDLEWARE if m.startswith("bench")]
    assert not [a for a in production.INSTALLED_APPS if a.startswith("bench")]


def test_nothing_in_the_apps_imports_or_names_the_benchmark() -> None:
    found = []
    for module, path in modules(ROOT, APPS).items():
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = [node.value]  # "bench.urls" in a setting or include()
            found += [f"{module}:{node.lineno}: {n}" for n in names if n == "bench" or n.startswith("bench.")]
    assert found == []


def test_the_benchmark_urls_add_the_twin_to_the_production_ones() -> None:
    record_id = uuid.uuid4()
    assert resolve(TWIN_PATH.format(record_id), urlconf="bench.urls").func is twin.record_twin
    assert resolve(f"/records/{record_id}/", urlconf="bench.urls").url_name == "record_detail"


# --- the same page, without the protections -----------------------------------------------------


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return CSRF.sub("", response.content.decode())


@pytest.fixture
def people(db: None) -> dict[str, User]:
    """Kim, key person of Ava; Maria, who manages the setting; Olly, who works elsewhere."""
    site = SiteFactory()
    found = {
        "keyworker": staff("keyworker", "Kim", site, Role.PRACTITIONER),
        "manager": staff("manager", "Maria", site, Role.MANAGER),
        "outsider": staff("outsider", "Olly", SiteFactory(), Role.PRACTITIONER),
    }
    ava = ChildFactory(site=site, first_name="Ava", last_name="Smith")
    access_services.key_worker_assign(actor=found["manager"], child=ava, user=found["keyworker"])
    return found


@pytest.fixture
def record(people: dict[str, User]) -> Record:
    """A general record in Ava's file."""
    return RecordFactory(child=Child.objects.get(), author=people["keyworker"])


@pytest.fixture(autouse=True)
def snapshots() -> Iterator[None]:
    twin.SNAPSHOTS.clear()
    yield
    twin.SNAPSHOTS.clear()


@pytest.mark.urls("bench.urls")
@pytest.mark.parametrize("who", ["keyworker", "manager"])
def test_the_twin_shows_what_the_record_page_shows(
    people: dict[str, User], record: Record, client: Client, who: str
) -> None:
    user = people[who]
    twin.load(record.pk, [user.username])
    client.force_login(user)
    assert page(client, TWIN_PATH.format(record.pk)) == page(client, f"/records/{record.pk}/")


@pytest.mark.urls("bench.urls")
def test_the_twin_checks_nothing_audits_nothing_and_decrypts_nothing(
    people: dict[str, User], record: Record, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin.load(record.pk, ["keyworker"])
    client.force_login(people["keyworker"])
    entries = AuditEntry.objects.count()

    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("the twin decrypted something")

    monkeypatch.setattr(core, "decrypt_text", refuse)
    with CaptureQueriesContext(connection) as captured:
        body = page(client, TWIN_PATH.format(record.pk))
    assert record.title in body
    savepoints = ("SAVEPOINT", "RELEASE SAVEPOINT")
    queries = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(savepoints)]
    # The session and its user, the notifications count in the header, the session saved again.
    assert len(queries) == 4
    assert not [q for q in queries if re.search(r"records_record|access_(?!user\b)|guardian_|audit_", q)]
    assert AuditEntry.objects.count() == entries
    monkeypatch.undo()  # the not-found page names the person in its header, as every page does
    client.force_login(people["outsider"])  # no snapshot of theirs: nothing to show
    assert client.get(TWIN_PATH.format(record.pk)).status_code == 404


# --- the query counter ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_query_counter_counts_when_asked() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT 2")
        return HttpResponse("ok")

    counter = QueryCountMiddleware(view)
    asked = counter(RequestFactory().get("/", HTTP_X_BENCH_COUNT_QUERIES="1"))
    assert asked["X-Query-Count"] == "2"
    assert "X-Query-Count" not in counter(RequestFactory().get("/"))
