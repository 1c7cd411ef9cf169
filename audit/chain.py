"""
The audit trail's keyed hash chain.

Two MACs, both HMAC-SHA256 under the audit key (``AUDIT_CHAIN_KEYS``,
crypto.core), protect an entry:

* its **row MAC** (`mac`), made by Confide as the row is inserted, over the
  columns Confide writes and a random nonce. Someone who can INSERT into the
  table but does not hold the key (the application's database login, stolen or
  misused through SQL) cannot make one; a copied row brings a MAC already used,
  which the database refuses (a unique index).
* its **link** (`entry_hash`): once the entry's transaction has committed, a
  short sealing step takes the chain's lock, gives every committed unsealed
  entry the next place in the chain (`seq`, in id order) and stores the previous
  entry's hash and its own: the HMAC, under the key named in `seal_key`, of the
  previous hash and every column of the entry (the row MAC included).

The sealer checks each row MAC first. An entry without a valid one is not
chained: it is set aside with a negative `seq` (minus its id), out of the chain
and out of the pages, and `verify_audit` reports it until it is investigated.
The database triggers allow exactly these changes to an entry, once; nothing
else may update or delete one.

Entries sealed before the chain was keyed (a blank `seal_key`) keep their plain
SHA-256 links; they can only come before the keyed ones. Verification lives in
audit/verification.py, signed heads in audit/heads.py.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, models, transaction

from crypto.core import audit_keyring
from jobs.after_commit import after_commit

logger = logging.getLogger(__name__)

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
# A keyed link (version 2) covers the same and the row MAC and key id too.
LINKED_COLUMNS = (*HASHED_COLUMNS, "mac", "seal_key")
# The row MAC covers what Confide writes, not what the database assigns as the
# row goes in (its id, its place in the chain; PostgreSQL stamps the time).
ROW_COLUMNS = tuple(c for c in HASHED_COLUMNS if c not in ("id", "seq", "timestamp"))
ROW_MAC_LABEL = b"confide-audit-row-v1\n"
LINK_LABEL = b"confide-audit-link-v2\n"


def _model() -> Any:
    # By name: the entry's model calls this module when it is saved.
    return apps.get_model(settings.AUDITLOG_LOGENTRY_MODEL)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, uuid.UUID | datetime.date):
        return str(value)
    return value


# --- the unkeyed links of entries sealed before the chain was keyed ----------


def canonical(entry: Any) -> bytes:
    """Every column but the hashes, in a fixed order and form (unkeyed links)."""
    data = {name: _plain(getattr(entry, name)) for name in HASHED_COLUMNS}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()


def digest(entry: Any, prev_hash: str) -> str:
    """The unkeyed link of an entry sealed before the chain was keyed."""
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(entry)).hexdigest()


# --- row MACs and keyed links --------------------------------------------------


def _value(entry: Any, name: str) -> Any:
    """A column's value as the database gives it back: the same before the row
    is written (when its MAC is made) as after (when it is checked)."""
    field = entry._meta.get_field(name)
    value = field.to_python(getattr(entry, field.attname))
    if isinstance(field, models.JSONField) and value is not None:
        value = json.loads(json.dumps(value, cls=field.encoder))
    return _plain(value)


def _columns(entry: Any, names: tuple[str, ...]) -> bytes:
    data = {name: _value(entry, name) for name in names}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()


def _row_message(entry: Any, nonce: str) -> bytes:
    return ROW_MAC_LABEL + nonce.encode() + b"\n" + _columns(entry, ROW_COLUMNS)


def row_mac(entry: Any) -> str:
    """The row MAC of an entry about to be inserted: "key id:nonce:HMAC"."""
    ring = audit_keyring()
    nonce = secrets.token_hex(16)
    return f"{ring.current_id}:{nonce}:{ring.sign(_row_message(entry, nonce), key_id=ring.current_id)}"


def row_mac_valid(entry: Any) -> bool:
    """Whether the entry's row MAC was made by Confide for exactly these columns."""
    key_id, _, rest = (entry.mac or "").partition(":")
    nonce, _, signature = rest.partition(":")
    if not key_id or not nonce or not signature:
        return False
    return audit_keyring().check(_row_message(entry, nonce), signature, key_id=key_id)


def link(entry: Any, prev_hash: str) -> str:
    """The keyed link of an entry: HMAC under the key named in its seal_key."""
    message = LINK_LABEL + prev_hash.encode() + b"\n" + _columns(entry, LINKED_COLUMNS)
    return audit_keyring().sign(message, key_id=entry.seal_key)


