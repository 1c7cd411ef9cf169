"""
Measure audit writes per second with several concurrent writers.

Each writer is its own process with its own database connection and writes
entries the way a request does: one entry per transaction, sealed into the
chain after commit. `--no-chain` leaves sealing out, as a baseline. Writes
real entries, so it refuses to run with DEBUG off; use a scratch database.

    DATABASE_URL=postgres://…/confide_bench python manage.py bench_audit --writers 1 4
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.synchronize import Event as StartSignal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections, transaction

from audit import chain, verification
from audit.models import AuditEntry, Event


def _write(count: int, seal: bool, start: StartSignal) -> None:
    connections.close_all()  # a connection of its own, never the parent's
    if not seal:
        chain.seal_after_commit = lambda **kwargs: None  # baseline: no chain at all
    content_type = ContentType.objects.get_for_model(AuditEntry)
    start.wait()
    for i in range(count):
        with transaction.atomic():
            AuditEntry.objects.create(
                content_type=content_type,
                object_pk=str(i),
                object_repr="benchmark entry",
                action=3,
                event=Event.VIEWED,
                reason="bench_audit",
            )


class Command(BaseCommand):
    help = "Measure audit entries written per second by 1..N concurrent writers (writes real entries)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--writers", type=int, nargs="+", default=[1, 4])
        parser.add_argument("--entries", type=int, default=2000, help="Entries per writer.")
        parser.add_argument("--no-chain", action="store_true", help="Baseline: do not seal.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("This writes real audit entries: run it on a scratch database (DEBUG on).")
        self.stdout.write(
            f"Database: {connection.vendor}; {options['entries']} entries per writer; "
            f"{'no chain (baseline)' if options['no_chain'] else 'chain sealed after commit'}"
        )
        context = multiprocessing.get_context("fork")
        for writers in options["writers"]:
            connections.close_all()
            start = context.Barrier(writers + 1)
            processes = [
                context.Process(target=_write, args=(options["entries"], not options["no_chain"], start))
                for _ in range(writers)
            ]
            for process in processes:
                process.start()
            start.wait()
            began = time.perf_counter()
            for process in processes:
                process.join()
            elapsed = time.perf_counter() - began
            if any(p.exitcode for p in processes):
                raise CommandError("a writer failed")
            total = writers * options["entries"]
            unsealed = AuditEntry.objects.filter(seq__isnull=True).count()
            self.stdout.write(
                f"{writers} writer(s): {total} entries in {elapsed:.2f} s = "
                f"{total / elapsed:,.0f} entries/s; {unsealed} left unsealed"
            )
        chain.seal_pending()
        result = verification.verify()
        state = "intact" if result.intact else result.problem
        self.stdout.write(f"Chain: {state}, {result.checked} entries.")
