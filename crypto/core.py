"""
Field and file encryption. The only module that touches keys.

Values are sealed with AES-256-GCM under a versioned keyring read from
``FIELD_ENCRYPTION_KEYS`` ("id:base64key,id:base64key"; the first key
encrypts, every key decrypts). Each ciphertext names its key and is bound by
associated data to the model, field and row it belongs to, so a ciphertext
copied into another row or field does not open. Everything fails closed: a
value that cannot be opened raises ``DecryptionError``; nothing here ever
returns ciphertext in place of plaintext.

Text token:   cf1$<key id>$<urlsafe base64 of nonce(12) || ciphertext || tag(16)>

File format:  b"CFA1" || len(key id) (1 byte) || key id || nonce prefix (8)
              || chunks, each AES-GCM of up to CHUNK_SIZE plaintext bytes with
              nonce = prefix || chunk number (4 bytes, big-endian) and
              associated data naming the row, the chunk number and whether it
              is the last chunk (so truncation and reordering are detected).

A blind index is HMAC-SHA256 under ``BLIND_INDEX_KEY`` of a normalised value
(case, accents and runs of spaces folded), domain-separated per field. It
allows exact-match search and reveals only which rows share a value.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOKEN_VERSION = "cf1"  # noqa: S105 - a format marker, not a secret
FILE_MAGIC = b"CFA1"
CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
NONCE_SIZE = 12
FILE_NONCE_PREFIX_SIZE = 8
KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class DecryptionError(Exception):
    """A sealed value could not be opened: wrong key, wrong row, or tampered."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, AESGCM]

    def key(self, key_id: str) -> AESGCM:
        try:
            return self.keys[key_id]
        except KeyError:
            raise DecryptionError(f"no key with id {key_id!r} in the keyring") from None


@functools.lru_cache(maxsize=8)
def parse_keyring(spec: str) -> Keyring:
    """Parse "id:base64key,..." into a keyring; the first key is current."""
    keys: dict[str, AESGCM] = {}
    current_id = ""
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep or not KEY_ID_RE.match(key_id):
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS must be a comma-separated list of id:base64key "
                "(ids of letters, digits, - and _)."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS names key id {key_id!r} twice.")
        raw = _b64decode(encoded, name="FIELD_ENCRYPTION_KEYS")
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS key {key_id!r} must be 32 bytes (AES-256), not {len(raw)}."
            )
        keys[key_id] = AESGCM(raw)
        current_id = current_id or key_id
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds no key.")
    return Keyring(current_id=current_id, keys=keys)


def keyring() -> Keyring:
    return parse_keyring(settings.FIELD_ENCRYPTION_KEYS)


@functools.lru_cache(maxsize=8)
def parse_blind_index_key(spec: str) -> bytes:
    _key_id, sep, encoded = spec.partition(":")
    raw = _b64decode(encoded if sep else spec, name="BLIND_INDEX_KEY")
    if len(raw) < 32:
        raise ImproperlyConfigured("BLIND_INDEX_KEY must hold at least 32 bytes of key.")
    return raw


def _b64decode(encoded: str, *, name: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(encoded.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise ImproperlyConfigured(f"{name} holds a key that is not valid base64.") from None


def associated_data(label: str, pk: object) -> bytes:
    """Bind a ciphertext to one field ("app.model.field") of one row."""
    if pk is None or pk == "":
        raise ValueError(f"{label}: a row needs its primary key before it can be sealed")
    return f"{label}|{pk}".encode()


# --- text values ------------------------------------------------------------


def encrypt_text(plaintext: str, *, label: str, pk: object) -> str:
    ring = keyring()
    nonce = os.urandom(NONCE_SIZE)
    sealed = ring.key(ring.current_id).encrypt(nonce, plaintext.encode("utf-8"), associated_data(label, pk))
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
    return f"{TOKEN_VERSION}${ring.current_id}${body}"


def decrypt_text(token: str, *, label: str, pk: object) -> str:
    key_id, blob = _split_token(token)
    if len(blob) < NONCE_SIZE + TAG_SIZE:
        raise DecryptionError(f"{label}: sealed value is too short")
    try:
        plain = (
            keyring().key(key_id).decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], associated_data(label, pk))
        )
    except InvalidTag:
        raise DecryptionError(
            f"{label} of row {pk} does not open with key {key_id!r}: "
            "wrong key, another row's value, or tampered"
        ) from None
    return plain.decode("utf-8")


def key_id_of(token: str) -> str:
    return _split_token(token)[0]


