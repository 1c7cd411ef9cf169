"""A person's own settings."""

from __future__ import annotations

from django.db import transaction

from access.models import User


@transaction.atomic
def discreet_mode_set(*, actor: User, on: bool) -> None:
    """Initials instead of names in lists, for screens in shared rooms."""
    actor.discreet_mode = on
    actor.save(update_fields=["discreet_mode"])
