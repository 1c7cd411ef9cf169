"""The audit trail's timed work, run by `manage.py run_due_jobs` (jobs/)."""

import datetime
from pathlib import Path

from django.conf import settings

from audit import chain, heads
from jobs.registry import job


@job("audit.seal", every=datetime.timedelta(minutes=1))
def seal() -> str:
    """Seal committed entries that no commit sealed: those of quiet moments, or
    left by a sealing that another process had in hand (audit/chain.py)."""
    sealed = chain.seal_pending()
    return f"sealed {sealed} entries" if sealed else ""


@job("audit.head", every=datetime.timedelta(hours=1))
def head() -> str:
    """Append the chain's signed head to AUDIT_HEAD_FILE, if it is set: a file on
    storage that the database's administrators do not control (docs/audit.md)."""
    if not settings.AUDIT_HEAD_FILE:
        return ""
    chain.seal_pending()
    signed = heads.current()
    heads.append(Path(settings.AUDIT_HEAD_FILE), signed)
    return f"head #{signed.seq} written"
