"""Form submissions' timed work, run by `manage.py run_due_jobs` (jobs/)."""

import datetime

from django.utils import timezone

from jobs.registry import job
from submissions.models import Submission
from submissions.tokens import MAX_AGE


@job("submissions.purge", every=datetime.timedelta(days=1))
def purge() -> str:
    """Forget submissions whose tokens are no longer accepted anyway."""
    cutoff = timezone.now() - MAX_AGE - datetime.timedelta(days=1)
    deleted, _ = Submission.objects.filter(created_at__lt=cutoff).delete()
    return f"forgot {deleted} form submissions" if deleted else ""
