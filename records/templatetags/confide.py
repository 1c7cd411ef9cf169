"""Template helpers for the staff pages."""

from __future__ import annotations

from typing import Any

from django import template

from access.models import User
from records.models import Child

register = template.Library()


def _discreet(context: template.Context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(getattr(user, "discreet_mode", False))


@register.simple_tag(takes_context=True)
def child_name(context: template.Context, child: Child, style: str = "display") -> str:
    """A child's name as a list shows it; initials only in discreet mode, for
    screens that others in a shared room might see."""
    if _discreet(context):
        return child.initials
    if style == "list":
        return f"{child.last_name}, {child.first_name}"
    return child.display_name


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def person_name(user: User | None) -> str:
    """How a person is named on staff pages: staff by their name, a parent or
    carer (whose login carries no name) by the name on their Carer record."""
    if user is None:
        return ""
    if getattr(user, "is_portal_user", False):
        carer = getattr(user, "carer", None)
        return f"{carer.full_name} (parent or carer)" if carer else "A parent or carer"
    return user.get_full_name() or user.username
