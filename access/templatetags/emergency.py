"""The banner a child's file shows while someone reads it through emergency access."""

from __future__ import annotations

from typing import Any

from django import template

from access import policy
from access.selectors import open_break_glass_for
from records.models import Child

register = template.Library()


@register.inclusion_tag("access/emergency/banner.html", takes_context=True)
def emergency_access_banner(context: dict[str, Any], child: Child) -> dict[str, Any]:
    user = context["request"].user
    # Only someone with a grant on the file can be reading it through emergency access.
    granted = child.pk.hex in policy.facts_of(user).child_grants
    use = open_break_glass_for(user=user, child=child) if granted else None
    return {"emergency_access": use, "csrf_token": context.get("csrf_token")}
