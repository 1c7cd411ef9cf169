"""
Signed heads: the chain's newest place and hash, at a time, signed with the
audit key, on one line that can be kept anywhere (a file, syslog, an e-mail):

    confide-audit-head v1 seq=1234 hash=<64 hex> time=2026-11-30T09:00:00Z key=a1 sig=<64 hex>

The chain alone cannot show that its newest entries were removed: what is left
still links up. A head recorded outside the database can: `verify_audit --head
FILE` checks that the trail still reaches every head in FILE, through the same
entries. The signature shows a head was made by Confide, so a head written by
someone else does not count.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from audit import chain
from crypto.core import audit_keyring

PREFIX = "confide-audit-head v1"
LINE = re.compile(
    PREFIX + r" seq=(?P<seq>\d+) hash=(?P<hash>[0-9a-f]{64}) time=(?P<time>\S+) "
    r"key=(?P<key>[A-Za-z0-9_-]{1,32}) sig=(?P<sig>[0-9a-f]{64})"
)


class HeadError(Exception):
    """The chain's head cannot be vouched for."""


@dataclass(frozen=True)
class SignedHead:
    seq: int
    entry_hash: str
    time: str
    key_id: str
    signature: str

    @staticmethod
    def message(seq: int, entry_hash: str, time: str) -> bytes:
        return f"{PREFIX}\n{seq}\n{entry_hash}\n{time}".encode()

    @property
    def authentic(self) -> bool:
        return audit_keyring().check(
            self.message(self.seq, self.entry_hash, self.time), self.signature, key_id=self.key_id
        )

    def __str__(self) -> str:
        return (
            f"{PREFIX} seq={self.seq} hash={self.entry_hash} time={self.time} "
            f"key={self.key_id} sig={self.signature}"
        )


def sign(seq: int, entry_hash: str, at: datetime.datetime) -> SignedHead:
    ring = audit_keyring()
    time = at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    signature = ring.sign(SignedHead.message(seq, entry_hash, time), key_id=ring.current_id)
    return SignedHead(seq, entry_hash, time, ring.current_id, signature)


def current(*, using: str = "default") -> SignedHead:
    """The signed head of the chain as it is now (seal first). The newest entry
    is checked before its hash is signed; the whole chain is `verify_audit`'s job."""
    model = chain._model()
    seq, entry_hash = chain.head_of(model, using)
    if seq:
        newest = model.objects.using(using).get(seq=seq)
        if chain.expected_hash(newest) != newest.entry_hash or (
            newest.seal_key and not chain.row_mac_valid(newest)
        ):
            raise HeadError(f"the newest entry, #{seq}, does not verify: run verify_audit")
    return sign(seq, entry_hash, datetime.datetime.now(tz=datetime.UTC))


def read(text: str) -> list[SignedHead]:
    """Every head in a text: a file of heads, or a log whose lines carry them."""
    return [SignedHead(int(m["seq"]), m["hash"], m["time"], m["key"], m["sig"]) for m in LINE.finditer(text)]


def append(path: Path, head: SignedHead) -> None:
    with path.open("a", encoding="utf-8") as heads_file:
        heads_file.write(f"{head}\n")
