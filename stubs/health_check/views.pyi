from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.generic import TemplateView
from health_check.base import HealthCheck

class HealthCheckView(TemplateView):
    checks: Iterable[type[HealthCheck] | str | tuple[type[HealthCheck] | str, dict[str, Any]]]
    def get_executor(self) -> AbstractContextManager[Executor]: ...
    def get_checks(self) -> Iterator[HealthCheck]: ...
    async def get(  # type: ignore[override]
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse: ...
