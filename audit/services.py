"""Writing audit entries. Callers run inside the transaction of what they record."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.signals import pre_save
from django.http import HttpRequest

from audit import chain, middleware
from audit.context import current_request_id
from audit.models import AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    return None if request is None else middleware.client_ip(request)


def audit_event(
    *,
    actor: AbstractBaseUser | None,
    event: str,
    obj: models.Model | type[models.Model],
    request: HttpRequest | None = None,
    tier: str,
    child_id: uuid.UUID | None = None,
    staff_member_id: uuid.UUID | None = None,
    reason: str = "",
    additional_data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that `actor` did `event` to `obj` (a row, or a model for an event
    about many rows). The object's description is its type and id only: no
    personal data goes into the trail."""
    if isinstance(obj, models.Model):
        object_pk, object_repr = str(obj.pk), f"{obj._meta.verbose_name} {obj.pk}"
    else:
        object_pk, object_repr = "", str(obj._meta.verbose_name_plural)
    entry = AuditEntry(
        content_type_id=ContentType.objects.get_for_model(obj).pk,
        object_pk=object_pk,
        object_repr=object_repr,
        action=AuditEntry.Action.ACCESS,
        actor=actor if isinstance(actor, get_user_model()) and actor.is_authenticated else None,
        event=event,
        child_id=child_id,
        staff_member_id=staff_member_id,
        tier=tier,
        reason=reason,
        remote_addr=client_ip(request),
        additional_data=additional_data,
        request_id=current_request_id(),
    )
    _insert(entry)
    chain.seal_after_commit()
    return entry


def _insert(entry: AuditEntry) -> None:
    """One INSERT, without the ORM's save machinery: every page writes an entry,
    so this is on the path of every request. The id comes back with it. The
    row MAC is made as the ORM would make it (audit.models.RowMacField)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor not in ("postgresql", "sqlite"):
        entry.save()
        return
    # django-auditlog's middleware fills in the request's actor from this signal.
    pre_save.send(sender=AuditEntry, instance=entry, raw=False, using=DEFAULT_DB_ALIAS, update_fields=None)
    fields = _columns()
    # Each field's pre_save, as an ORM insert calls it: the row MAC is made here,
    # last (it is declared after the columns it covers).
    values = [field.get_db_prep_save(field.pre_save(entry, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection.vendor), values)
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False
    entry._state.db = DEFAULT_DB_ALIAS


@functools.cache
def _columns() -> list[models.Field[Any, Any]]:
    return [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]


@functools.cache
def _insert_sql(vendor: str) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    columns = ", ".join(quote(f.column) for f in _columns())
    marks = ", ".join(["%s"] * len(_columns()))
    table = quote(AuditEntry._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {quote('id')}"  # noqa: S608  # nosec B608
