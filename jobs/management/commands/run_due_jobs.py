"""
Run the timed jobs that are due.

    * * * * *  cd /srv/confide && .venv/bin/python manage.py run_due_jobs

Safe every minute from cron, on one host or on all of them at once: a job runs
at most once at a time (jobs/runner.py). Quiet unless something fails (then
exit status 1, and a log line naming the job and the exception's type);
`-v 2` says what ran. `--every 60` keeps running, as `make run` does beside its
server, until stopped (SIGTERM or Ctrl-C end it after the job in hand).
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from jobs import registry, runner
from jobs.models import JobStatus


class Command(BaseCommand):
    help = (
        "Run the timed jobs that are due: safe every minute from cron, on several hosts at once. "
        "--every SECONDS keeps running; --list shows each job and how it last went."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep running, looking for due jobs every SECONDS, until stopped.",
        )
        parser.add_argument(
            "--rounds", type=int, metavar="N", help="With --every: stop after N rounds (for tests)."
        )
        parser.add_argument(
            "--force",
            action="append",
            default=[],
            metavar="JOB",
            help="Run this job now, whether due or not (never twice at once). Repeatable.",
        )
        parser.add_argument("--list", action="store_true", help="List the jobs and how each last went.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = int(options["verbosity"])
        for name in options["force"]:
            try:
                registry.get(name)
            except LookupError as error:
                raise CommandError(str(error)) from error
        if options["list"]:
            self.list_jobs()
            return
        if options["every"] is None:
            failed = self.run_once(options["force"])
            if failed:
                raise CommandError(f"{len(failed)} job(s) failed: {', '.join(failed)}.", returncode=1)
            return
        if options["every"] <= 0:
            raise CommandError("--every takes a number of seconds above 0.")
        self.keep_running(options["every"], options["rounds"], options["force"])

    def run_once(self, force: list[str]) -> list[str]:
        """Run what is due; report it; return the names of the jobs that failed."""
        results = runner.run_due(force=force)
        for result in results:
            if result.outcome is runner.Outcome.SUCCEEDED:
                summary = f": {result.summary}" if result.summary else ""
                self.verbose(f"{result.job}: done in {result.seconds:.2f} s{summary}")
            elif result.outcome is runner.Outcome.FAILED:
                # The runner has logged it; the name is enough here.
                self.verbose(f"{result.job}: failed ({result.error})")
            else:
                self.verbose(f"{result.job}: {result.outcome.value}", level=3)
        return [r.job for r in results if r.outcome is runner.Outcome.FAILED]

    def keep_running(self, every: float, rounds: int | None, force: list[str]) -> None:
        stop = threading.Event()
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()
            for sig, handler in previous.items():  # a second signal stops at once
                signal.signal(sig, handler)

        for sig in previous:
            signal.signal(sig, request_stop)
        self.verbose(f"Running due jobs every {every:g} s until stopped.", level=2)
        try:
            done = 0
            while not stop.is_set() and (rounds is None or done < rounds):
                began = time.monotonic()
                close_old_connections()
                try:
                    self.run_once(force if done == 0 else [])
                except Exception as error:  # noqa: BLE001 - the database is away: try again next round
                    self.stderr.write(f"run_due_jobs: {runner.describe(error)}; trying again in {every:g} s")
                finally:
                    close_old_connections()
                done += 1
                if rounds is None or done < rounds:
                    stop.wait(max(0.0, every - (time.monotonic() - began)))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def list_jobs(self) -> None:
        statuses = {s.name: s for s in JobStatus.objects.all()}
        now = timezone.now()
        for job in registry.registered():
            status = statuses.get(job.name)
            line = f"{job.name}: every {job.every}"
            if status is None or status.last_started_at is None:
                line += "; never run"
            else:
                line += f"; last started {status.last_started_at:%Y-%m-%d %H:%M:%S %Z}"
                if status.running:
                    line += " (running)"
                due = job.is_due(last_started_at=status.last_started_at, now=now)
                line += "; due now" if due else ""
                if status.failures_in_a_row:
                    line += f"; failed {status.failures_in_a_row} time(s) in a row: {status.last_error}"
            self.stdout.write(line)

    def verbose(self, message: str, *, level: int = 2) -> None:
        if self.verbosity >= level:
            self.stdout.write(message)
