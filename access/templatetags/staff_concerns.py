"""In a child's safeguarding file: the concerns about staff that involve the child. Their
readers (case manager, HR) get a link; anyone else who reads the safeguarding file is
told only that there is one, held by HR, without naming it."""

from __future__ import annotations

from typing import Any

from django import template

from access.selectors import staff_concern_links_for_child, staff_concerns_for
from records.models import Child, StaffMember

register = template.Library()


@register.inclusion_tag("access/staff_concern_links.html", takes_context=True)
def staff_concern_links(context: dict[str, Any], child: Child) -> dict[str, Any]:
    readable, others = staff_concern_links_for_child(user=context["request"].user, child=child)
    return {"readable": readable, "others": others}


@register.inclusion_tag("access/staff_file_cases.html", takes_context=True)
def staff_file_cases(context: dict[str, Any], member: StaffMember) -> dict[str, Any]:
    """In a staff file: the concerns and allegations about its person that the reader
    handles (HR); never shown to the person themself (access/policy/staff_concerns.py)."""
    cases = list(staff_concerns_for(user=context["request"].user).filter(staff_member=member))
    return {"cases": cases, "member": member}
