"""Writing the demo's rows quickly (``seed_demo``): on PostgreSQL by COPY, sealed in parallel.

Every value is made by the field's own code, as ``bulk_create`` makes it: an encrypted value is
sealed by its field's ``pre_save`` for its own row, and a blind index computed by its own.
"""

from __future__ import annotations

import datetime
import io
import os
import struct
import traceback
import uuid
from collections import deque
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Batches sealed at once, each in a process of its own, while the next one is made.
SEALERS = max(1, (os.cpu_count() or 1) - 1)
# New rows of several tables, in the order they are written.
Batch = list[tuple[type[Model], list[Any]]]
ABSENT = object()
# See plain_type().
PLAIN_TYPES: dict[type, type] = {
    models.UUIDField: uuid.UUID,
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
}


def copy_text(value: object) -> str:
    """A value prepared for the database (``get_db_prep_save``), as a field of COPY's text format."""
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(COPY_ESCAPES)
        return value
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # a datetime too
        return value.isoformat()
    if isinstance(value, int | uuid.UUID):
        return str(value)
    raise TypeError(f"seed_demo cannot COPY a {type(value).__name__}; add it to copy_text()")


def plain_type(field: Field[Any, Any]) -> type | None:
    """For a field whose own code leaves a value of one type exactly as it is (its ``pre_save``
    reads it, and ``get_db_prep_save`` returns it unchanged on PostgreSQL), that type: such a
    value (or None) is written as it stands, saving the calls. Anything else, and every other
    field (encrypted values, blind indexes, automatic dates), goes through the field's own code."""
    if isinstance(field, models.ForeignKey) and type(field) in (models.ForeignKey, models.OneToOneField):
        return PLAIN_TYPES.get(type(field.target_field))
    return PLAIN_TYPES.get(type(field))


def copy_rows(model: type[Model], objs: list[Any], connection: BaseDatabaseWrapper) -> bytes:
    """New rows in COPY's text format, their values made as ``bulk_create`` makes them: each
    field's own ``pre_save`` (which seals an encrypted value for its row, and computes a blind
    index), then ``get_db_prep_save``."""
    fields = [(f, f.attname, plain_type(f)) for f in model._meta.concrete_fields if not f.generated]
    lines = []
    for obj in objs:
        values = obj.__dict__
        row: list[str] = []
        for field, attname, plain in fields:
            if plain is not None:
                value = values.get(attname, ABSENT)
                if value is None or isinstance(value, plain):
                    row.append(copy_text(value))
                    continue
            row.append(copy_text(field.get_db_prep_save(field.pre_save(obj, True), connection)))
        lines.append("\t".join(row) + "\n")
    return "".join(lines).encode()


class Sealer:
    """A batch's rows being made (and sealed) by a forked process, which has the batch already
    and sends the rows back through a pipe. It never touches the database connection, and
    leaves with ``os._exit``, running none of the parent's clean-up. Without ``os.fork`` the
    rows are made at once, in this process."""

    def __init__(self, batch: Batch, connection: BaseDatabaseWrapper) -> None:
        self.batch = batch
        self.pid = 0
        self.rows: list[bytes] = []
        if not hasattr(os, "fork"):
            self.rows = [copy_rows(model, objs, connection) for model, objs in batch]
            return
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the sealing process
            status = 1
            try:
                os.close(read)
                rows = [copy_rows(model, objs, connection) for model, objs in batch]
                with open(write, "wb") as pipe:
                    for part in rows:
                        pipe.write(struct.pack(">Q", len(part)))
                        pipe.write(part)
                status = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(status)
        os.close(write)
        self.pipe = open(read, "rb")  # closed by result()

    def result(self) -> list[bytes]:
        if not self.pid:
            return self.rows
        try:
            for _ in self.batch:
                header = self.pipe.read(8)
                if len(header) < 8:
                    break
                self.rows.append(self.pipe.read(struct.unpack(">Q", header)[0]))
        finally:
            self.pipe.close()
            status = os.waitpid(self.pid, 0)[1]
        if status or len(self.rows) < len(self.batch):
            raise RuntimeError("seed_demo: a sealing process failed (its error is printed above)")
        return self.rows


class RowWriter:
    """Writes new rows with the values ``bulk_create`` would write. On PostgreSQL they are sent
    with COPY, in this connection's transaction, rather than built into INSERT statements; a
    forked process seals each batch while the next one is made, and the database stores them.
    The tables' foreign keys are checked as each COPY ends (not all at once at commit).
    Elsewhere ``bulk_create`` writes them. ``close()`` writes what is left."""

    def __init__(self, models: list[type[Model]]) -> None:
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.copying = self.connection.vendor == "postgresql"
        self.sealing: deque[Sealer] = deque()
        self.deferred: list[str] = []
        if self.copying:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT conname FROM pg_constraint WHERE contype = 'f' AND condeferred"
                    " AND conrelid = ANY(%s::regclass[])",
                    [[m._meta.db_table for m in models]],
                )
                self.deferred = [self.connection.ops.quote_name(name) for (name,) in cursor.fetchall()]
                self.set_constraints("IMMEDIATE")

    def set_constraints(self, when: str) -> None:
        if self.deferred:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {', '.join(self.deferred)} {when}")

    def write(self, batch: Batch) -> None:
        if not self.copying:
            for model, objs in batch:
                model._default_manager.bulk_create(objs)
            return
        self.sealing.append(Sealer(batch, self.connection))
        for _model, objs in batch:
            for obj in objs:
                obj._state.adding, obj._state.db = False, self.connection.alias
        while len(self.sealing) > SEALERS:
            self.copy(self.sealing.popleft())

    def copy(self, sealer: Sealer) -> None:
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            for (model, _objs), rows in zip(sealer.batch, sealer.result(), strict=True):
                fields = [f for f in model._meta.concrete_fields if not f.generated]
                columns = ", ".join(quote(f.column) for f in fields)
                sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
                cursor.cursor.copy_expert(sql, io.BytesIO(rows), size=1 << 20)

    def close(self) -> None:
        """Write the batches still being sealed, and check foreign keys at commit again."""
        while self.sealing:
            self.copy(self.sealing.popleft())
        self.set_constraints("DEFERRED")

    def abandon(self) -> None:
        """After an error: end the sealing processes still running (their rows are not needed)."""
        while self.sealing:
            sealer = self.sealing.popleft()
            if sealer.pid:
                sealer.pipe.close()
                os.waitpid(sealer.pid, 0)
