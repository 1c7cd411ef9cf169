"""The home page's sign-in block: the way to one's own Two-factor page, the warning while
two-factor is off for some staff, and the way to sign-in help (unlocking, two-factor
resets) for those who give it."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from access import policy
from access.models import MANAGERS, User
from access.selectors import signin as selectors

register = template.Library()


@register.inclusion_tag("access/signin/home_block.html", takes_context=True)
def sign_in_block(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    facts = policy.facts_of(user)
    return {
        "signed_in": True,
        "two_factor_off": settings.TWO_FACTOR_REQUIRED_FOR != "all" and bool(facts.sites_with(*MANAGERS)),
        "helps": bool(selectors.sign_in_help_sites(facts)),
    }
