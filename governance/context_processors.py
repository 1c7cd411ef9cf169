"""What every page says about the policies waiting for the person: the banner (on
the pages that read the person's facts anyway, which every file page does)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from access import policy
from access.models import User


def policies_to_read(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated or user.is_portal_user:
        return {}
    facts = policy.facts_if_read(user)
    if facts is None:
        return {}
    return {
        "policies_gated": facts.gated,
        "policies_waiting": len(facts.policies_unread | facts.policies_due),
    }
