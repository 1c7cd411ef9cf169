"""
Running what is due: each job at most once at a time, however many runners.

A runner claims a job in a short transaction: it locks the job's row (SELECT
... FOR UPDATE SKIP LOCKED on PostgreSQL, so a second runner passes over it at
once; SQLite lets one writer in at a time already, with IMMEDIATE
transactions), checks that the job is due and that nobody is running it, and
stores when it started. The job then runs outside that transaction, in short
transactions of its own, and the outcome is stored in a second short one. So
no lock is held while a job works, and a run whose process was killed holds
the job only until its timeout has passed.

A job that fails is recorded (its exception's type and place, never the
message, which may carry personal data) and the others still run.
"""

from __future__ import annotations

import datetime
import enum
import logging
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from jobs import registry
from jobs.models import JobStatus
from jobs.registry import Job

logger = logging.getLogger(__name__)


class Outcome(enum.Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    NOT_DUE = "not due"
    BUSY = "running elsewhere"


@dataclass(frozen=True)
class Result:
    job: str
    outcome: Outcome
    summary: str = ""
    error: str = ""
    seconds: float = 0.0

    @property
    def ran(self) -> bool:
        return self.outcome in (Outcome.SUCCEEDED, Outcome.FAILED)


def describe(error: BaseException) -> str:
    """An exception's type and the place it was raised, without its message."""
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    frames = traceback.extract_tb(error.__traceback__)
    if frames:
        last = frames[-1]
        name += f" at {Path(last.filename).name}:{last.lineno} in {last.name}"
    return name[:300]


def run_due(*, jobs: Iterable[Job] | None = None, force: Iterable[str] = ()) -> list[Result]:
    """Run every job that is due (all registered jobs, or those given), by name.
    Jobs named in `force` run whether due or not (never twice at once)."""
    chosen = list(registry.registered() if jobs is None else jobs)
    forced = set(force)
    JobStatus.objects.bulk_create([JobStatus(name=job.name) for job in chosen], ignore_conflicts=True)
    results = []
    for job in chosen:
        try:
            results.append(run_one(job, force=job.name in forced))
        except Exception as error:  # noqa: BLE001 - the runner's own fault (the database): go on to the next
            logger.error("job %s could not be run: %s", job.name, describe(error))
            results.append(Result(job.name, Outcome.FAILED, error=describe(error)))
    return results


def run_one(job: Job, *, force: bool = False) -> Result:
    started_at = timezone.now()
    refused = _claim(job, started_at, force=force)
    if refused is not None:
        return Result(job.name, refused)
    began = time.perf_counter()
    try:
        summary = job.run()
    except BaseException as error:
        seconds = time.perf_counter() - began
        _finish(job, started_at, error=describe(error))
        logger.error("job %s failed after %.1f s: %s", job.name, seconds, describe(error))
        if not isinstance(error, Exception):
            raise  # stopped (Ctrl-C, exit): recorded, and stop
        return Result(job.name, Outcome.FAILED, error=describe(error), seconds=seconds)
    seconds = time.perf_counter() - began
    _finish(job, started_at)
    return Result(job.name, Outcome.SUCCEEDED, summary=summary or "", seconds=seconds)


def _claim(job: Job, now: datetime.datetime, *, force: bool) -> Outcome | None:
    """Mark the job started, if it is due and nobody runs it; otherwise say why not."""
    with transaction.atomic():
        status = JobStatus.objects.select_for_update(skip_locked=True).filter(name=job.name).first()
        if status is None:
            return Outcome.BUSY  # another runner is claiming it this moment
        if status.running and status.last_started_at and now < status.last_started_at + job.timeout:
            return Outcome.BUSY
        if not force and not job.is_due(last_started_at=status.last_started_at, now=now):
            return Outcome.NOT_DUE
        if status.running:
            logger.warning("job %s: the run started at %s never finished", job.name, status.last_started_at)
        status.last_started_at = now
        status.save(update_fields=["last_started_at"])
    return None


def _finish(job: Job, started_at: datetime.datetime, *, error: str = "") -> None:
    now = timezone.now()
    with transaction.atomic():
        status = JobStatus.objects.select_for_update().get(name=job.name)
        fields = []
        if status.last_started_at == started_at:
            # Still this run's: nobody took it over after its timeout.
            status.last_finished_at = now
            fields.append("last_finished_at")
        if error:
            status.last_failed_at, status.last_error = now, error
            status.failures_in_a_row += 1
            fields += ["last_failed_at", "last_error", "failures_in_a_row"]
        else:
            status.last_succeeded_at, status.failures_in_a_row = now, 0
            fields += ["last_succeeded_at", "failures_in_a_row"]
        status.save(update_fields=fields)
