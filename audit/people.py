"""People in audit reasons: named by id, never by name (names are personal data, and
the trail is append-only). The pages that show the trail put the names back."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable

from django.contrib.auth.base_user import AbstractBaseUser

_REFERENCE = re.compile(r"person ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


def person_ref(user: AbstractBaseUser) -> str:
    """How a reason names someone: "person <id>"."""
    return f"person {user.pk}"


def people_named(reasons: Iterable[str]) -> set[uuid.UUID]:
    """The ids of the people these reasons name."""
    return {uuid.UUID(found) for reason in reasons for found in _REFERENCE.findall(reason or "")}


def with_names(reason: str, name_of: Callable[[uuid.UUID], str]) -> str:
    """The reason as a reader sees it: each "person <id>" replaced by that person's name."""
    return _REFERENCE.sub(lambda match: name_of(uuid.UUID(match.group(1))), reason or "")
