"""Sign-in's timed work, run by `manage.py run_due_jobs` (jobs/)."""

import datetime

from access.services import lockout, two_factor
from jobs.registry import job


@job("access.sign_in_purge", every=datetime.timedelta(hours=1))
def sign_in_purge() -> str:
    """Failed attempts older than the longest lock, browsers not seen for their cookie's
    lifetime, and authenticators shown but never confirmed: forgotten."""
    attempts, browsers = lockout.purge_attempts(), lockout.purge_browsers()
    unconfirmed = two_factor.purge_unconfirmed()
    if not attempts + browsers + unconfirmed:
        return ""
    return (
        f"removed {attempts} failed attempts, {browsers} browsers, {unconfirmed} unconfirmed authenticators"
    )
