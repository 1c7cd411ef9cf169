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
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import connections
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import reverse
from django.views.decorators.http import require_GET

from access import policy
from access.models import User
from access.policy import RecordAction
from records import selectors
from records.forms import (
    AddendumForm,
    ConcernActionForm,
    ConcernCloseForm,
    ConcernLinkForm,
    ReturnForm,
    SignOffForm,
)
from records.models import Record
from records.views import entries

TEMPLATE = "records/record_detail.html"


@dataclass(frozen=True)
class Snapshot:
    """The record page's context for one person, and the forms it makes for each request."""

    context: dict[str, Any]
    forms: dict[str, Callable[[], Any]] = field(default_factory=dict)


# (record id, user id) -> what the record page shows that person.
SNAPSHOTS: dict[tuple[uuid.UUID, object], Snapshot] = {}


def take(record_id: uuid.UUID, user: User) -> Snapshot:
    """What the record page (records.views.entries) shows this person, minus its audit entry."""
    request = RequestFactory().get(reverse("record_detail", args=[record_id]))
    request.user = user
    record = entries._record_for_user(request, record_id)  # type: ignore[arg-type]
    # The template follows these relations: load them now, not per request.
    for related in (record.child, record.author, record.signed_off_by, record.staff_member):
        if related is not None and hasattr(related, "user"):
            _ = related.user
    context: dict[str, Any] = {
        "record": record,
        "history": selectors.record_history(user=user, record=record),
        "attachments": list(record.attachments.all()),
        "addenda": selectors.addenda_for(record),
        "may_amend": RecordAction.AMEND in record.actions,
        "may_add_addendum": RecordAction.ADD in record.actions,
        "may_sign_off": RecordAction.SIGN_OFF in record.actions,
        "may_handle": RecordAction.HANDLE in record.actions,
        "may_see_withheld_reason": policy.may_see_withheld_reason(policy.standing_of(user), record),
    }
    forms: dict[str, Callable[[], Any]] = {}
    if context["may_add_addendum"]:
        forms["addendum_form"] = AddendumForm
    if context["may_sign_off"]:
        forms["sign_off_form"] = partial(SignOffForm, user=user)
        forms["return_form"] = ReturnForm
    if record.is_concern:
        context["linked"] = selectors.linked_concerns(user=user, record=record)
    if context["may_handle"] and record.status != Record.Status.CLOSED:
        others = selectors.linkable_concerns(user=user, record=record)
        forms["action_form"] = ConcernActionForm
        forms["link_form"] = partial(ConcernLinkForm, others=others) if others else lambda: None
        forms["close_form"] = ConcernCloseForm
    return Snapshot(context=context, forms=forms)


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
    context = snapshot.context | {name: make() for name, make in snapshot.forms.items()}
    return render(request, TEMPLATE, context)
