"""Writing audit entries. Callers run inside the transaction of what they record."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from audit import middleware
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
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
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
    )
