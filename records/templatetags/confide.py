"""Template helpers for the staff pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone

from access.models import User
from records import categories
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


@register.filter
def age(born: datetime.date | None) -> str:
    """A child's age in years and months, as settings say it: "3 years 4 months", "10 months"."""
    if not born:
        return ""
    today = timezone.localdate()
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    if months < 0:
        return ""
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months or not years:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts)


@register.filter
def as_label(question: str) -> str:
    return categories.as_label(question)
