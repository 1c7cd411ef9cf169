"""Counting a request's database queries, for the benchmark's table (bench.settings only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

# Asked for by the benchmark's single fetch of a page before its load run, and only then.
ASK_HEADER = "X-Bench-Count-Queries"
COUNT_HEADER = "X-Query-Count"


class QueryCountMiddleware:
    """Outermost: counts every query a request makes (the session's and the user's included)
    and says how many in ``X-Query-Count``, when the request asks for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if ASK_HEADER not in request.headers:
            return self.get_response(request)
        count = 0

        def counted(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response[COUNT_HEADER] = str(count)
        return response
