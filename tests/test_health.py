"""The monitors' address: "ok" or "unavailable", and never why (that goes to the log)."""

from __future__ import annotations

import logging

import pytest
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from health_check.checks import Database
from health_check.exceptions import ServiceUnavailable

pytestmark = pytest.mark.django_db(transaction=False)


def test_a_healthy_confide_says_ok_and_nothing_more(client) -> None:
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("asked", [{}, {"format": "json"}, {"format": "openmetrics"}, {"format": "rss"}])
def test_no_format_reveals_the_checks(client, asked: dict[str, str]) -> None:
    response = client.get(reverse("health"), asked, HTTP_ACCEPT="application/json")
    assert response.content == b"ok\n"
    for word in ("Database", "Cache", "Storage", "Migrations", "django", "version"):
        assert word.lower() not in response.content.decode().lower()


def test_a_failing_check_says_unavailable_and_logs_only_which(client, monkeypatch, caplog) -> None:
    def down(self: Database) -> None:
        raise ServiceUnavailable("could not connect to server at db.internal.example:5432 as confide")

    monkeypatch.setattr(Database, "run", down)
    with caplog.at_level(logging.ERROR, logger="config.health"):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert [r.getMessage() for r in caplog.records if r.name == "config.health"] == [
        "health check failed: Database"
    ]


def test_unapplied_migrations_make_it_unavailable(client, monkeypatch) -> None:
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("a migration", False)])
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.content == b"unavailable\n"


def test_the_address_is_set_by_the_environment(settings) -> None:
    assert reverse("health") == f"/{settings.HEALTH_CHECK_URL}"


def test_it_answers_only_get(client) -> None:
    assert client.post(reverse("health")).status_code == 405
