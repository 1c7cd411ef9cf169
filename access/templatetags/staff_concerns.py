"""In a child's safeguarding file: the concerns about staff that involve the child. Their
readers (case manager, HR) get a link; anyone else who reads the safeguarding file is
told only that there is one, held by HR, without naming it."""

from __future__ import annotations

from typing import Any

from django import template

from access.selectors import staff_concern_links_for_child
from records.models import Child

register = template.Library()


@register.inclusion_tag("access/staff_concern_links.html", takes_context=True)
def staff_concern_links(context: dict[str, Any], child: Child) -> dict[str, Any]:
    readable, others = staff_concern_links_for_child(user=context["request"].user, child=child)
    return {"readable": readable, "others": others}