def _split_token(token: str) -> tuple[str, bytes]:
    version, _, rest = token.partition("$")
    key_id, _, body = rest.partition("$")
    if version != TOKEN_VERSION or not key_id or not body:
        raise DecryptionError("value is not a sealed token")
    try:
        return key_id, base64.urlsafe_b64decode(body.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise DecryptionError("sealed token is not valid base64") from None


# --- blind index ------------------------------------------------------------


def normalise_for_index(value: str | datetime.date) -> str:
    """Fold case, accents and runs of whitespace: "  ÁVA   smith " -> "ava smith"."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    decomposed = unicodedata.normalize("NFKD", value)
    unaccented = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unaccented.casefold().split())


def blind_index(value: str | datetime.date, *, label: str) -> str:
    key = parse_blind_index_key(settings.BLIND_INDEX_KEY)
    message = f"{label}\x00{normalise_for_index(value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# --- files ------------------------------------------------------------------


def _chunk_aad(label: str, pk: object, index: int, final: bool) -> bytes:
    return associated_data(label, pk) + f"|{index}|{int(final)}".encode()


def encrypt_stream(chunks: Iterable[bytes], *, label: str, pk: object) -> Iterator[bytes]:
    """Seal a stream of plaintext bytes; yields the sealed file piece by piece."""
    ring = keyring()
    aes = ring.key(ring.current_id)
    key_id = ring.current_id.encode("ascii")
    prefix = os.urandom(FILE_NONCE_PREFIX_SIZE)
    yield FILE_MAGIC + bytes([len(key_id)]) + key_id + prefix

    buffer = bytearray()
    index = 0
    for chunk in chunks:
        buffer += chunk
        # Keep at least one byte back, so the last chunk is always sealed as final.
        while len(buffer) > CHUNK_SIZE:
            piece = bytes(buffer[:CHUNK_SIZE])
            del buffer[:CHUNK_SIZE]
            yield aes.encrypt(_file_nonce(prefix, index), piece, _chunk_aad(label, pk, index, False))
            index += 1
    yield aes.encrypt(_file_nonce(prefix, index), bytes(buffer), _chunk_aad(label, pk, index, True))


def read_file_key_id(stream: IO[bytes]) -> str:
    key_id, _prefix = _read_file_header(stream)
    return key_id


def decrypt_stream(stream: IO[bytes], *, label: str, pk: object) -> Iterator[bytes]:
    """Open a sealed file piece by piece; raises DecryptionError on any fault."""
    key_id, prefix = _read_file_header(stream)
    aes = keyring().key(key_id)
    sealed_size = CHUNK_SIZE + TAG_SIZE
    index = 0
    current = _read_exactly(stream, sealed_size)
    while True:
        following = _read_exactly(stream, sealed_size)
        final = not following
        if len(current) < TAG_SIZE:
            raise DecryptionError(f"{label} of row {pk}: sealed file is truncated")
        try:
            yield aes.decrypt(_file_nonce(prefix, index), current, _chunk_aad(label, pk, index, final))
        except InvalidTag:
            raise DecryptionError(
                f"{label} of row {pk}: chunk {index} does not open (wrong key or row, truncated, or tampered)"
            ) from None
        if final:
            return
        current = following
        index += 1


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end (remote storage may return short reads)."""
    parts, wanted = [], size
    while wanted:
        part = stream.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _read_file_header(stream: IO[bytes]) -> tuple[str, bytes]:
    magic = _read_exactly(stream, len(FILE_MAGIC) + 1)
    if len(magic) != len(FILE_MAGIC) + 1 or magic[:4] != FILE_MAGIC:
        raise DecryptionError("not a sealed file")
    key_id = _read_exactly(stream, magic[4]).decode("ascii", errors="replace")
    prefix = _read_exactly(stream, FILE_NONCE_PREFIX_SIZE)
    if len(prefix) != FILE_NONCE_PREFIX_SIZE:
        raise DecryptionError("sealed file header is truncated")
    return key_id, prefix


def _file_nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(NONCE_SIZE - FILE_NONCE_PREFIX_SIZE, "big")


# --- audit chain keys -------------------------------------------------------
#
# ``AUDIT_CHAIN_KEYS`` ("id:base64key,..."; the first key signs, every key
# verifies) keys the audit trail: each entry's row MAC, each link of the chain
# and each signed head. Whoever holds a key can forge what it vouches for, so
# these keys never sign anything but the trail.


class UnknownKeyError(Exception):
    """A MAC names a key that is not in the keyring."""


@dataclass(frozen=True)
class MacKeyring:
    current_id: str
    _keys: dict[str, bytes]

    def knows(self, key_id: str) -> bool:
        return key_id in self._keys

    def sign(self, message: bytes, *, key_id: str) -> str:
        """HMAC-SHA256 of `message` under the key named, in hex."""
        try:
            key = self._keys[key_id]
        except KeyError:
            raise UnknownKeyError(f"no audit key with id {key_id!r}") from None
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def check(self, message: bytes, signature: str, *, key_id: str) -> bool:
        """Whether `signature` is the MAC of `message` under the key named (False for an unknown key)."""
        if key_id not in self._keys:
            return False
        return hmac.compare_digest(self.sign(message, key_id=key_id), signature)


@functools.lru_cache(maxsize=8)
def parse_mac_keyring(spec: str, *, name: str = "AUDIT_CHAIN_KEYS") -> MacKeyring:
    """Parse "id:base64key,..." into a MAC keyring; the first key is current.
    Keys are at least 32 random bytes."""
    keys: dict[str, bytes] = {}
    for item in (i.strip() for i in spec.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep or not KEY_ID_RE.match(key_id):
            raise ImproperlyConfigured(
                f"{name} must be a comma-separated list of id:base64key (ids of letters, digits, - and _)."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"{name} names key id {key_id!r} twice.")
        raw = _b64decode(encoded, name=name)
        if len(raw) < 32:
            raise ImproperlyConfigured(f"{name} key {key_id!r} must hold at least 32 bytes, not {len(raw)}.")
        keys[key_id] = raw
    if not keys:
        raise ImproperlyConfigured(f"{name} holds no key.")
    return MacKeyring(current_id=next(iter(keys)), _keys=keys)


def audit_keyring() -> MacKeyring:
    return parse_mac_keyring(settings.AUDIT_CHAIN_KEYS)
