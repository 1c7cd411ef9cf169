"""The id of the request being served, so every entry a request writes shares it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[uuid.UUID | None] = ContextVar("audit_request_id", default=None)


def current_request_id() -> uuid.UUID | None:
    return _request_id.get()


def correlation_id() -> str | None:
    """django-auditlog's correlation id is our request id: never a header a
    client could fill with text (AUDITLOG_CID_GETTER)."""
    request_id = _request_id.get()
    return str(request_id) if request_id else None


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_id.set(uuid.uuid4())
        try:
            return self.get_response(request)
        finally:
            _request_id.reset(token)
