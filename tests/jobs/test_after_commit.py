"""After the commit, nothing may fail the request: work queued for then is a named
function whose failure is logged (type and place, never the message) and left
to be done again."""

from __future__ import annotations

import datetime
import functools
import logging

import pytest
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from audit import chain
from audit.models import AuditEntry
from jobs.after_commit import after_commit, guarded
from records.models import Record
from tests.commits import commit_in_request  # noqa: F401 - a fixture


def fail() -> None:
    raise ConnectionError("mail.example.org refused amy@example.org")


def test_work_is_a_named_function() -> None:
    work = guarded(fail, name="portal.invitation_mail")
    assert work.__qualname__ == "after_commit[portal.invitation_mail]"


def test_a_failure_is_logged_by_type_and_place_without_its_message(caplog) -> None:
    with caplog.at_level(logging.ERROR, logger="jobs.after_commit"):
        guarded(fail, name="portal.invitation_mail")()  # does not raise
    [entry] = caplog.records
    assert entry.getMessage().startswith(
        "after-commit work portal.invitation_mail failed and is left to be done again: ConnectionError at "
    )
    assert "test_after_commit.py" in entry.getMessage()
    assert "amy@" not in entry.getMessage() and "mail.example.org" not in entry.getMessage()


@pytest.mark.django_db
def test_work_queued_once_runs_once_per_transaction() -> None:
    ran: list[str] = []

    def work() -> None:
        ran.append("ran")

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        with transaction.atomic():
            for _ in range(3):
                after_commit(work, name="test.once", once=True)
    assert ran == ["ran"] and len(callbacks) == 1


@pytest.mark.django_db
def test_a_failing_partial_would_fail_the_request(commit_in_request) -> None:  # noqa: F811
    """Why: Django 5.2 names a failed robust callback by its __qualname__, which a
    functools.partial lacks (ticket 36487); the error escapes after the commit."""
    with pytest.raises(AttributeError, match="__qualname__"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            transaction.on_commit(functools.partial(fail), robust=True)


@pytest.mark.django_db
def test_a_record_saved_when_sealing_then_fails_is_a_success_and_is_sealed_later(
    client,
    world,
    monkeypatch,
    caplog,
    commit_in_request,  # noqa: F811
) -> None:
    def broken(**kwargs: object) -> int:
        raise TimeoutError("the chain's lock was not free")

    monkeypatch.setattr(chain, "seal_pending", broken)
    chain._last_sealed.clear()
    client.force_login(world.keyworker)
    before = Record.objects.count()
    when = timezone.localtime() - datetime.timedelta(hours=2)
    data = {
        "title": "Counting",
        "body": "Counted to ten.",
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
        "source": "staff",
        "source_name": "",
        "next_steps": "",
    }
    with caplog.at_level(logging.ERROR, logger="jobs.after_commit"):
        response = client.post(reverse("record_add", args=[world.ava.pk]) + "?category=progress", data)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert Record.objects.count() == before + 1
    assert any("after-commit work audit.seal failed" in r.getMessage() for r in caplog.records)
    assert AuditEntry.objects.filter(seq__isnull=True).exists()  # left for the job
    monkeypatch.undo()
    chain.seal_pending()
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()
