"""`{% submission_field %}`: the hidden one-time token of a form that creates something."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from submissions import tokens

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_field(context: dict[str, Any]) -> SafeString | str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', tokens.FIELD, tokens.issue(user))
