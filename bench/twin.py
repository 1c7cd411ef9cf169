"""The record page's unprotected twin, served only by the benchmark's own server (bench.urls).

The same template as the record page (``records/record_detail.html``), fed the same record and
showing what the page shows each benchmark user, all worked out once, as the server process
starts: the record is read and decrypted then, through the page's own access check, and held in
this process's memory only (never stored). A request to the twin makes no access check, writes
no audit entry and decrypts nothing; the middleware and session handling are the same as every
page's. The record page's speed over the twin's is the price of its protections (P1).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import reverse
from django.views.decorators.http import require_GET

from access.models import User
from crypto.fields import open_all
from records.views import entries

TEMPLATE = "records/record_detail.html"


@dataclass(frozen=True)
class Snapshot:
    """The record page's context for one person (its values opened in memory)."""

    user: User
    context: dict[str, Any]


# (record id, user id) -> what the record page shows that person.
SNAPSHOTS: dict[tuple[uuid.UUID, object], Snapshot] = {}


def take(record_id: uuid.UUID, user: User) -> Snapshot:
    """What the record page (records.views.entries) shows this person, minus its audit entry."""
    request = RequestFactory().get(reverse("record_detail", args=[record_id]))
    request.user = user
    record = entries._record_for_user(request, record_id)  # type: ignore[arg-type]
    context = entries.record_page_context(user, record)
    # The template follows these relations: load them now, not per request.
    for related in (record.child, record.author, record.signed_off_by, record.staff_member):
        if related is not None and hasattr(related, "user"):
            _ = related.user
    rows = [record, *context["history"], *context["attachments"], *context["addenda"], *context["linked"]]
    open_all(user, *[r for r in rows if r is not None])
    return Snapshot(user=user, context=context)


def load(record_id: uuid.UUID, usernames: list[str]) -> None:
    for username in usernames:
        user = User.objects.get(username=username)
        SNAPSHOTS[(record_id, user.pk)] = take(record_id, user)


def load_from_environment() -> None:
    """At the server's start: the twin's snapshots, if the benchmark asked for them."""
    record_id = os.environ.get("BENCH_TWIN_RECORD")
    if record_id:
        load(uuid.UUID(record_id), os.environ.get("BENCH_TWIN_USERS", "").split(","))
        connections.close_all()


@require_GET
def record_twin(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    snapshot = SNAPSHOTS.get((record_id, request.user.pk))
    if snapshot is None:
        raise Http404
    context = snapshot.context | entries.record_page_forms(snapshot.user, snapshot.context)
    # The header names the person from the snapshot too (their sealed name, opened at start).
    request.user = snapshot.user
    return render(request, TEMPLATE, context)
