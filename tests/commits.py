"""Commits as production makes them, inside the request.

Tests run in a transaction that is never committed, so work queued with
transaction.on_commit normally waits for the test to run it. The fixture
`commit_in_request` runs it where production does: as the request's
transaction ends, before the response is returned, through Django's own
handling of on-commit callbacks (robust ones included). A callback that
fails there fails the request, as it would in production."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.handlers.base import BaseHandler
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import TestCase


@pytest.fixture
def commit_in_request(monkeypatch: pytest.MonkeyPatch) -> None:
    atomic_view = BaseHandler.make_view_atomic

    def make_view_atomic(self: BaseHandler, view: Callable[..., Any]) -> Callable[..., Any]:
        wrapped = atomic_view(self, view)

        @functools.wraps(wrapped)
        def committed(*args: Any, **kwargs: Any) -> Any:
            # A request's transaction starts with nothing queued (the test's own
            # setup may have queued work that its transaction never commits), and
            # what it queues has run, and is gone, when it ends.
            connection = connections[DEFAULT_DB_ALIAS]
            queued, connection.run_on_commit = connection.run_on_commit, []
            try:
                with TestCase.captureOnCommitCallbacks(execute=True):
                    return wrapped(*args, **kwargs)
            finally:
                connection.run_on_commit = queued

        return committed

    monkeypatch.setattr(BaseHandler, "make_view_atomic", make_view_atomic)
