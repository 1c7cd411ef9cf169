"""Working days, for the deadlines the policies set (sign-off within two working days)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

SIGN_OFF_WORKING_DAYS = 2


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day.isoformat() not in settings.NON_WORKING_DAYS


def add_working_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The same time of day, `days` working days later (weekends and the
    configured closure days are skipped)."""
    for _ in range(days):
        moment += datetime.timedelta(days=1)
        while not is_working_day(moment.date()):
            moment += datetime.timedelta(days=1)
    return moment


def is_overdue(created: datetime.datetime, now: datetime.datetime, days: int = SIGN_OFF_WORKING_DAYS) -> bool:
    return add_working_days(timezone.localtime(created), days) < now


def overdue_before(now: datetime.datetime, days: int = SIGN_OFF_WORKING_DAYS) -> datetime.datetime:
    """The moment before which anything created is overdue at `now` (is_overdue
    is monotonic in its creation time), so the database can count overdue items.
    Found by halving the interval: about 40 steps, to the microsecond."""
    earliest = now - datetime.timedelta(days=days + 60)
    latest = now
    while latest - earliest > datetime.timedelta(microseconds=1):
        middle = earliest + (latest - earliest) / 2
        if is_overdue(middle, now, days):
            earliest = middle
        else:
            latest = middle
    return latest
