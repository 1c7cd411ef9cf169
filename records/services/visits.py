"""When someone last opened a child's file (for "what changed since you last looked")."""

from __future__ import annotations

from django.utils import timezone

from access.models import User
from records.models import Child, FileVisit


def file_visited(*, user: User, child: Child) -> None:
    """One statement, whether or not they looked before (an upsert on person and child)."""
    FileVisit.objects.bulk_create(
        [FileVisit(user=user, child=child, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "child"],
        update_fields=["seen_at"],
    )
