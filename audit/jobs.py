"""The audit trail's timed work, run by `manage.py run_due_jobs` (jobs/)."""

import datetime

from audit import chain
from jobs.registry import job


@job("audit.seal", every=datetime.timedelta(minutes=1))
def seal() -> str:
    """Seal committed entries that no commit sealed: those of quiet moments, or
    left by a sealing that another process had in hand (audit/chain.py)."""
    sealed = chain.seal_pending()
    return f"sealed {sealed} entries" if sealed else ""
