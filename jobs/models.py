from __future__ import annotations

from django.db import models


class JobStatus(models.Model):
    """One row per job: when it last ran and how that went. The row is also what
    a runner locks to claim the job. Never holds personal data: a failure is
    recorded by the exception's type and where it was raised, not its message."""

    name = models.CharField(max_length=100, primary_key=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_succeeded_at = models.DateTimeField(null=True, blank=True)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    failures_in_a_row = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "job status"
        verbose_name_plural = "job statuses"

    def __str__(self) -> str:
        return self.name

    @property
    def running(self) -> bool:
        """Started, and not finished since (or its process was killed)."""
        started, finished = self.last_started_at, self.last_finished_at
        return started is not None and (finished is None or finished < started)
