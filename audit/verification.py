"""
Checking the audit trail: `verify_audit` walks the chain in order and names the
first entry that does not fit (changed, removed, inserted, moved, backdated,
not written by Confide); given signed heads recorded outside the database, it
also finds a chain cut short or rewritten since each head was taken.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from audit import chain
from audit.heads import SignedHead

# Entries are sealed in the order they commit, which is nearly the order they were
# written; one dated much earlier than the entry before it was backdated.
BACKDATING_MARGIN = datetime.timedelta(hours=1)


@dataclass
class Result:
    checked: int
    unsealed: int
    head_hash: str
    head_seq: int = 0
    # Entries sealed before the chain was keyed (plain SHA-256 links).
    unkeyed: int = 0
    problem: str = ""

    @property
    def intact(self) -> bool:
        return not self.problem


def label(entry: Any) -> str:
    return f"#{entry.seq} (id {entry.pk}, {entry.timestamp:%Y-%m-%d %H:%M:%S} UTC, {entry.event})"


def _unchained_label(entry: Any) -> str:
    return f"id {entry.pk} ({entry.timestamp:%Y-%m-%d %H:%M:%S} UTC, {entry.event})"


class _Walk:
    """The state of one walk along the chain."""

    def __init__(self, model: Any, using: str, heads: Iterable[SignedHead]) -> None:
        self.model, self.using = model, using
        self.heads = {head.seq: head for head in heads if head.seq > 0}
        self.prev_hash, self.expected_seq, self.checked, self.unkeyed = chain.GENESIS, 1, 0, 0
        self.previous: Any = None
        self.keyed = False

    def problem_with(self, entry: Any) -> str:
        if entry.prev_hash != self.prev_hash:
            return _linkage_problem(self.model, self.using, entry, self.previous)
        if entry.seq != self.expected_seq:
            return f"entry {label(entry)} is out of place: expected #{self.expected_seq} here"
        if entry.seal_key:
            self.keyed = True
        elif self.keyed:
            return f"entry {label(entry)} has an unkeyed seal after keyed entries: its seal was forged"
        wanted = chain.expected_hash(entry)
        if wanted is None:
            return (
                f"entry {label(entry)} was sealed with the audit key {entry.seal_key!r}, which is not in "
                "AUDIT_CHAIN_KEYS: put the old key back (after the current one) to check it"
            )
        if wanted != entry.entry_hash:
            return f"entry {label(entry)} has been changed"
        if entry.seal_key and not chain.row_mac_valid(entry):
            return f"entry {label(entry)} was not written by Confide: its row MAC does not check (forged)"
        previous = self.previous
        if previous is not None and entry.timestamp < previous.timestamp - BACKDATING_MARGIN:
            return (
                f"entry {label(entry)} is dated long before {label(previous)}, which it follows (backdated)"
            )
        head = self.heads.get(entry.seq)
        if head is not None and head.entry_hash != entry.entry_hash:
            return (
                f"entry {label(entry)} is not the entry named by the head recorded at {head.time}: "
                "the trail has been rewritten from there on"
            )
        return ""

    def step(self, entry: Any) -> None:
        self.unkeyed += 0 if entry.seal_key else 1
        self.prev_hash, self.expected_seq = entry.entry_hash, self.expected_seq + 1
        self.checked, self.previous = self.checked + 1, entry

    def truncation(self) -> str:
        last = self.expected_seq - 1
        beyond = [head for seq, head in sorted(self.heads.items()) if seq > last]
        if not beyond:
            return ""
        head = beyond[-1]
        return (
            f"the trail ends at #{last}, but the head recorded at {head.time} names #{head.seq}: "
            "the newest entries have been removed (truncated)"
        )


def verify(*, using: str = "default", heads: Iterable[SignedHead] = ()) -> Result:
    """Walk the sealed chain in order; stop at the first entry that does not fit.
    Then: heads the chain no longer reaches, entries kept out of the chain, and
    entries still waiting to be sealed that Confide did not write."""
    model = chain._model()
    entries: Iterator[Any] = (
        model.objects.using(using).filter(seq__gt=0).order_by("seq").iterator(chunk_size=2000)
    )
    unsealed = model.objects.using(using).filter(seq__isnull=True).count()
    walk = _Walk(model, using, heads)

    def result(problem: str = "") -> Result:
        return Result(walk.checked, unsealed, walk.prev_hash, walk.expected_seq - 1, walk.unkeyed, problem)

    for entry in entries:
        problem = walk.problem_with(entry)
        if problem:
            return result(problem)
        walk.step(entry)
    return result(walk.truncation() or _unchained_problem(model, using))


def _unchained_problem(model: Any, using: str) -> str:
    """Entries the sealer kept out of the chain, and unsealed ones it will."""
    for entry in model.objects.using(using).filter(seq__lt=0).order_by("id")[:1]:
        if chain.row_mac_valid(entry):
            return (
                f"entry {_unchained_label(entry)} was written by Confide but kept out of the chain: "
                "its seal has been tampered with"
            )
        return (
            f"entry {_unchained_label(entry)} was not written by Confide (it has no valid row MAC) "
            "and was kept out of the chain (forged)"
        )
    for entry in model.objects.using(using).filter(seq__isnull=True).order_by("id").iterator():
        if not chain.row_mac_valid(entry):
            return (
                f"entry {_unchained_label(entry)}, not yet sealed, was not written by Confide "
                "(it has no valid row MAC): it will be kept out of the chain (forged)"
            )
    return ""


def _linkage_problem(model: Any, using: str, entry: Any, previous: Any) -> str:
    """Entry does not follow the one before it: say what most likely happened."""
    linked = model.objects.using(using).filter(entry_hash=entry.prev_hash).first()
    if linked is None:
        missing = f"#{previous.seq + 1}" if previous else "#1"
        return (
            f"entry {missing} is missing: {label(entry)} follows an entry that is no longer "
            "in the trail (removed)"
        )
    if previous is not None and linked.seq is not None and linked.seq < previous.seq:
        return f"entry {label(previous)} was inserted: {label(entry)} follows {label(linked)} directly"
    return (
        f"entries are out of order: {label(entry)} should follow {label(linked)}, "
        "which now comes after it (reordered)"
    )
