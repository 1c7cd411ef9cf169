"""Governance's timed work, run by `manage.py run_due_jobs` (jobs/): reminders of
policy reviews (30 days before, and on the day) and of policies still to be read
(the day before files close to those who have not read them)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access.models import MANAGERS, Membership, Role, User
from governance.models import PolicyVersion
from governance.selectors import people_yet_to_read
from jobs.registry import job
from records.services.notifications import notify

REVIEW_NOTICE_DAYS = 30


def _managers_and_chair() -> list[User]:
    live = (
        Membership.objects.live().filter(role__in=[*MANAGERS, Role.CHAIR, Role.PROPRIETOR]).values("user_id")
    )
    return list(User.objects.filter(is_active=True, pk__in=live))


@job("governance.review_reminders", every=datetime.timedelta(hours=6))
def review_reminders() -> str:
    """Tell the managers and the chair once 30 days before a policy's review date, and once on the day."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    sent = 0
    current = PolicyVersion.objects.filter(status=PolicyVersion.Status.CURRENT).select_related("policy")
    for version in current.filter(review_by__lte=soon, review_reminded_on__isnull=True):
        with transaction.atomic():
            notify(
                recipients=_managers_and_chair(),
                message=f"The {version.policy.title} policy is due for review by "
                f"{version.review_by:%-d %B %Y}.",
                url=reverse("policy_detail", args=[version.policy_id]),
            )
            version.review_reminded_on = today
            version.save(update_fields=["review_reminded_on"])
        sent += 1
    for version in current.filter(review_by__lte=today, review_due_reminded_on__isnull=True):
        with transaction.atomic():
            notify(
                recipients=_managers_and_chair(),
                message=f"The {version.policy.title} policy is due for review today: "
                "it is overdue from tomorrow.",
                url=reverse("policy_detail", args=[version.policy_id]),
            )
            version.review_due_reminded_on = today
            version.save(update_fields=["review_due_reminded_on"])
        sent += 1
    return f"{sent} review reminders" if sent else ""


@job("governance.last_call", every=datetime.timedelta(hours=1))
def last_call() -> str:
    """A day before files close to those who have not read a new version, remind them."""
    now = timezone.now()
    versions = PolicyVersion.objects.filter(
        status=PolicyVersion.Status.CURRENT,
        acknowledge_by__gt=now,
        acknowledge_by__lte=now + datetime.timedelta(days=1),
        last_call_sent_at__isnull=True,
    ).select_related("policy")
    told = 0
    for version in versions:
        with transaction.atomic():
            waiting = people_yet_to_read(version)
            notify(
                recipients=waiting,
                message=f"Please read the {version.policy.title} policy today: from tomorrow, "
                "files are closed to anyone who has not.",
                url=reverse("policy_read", args=[version.pk]),
            )
            version.last_call_sent_at = now
            version.save(update_fields=["last_call_sent_at"])
        told += len(waiting)
    return f"reminded {told} people" if told else ""
