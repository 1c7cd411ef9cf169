"""The first timed job: sealing the audit chain, every minute."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from audit import verification
from audit.models import AuditEntry, Event
from jobs import registry, runner
from jobs.runner import Outcome


def test_the_seal_job_is_declared_by_audit_and_due_every_minute() -> None:
    job = registry.get("audit.seal")
    assert job.run.__module__ == "audit.jobs"
    assert job.every == datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_the_seal_job_seals_committed_entries() -> None:
    content_type = ContentType.objects.get_for_model(AuditEntry)
    # Written, not sealed: no commit has sealed them (a quiet moment, a lost race).
    AuditEntry.objects.bulk_create(
        AuditEntry(content_type=content_type, object_pk=str(i), action=3, event=Event.VIEWED, reason="test")
        for i in range(3)
    )
    assert AuditEntry.objects.filter(seq__isnull=True).count() == 3

    [result] = runner.run_due(jobs=[registry.get("audit.seal")])

    assert result.outcome is Outcome.SUCCEEDED
    assert result.summary == "sealed 3 entries"
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()
    verified = verification.verify()
    assert verified.intact and verified.checked >= 3