def expected_hash(entry: Any) -> str | None:
    """What the entry's hash should be given its content and the entry before it;
    None if it was sealed with a key that is no longer in the keyring."""
    if not entry.seal_key:
        return digest(entry, entry.prev_hash)
    if not audit_keyring().knows(entry.seal_key):
        return None
    return link(entry, entry.prev_hash)


# --- sealing -------------------------------------------------------------------


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
        rows = ", ".join(["(%s::bigint, %s::bigint, %s, %s, %s)"] * len(entries))
        params = [v for e in entries for v in (e.pk, e.seq, e.prev_hash, e.entry_hash, e.seal_key)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS a SET seq = v.seq, prev_hash = v.prev_hash, "  # noqa: S608  # nosec B608
                "entry_hash = v.entry_hash, seal_key = v.seal_key "
                f"FROM (VALUES {rows}) AS v(id, seq, prev_hash, entry_hash, seal_key) WHERE a.id = v.id",
                params,
            )
        return
    for entry in entries:
        model.objects.using(using).filter(pk=entry.pk).update(
            seq=entry.seq, prev_hash=entry.prev_hash, entry_hash=entry.entry_hash, seal_key=entry.seal_key
        )


def head_of(model: Any, using: str) -> tuple[int, str]:
    """The newest chained entry's place and hash: (0, GENESIS) for an empty chain."""
    head = (
        model.objects.using(using).filter(seq__gt=0).order_by("-seq").values_list("seq", "entry_hash").first()
    )
    return head if head else (0, GENESIS)


def _set_aside(entry: Any) -> None:
    """Keep an entry without a valid row MAC out of the chain, visibly."""
    entry.seq, entry.prev_hash, entry.entry_hash, entry.seal_key = -entry.pk, "", "", ""
    logger.warning(
        "audit entry id %s has no valid row MAC: kept out of the chain; run verify_audit", entry.pk
    )


def seal_pending(
    *, using: str = "default", batch: int = 1000, wait: bool = True, max_batches: int | None = None
) -> int:
    """Seal every committed, unsealed entry. Returns how many were chained
    (entries set aside for want of a valid row MAC are not counted).

    With wait=False (after a commit) a sealer already at work is left to it:
    it, or the sealing after the next commit, takes these entries too, and
    `seal_audit` / `verify_audit` seal whatever is left.
    """
    model = _model()
    key_id = audit_keyring().current_id
    sealed = 0
    while True:
        with transaction.atomic(using=using):
            if not _lock(using, wait=wait):
                return sealed
            seq, prev = head_of(model, using)
            pending = list(model.objects.using(using).filter(seq__isnull=True).order_by("id")[:batch])
            for entry in pending:
                if not row_mac_valid(entry):
                    _set_aside(entry)
                    continue
                seq, sealed = seq + 1, sealed + 1
                entry.seq, entry.prev_hash, entry.seal_key = seq, prev, key_id
                entry.entry_hash = prev = link(entry, entry.prev_hash)
            _store_seals(model, using, pending)
        max_batches = None if max_batches is None else max_batches - 1
        if len(pending) < batch or max_batches == 0:
            return sealed


_sealers: dict[str, Callable[[], None]] = {}
_last_sealed: dict[str, float] = {}


def _seal_in_batches(using: str) -> None:
    """After a commit: seal, unless this process sealed moments ago. Entries
    then wait for the next commit, the job audit.seal (every minute) or
    `verify_audit`; under load that is a fraction of a second."""
    now = time.monotonic()
    if now - _last_sealed.get(using, -1e9) < settings.AUDIT_SEAL_INTERVAL_SECONDS:
        return
    _last_sealed[using] = now
    # One batch at most: a request never pays for a backlog (the job does).
    seal_pending(using=using, wait=False, max_batches=1)


def _sealer(using: str) -> Callable[[], None]:
    """One named sealing function per database, so a transaction queues it once."""
    if using not in _sealers:

        def seal_committed_entries() -> None:
            _seal_in_batches(using)

        _sealers[using] = seal_committed_entries
    return _sealers[using]


def seal_after_commit(*, using: str = "default") -> None:
    """Seal once the current transaction commits: once per transaction, however
    many entries it writes. A rollback drops the pending sealing with the entries.
    A sealing that fails (a lock timeout, say) is logged without its message and
    left to the next one: the request's own work is committed and must not fail."""
    after_commit(_sealer(using), name="audit.seal", using=using, once=True)
