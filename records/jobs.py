"""The files' timed work, run by `manage.py run_due_jobs` (jobs/)."""

import datetime

from jobs.registry import job
from records.services.notifications import notification_digests


@job("records.notification_digest", every=datetime.timedelta(hours=1))
def notification_digest() -> str:
    """The morning summary for people who asked for one (a count, naming nobody)."""
    sent = notification_digests()
    return f"sent {sent} summaries" if sent else ""
