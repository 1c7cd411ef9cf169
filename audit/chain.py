"""
The audit trail's hash chain.

Entries are written unsealed, inside the transaction of what they record, so
writing one never waits for anyone else's. Once a transaction commits, a short
sealing step takes the chain's lock, gives every committed unsealed entry the
next place in the chain (`seq`, in id order), and stores the previous entry's
hash and its own: SHA-256 over the previous hash and a canonical form of every
column of the entry. The database triggers allow exactly this one change to an
entry, once; nothing else may update or delete one.

`verify` walks the chain and names the first entry that was changed, removed,
inserted or moved. An attacker who can write to the database and recompute the
whole tail of the chain is not caught by the chain alone: record the head hash
that `verify_audit` prints somewhere else (a report, a ticket) to anchor it.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction

GENESIS = "0" * 64
# An arbitrary constant naming the chain's advisory lock in PostgreSQL.
LOCK_KEY = 7_264_001
# The columns an entry's hash covers, fixed: a column added later (by us or by
# django-auditlog) must not change the hash of entries sealed before it. Covering
# a new column needs a new hash version stored on each entry.
HASHED_COLUMNS = (
    "id",
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "serialized_data",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "cid",
    "remote_addr",
    "remote_port",
    "timestamp",
    "additional_data",
    "actor_email",
    "event",
    "child_id",
    "staff_member_id",
    "tier",
    "reason",
    "request_id",
    "seq",
)
# Entries are sealed in the order they commit, which is nearly the order they were
# written; one dated much earlier than the entry before it was backdated.
BACKDATING_MARGIN = datetime.timedelta(hours=1)


def _model() -> Any:
    # By name: the entry's model calls this module when it is saved.
    return apps.get_model(settings.AUDITLOG_LOGENTRY_MODEL)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, uuid.UUID | datetime.date):
        return str(value)
    return value


def canonical(entry: Any) -> bytes:
    """Every column but the hashes, in a fixed order and form."""
    data = {name: _plain(getattr(entry, name)) for name in HASHED_COLUMNS}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()


def digest(entry: Any, prev_hash: str) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(entry)).hexdigest()


def _lock(using: str, *, wait: bool) -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return True  # SQLite lets one writer in at a time already
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _store_seals(model: Any, using: str, entries: list[Any]) -> None:
    """Write the seals: one statement on PostgreSQL, a row at a time elsewhere."""
    if not entries:
        return
    connection = connections[using]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        rows = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(entries))
        params = [v for e in entries for v in (e.pk, e.seq, e.prev_hash, e.entry_hash)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS a SET seq = v.seq, prev_hash = v.prev_hash, "  # noqa: S608
                f"entry_hash = v.entry_hash FROM (VALUES {rows}) AS v(id, seq, prev_hash, entry_hash) "
                "WHERE a.id = v.id",
                params,
            )
        return
    for entry in entries:
        model.objects.using(using).filter(pk=entry.pk).update(
            seq=entry.seq, prev_hash=entry.prev_hash, entry_hash=entry.entry_hash
        )


def seal_pending(
    *, using: str = "default", batch: int = 1000, wait: bool = True, max_batches: int | None = None
) -> int:
    """Seal every committed, unsealed entry. Returns how many were sealed.

    With wait=False (after a commit) a sealer already at work is left to it:
    it, or the sealing after the next commit, takes these entries too, and
    `seal_audit` / `verify_audit` seal whatever is left.
    """
    model = _model()
    sealed = 0
    while True:
        with transaction.atomic(using=using):
            if not _lock(using, wait=wait):
                return sealed
            head = (
                model.objects.using(using)
                .filter(seq__isnull=False)
                .order_by("-seq")
                .values_list("seq", "entry_hash")
                .first()
            )
            seq, prev = head if head else (0, GENESIS)
            pending = list(model.objects.using(using).filter(seq__isnull=True).order_by("id")[:batch])
            for entry in pending:
                seq += 1
                entry.seq, entry.prev_hash = seq, prev
                entry.entry_hash = prev = digest(entry, entry.prev_hash)
            _store_seals(model, using, pending)
        sealed += len(pending)
        max_batches = None if max_batches is None else max_batches - 1
        if len(pending) < batch or max_batches == 0:
            return sealed


_sealers: dict[str, Callable[[], None]] = {}
_last_sealed: dict[str, float] = {}


def _seal_in_batches(using: str) -> None:
    """After a commit: seal, unless this process sealed moments ago. Entries
    then wait for the next commit, `seal_audit` (run it every minute) or
    `verify_audit`; under load that is a fraction of a second."""
    now = time.monotonic()
    if now - _last_sealed.get(using, -1e9) < settings.AUDIT_SEAL_INTERVAL_SECONDS:
        return
    _last_sealed[using] = now
    # One batch at most: a request never pays for a backlog (seal_audit does).
    seal_pending(using=using, wait=False, max_batches=1)


def seal_after_commit(*, using: str = "default") -> None:
    """Seal once the current transaction commits: once per transaction, however
    many entries it writes. A rollback drops the pending sealing with the entries."""
    sealer = _sealers.setdefault(using, functools.partial(_seal_in_batches, using))
    if any(pending[1] is sealer for pending in connections[using].run_on_commit):
        return
    # robust: a sealing that fails (a lock timeout, say) is logged and left to the
    # next one; the request's own work is already committed and must not fail.
    transaction.on_commit(sealer, using=using, robust=True)


@dataclass
class Result:
    checked: int
    unsealed: int
    head_hash: str
    problem: str = ""

    @property
    def intact(self) -> bool:
        return not self.problem


def _label(entry: Any) -> str:
    return f"#{entry.seq} (id {entry.pk}, {entry.timestamp:%Y-%m-%d %H:%M:%S} UTC, {entry.event})"


def verify(*, using: str = "default") -> Result:
    """Walk the sealed chain in order; stop at the first entry that does not fit."""
    model = _model()
    entries: Iterator[Any] = (
        model.objects.using(using).filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000)
    )
    unsealed = model.objects.using(using).filter(seq__isnull=True).count()
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    previous = None
    for entry in entries:
        if entry.prev_hash != prev_hash:
            return Result(checked, unsealed, prev_hash, _linkage_problem(model, using, entry, previous))
        if entry.seq != expected_seq:
            return Result(
                checked,
                unsealed,
                prev_hash,
                f"entry {_label(entry)} is out of place: expected #{expected_seq} here",
            )
        if digest(entry, entry.prev_hash) != entry.entry_hash:
            return Result(checked, unsealed, prev_hash, f"entry {_label(entry)} has been changed")
        if previous is not None and entry.timestamp < previous.timestamp - BACKDATING_MARGIN:
            return Result(
                checked,
                unsealed,
                prev_hash,
                f"entry {_label(entry)} is dated long before {_label(previous)}, "
                "which it follows (backdated)",
            )
        prev_hash, expected_seq, checked, previous = entry.entry_hash, expected_seq + 1, checked + 1, entry
    return Result(checked, unsealed, prev_hash)


def _linkage_problem(model: Any, using: str, entry: Any, previous: Any) -> str:
    """Entry does not follow the one before it: say what most likely happened."""
    linked = model.objects.using(using).filter(entry_hash=entry.prev_hash).first()
    if linked is None:
        missing = f"#{previous.seq + 1}" if previous else "#1"
        return (
            f"entry {missing} is missing: {_label(entry)} follows an entry that is no longer "
            "in the trail (removed)"
        )
    if previous is not None and linked.seq is not None and linked.seq < previous.seq:
        return f"entry {_label(previous)} was inserted: {_label(entry)} follows {_label(linked)} directly"
    return (
        f"entries are out of order: {_label(entry)} should follow {_label(linked)}, "
        "which now comes after it (reordered)"
    )
