"""
Work deferred until the transaction commits: sealing the audit chain, e-mail.

By then the request's data is saved, so nothing that runs after the commit may
turn the answer into an error page. Each piece of work is a named function
(Django 5.2 names the callback in its own error message, and fails on one
without a name, such as a functools.partial: ticket 36487) that never raises:
a failure is logged with the exception's type and the place it was raised,
never its message or arguments (a mail error's carry addresses), and the work
is left to be done again (the job audit.seal seals what is left; a manager
sends an invitation again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import connections, transaction

from jobs.runner import describe

logger = logging.getLogger(__name__)

Work = Callable[[], None]
# Work queued with once=True is wrapped once, so a transaction can tell it is queued.
_wrapped: dict[tuple[Work, str], Work] = {}


def guarded(work: Work, *, name: str) -> Work:
    """`work` as a named function that logs a failure instead of raising it."""

    def run_after_commit() -> None:
        try:
            work()
        except Exception as error:
            logger.error(
                "after-commit work %s failed and is left to be done again: %s", name, describe(error)
            )

    run_after_commit.__name__ = run_after_commit.__qualname__ = f"after_commit[{name}]"
    return run_after_commit


def after_commit(work: Work, *, name: str, using: str = "default", once: bool = False) -> None:
    """Run `work` once the current transaction commits (at once outside one).

    With once=True, `work` (a function that lives as long as the process) is
    queued at most once per transaction, however often this is called."""
    if not once:
        transaction.on_commit(guarded(work, name=name), using=using, robust=True)
        return
    runner = _wrapped.setdefault((work, name), guarded(work, name=name))
    if any(queued[1] is runner for queued in connections[using].run_on_commit):
        return
    transaction.on_commit(runner, using=using, robust=True)
