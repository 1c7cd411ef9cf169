"""Writing audit entries. Callers run inside the transaction of what they record."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from audit.models import AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_event(
    *,
    actor: Any,
    event: str,
    obj: models.Model,
    request: HttpRequest | None = None,
    child_id: Any = None,
    staff_member_id: Any = None,
    tier: str = "",
    reason: str = "",
) -> AuditEntry:
    """Record that `actor` did `event` to `obj`. The object's description is its
    type and id only: no personal data goes into the trail."""
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        object_repr=f"{obj._meta.verbose_name} {obj.pk}",
        action=AuditEntry.Action.ACCESS,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        event=event,
        child_id=child_id,
        staff_member_id=staff_member_id,
        tier=tier,
        reason=reason,
        remote_addr=client_ip(request),
    )
