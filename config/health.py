"""
The address monitors call (HEALTH_CHECK_URL): is Confide up, with its database,
cache and file storage answering and every migration applied?

It answers "ok" (200) or "unavailable" (503) and nothing else: the checks run
by django-health-check, but its pages name each check and print its error, and
an error from a database or a storage backend can name hosts, users or paths.
Why a check failed goes to the server's log, never to whoever asked.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration this code knows of is applied to the database."""

    alias: str = DEFAULT_DB_ALIAS

    def run(self) -> None:
        executor = MigrationExecutor(connections[self.alias])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise ServiceUnavailable("migrations are not all applied")


class HealthView(HealthCheckView):
    checks = (Database, Cache, Storage, MigrationsApplied)

    # An async view, as django-health-check's own (Django's TemplateView types get as sync).
    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        failed = [type(result.check).__name__ for result in results if result.error]
        if failed:
            logger.error("health check failed: %s", ", ".join(failed))
        return HttpResponse(
            "unavailable\n" if failed else "ok\n",
            content_type="text/plain; charset=utf-8",
            status=503 if failed else 200,
        )
