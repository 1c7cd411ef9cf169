"""What every access service shares: naming people in messages, and refusing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from access.models import (
    Conflict,
    User,
)
from records.models import Child, ChildCarer


def person_name(user: User) -> str:
    return user.get_full_name() or user.username


def is_conflicted(user: User, child: Child) -> bool:
    """A declared conflict, or a carer or relative of the child."""
    return (
        Conflict.objects.filter(child=child, user=user, cleared_at__isnull=True).exists()
        or ChildCarer.objects.filter(child=child, carer__user=user).exists()
    )


def require(allowed: bool) -> None:
    """Refuse (a 404 for the person, as for what does not exist) unless allowed."""
    if not allowed:
        raise PermissionDenied
