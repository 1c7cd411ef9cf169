"""
The jobs apps declare, and how often each is due.

    # audit/jobs.py
    @job("audit.seal", every=datetime.timedelta(minutes=1))
    def seal() -> str:
        return f"sealed {chain.seal_pending()} entries"

A job is a function without arguments. It does its work in its own short
transactions (in batches, like a service), and it may run again after a
failure or a crash, so it must be safe to repeat. It returns a short summary
(counts, never personal data) or nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

JobFunction = Callable[[], str | None]

# "<app>.<what>": the app that owns the job, then what it does.
NAME = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$")
# How long a run may take before it counts as abandoned (its process was
# killed), and another runner may start the job again.
DEFAULT_TIMEOUT = datetime.timedelta(minutes=30)
# A job is due a little early, so that runs one interval apart (cron every
# minute) are not skipped for a second's jitter in when they start.
MAX_SLACK = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class Job:
    name: str
    every: datetime.timedelta
    run: JobFunction
    timeout: datetime.timedelta = DEFAULT_TIMEOUT

    @property
    def slack(self) -> datetime.timedelta:
        return min(self.every / 10, MAX_SLACK)

    def is_due(self, *, last_started_at: datetime.datetime | None, now: datetime.datetime) -> bool:
        return last_started_at is None or now >= last_started_at + self.every - self.slack


_registry: dict[str, Job] = {}


def _origin(function: JobFunction) -> str:
    qualname = getattr(function, "__qualname__", type(function).__qualname__)
    return f"{function.__module__}.{qualname}"


def job(
    name: str, *, every: datetime.timedelta, timeout: datetime.timedelta = DEFAULT_TIMEOUT
) -> Callable[[JobFunction], JobFunction]:
    """Register the decorated function as the job `name`, due once `every` has passed."""
    if not NAME.match(name):
        raise ImproperlyConfigured(f"Job name {name!r}: use '<app>.<what>', lower case.")
    if every <= datetime.timedelta(0) or timeout <= datetime.timedelta(0):
        raise ImproperlyConfigured(f"Job {name}: `every` and `timeout` must be longer than nothing.")

    def register(function: JobFunction) -> JobFunction:
        existing = _registry.get(name)
        if existing is not None and _origin(existing.run) != _origin(function):
            raise ImproperlyConfigured(
                f"Job {name} is declared twice: by {_origin(existing.run)} and by {_origin(function)}."
            )
        _registry[name] = Job(name=name, every=every, run=function, timeout=timeout)
        return function

    return register


def registered() -> list[Job]:
    """Every registered job, by name."""
    return [_registry[name] for name in sorted(_registry)]


def get(name: str) -> Job:
    try:
        return _registry[name]
    except KeyError:
        known = ", ".join(sorted(_registry)) or "none"
        raise LookupError(f"There is no job {name!r}; the jobs are: {known}.") from None
