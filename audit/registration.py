"""Registering models with django-auditlog so every change leaves an entry.

A field marked ``audit_masked`` (encrypted fields and the search indexes
derived from them) is recorded as "[changed]", never with its value. Models
say whose file a change belongs to through ``get_additional_data()``.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.registry import auditlog
from django.db.models import Model

# Fields that change on every sign-in or every look (when a message was read), or are secrets.
NEVER_RECORDED = {"last_login", "digest_sent_at", "read_at"}
# An account's username may be a name: it is recorded as changed, as the sealed names are.
ALWAYS_MASKED = {"password", "token_hash", "username"}


def register_models(models: Iterable[type[Model]]) -> None:
    for model in models:
        if auditlog.contains(model):
            continue
        names = {f.name for f in model._meta.concrete_fields}
        masked = sorted(
            {f.name for f in model._meta.concrete_fields if getattr(f, "audit_masked", False)}
            | (ALWAYS_MASKED & names)
        )
        auditlog.register(
            model,
            mask_fields=masked,
            exclude_fields=sorted(NEVER_RECORDED & names),
        )
