"""Who reads and writes the messages between a parent and the setting.

A parent or carer with parental responsibility and no court restriction (the portal's
rule) has their own conversation about each of their children; separated parents never
see each other's. On the staff side the child's key people and the site's management
and safeguarding leads read and answer them; others granted the file do not (these are
family conversations, not the record). Conflicts and where-and-when hold as for the file.
"""

from __future__ import annotations

from django.db.models import Q

from access.models import SITE_READERS
from access.policy.facts import Facts
from records.models import Child, Conversation


def staff_reads_messages(f: Facts, child: Child) -> bool:
    return (
        child.pk.hex not in f.conflicted
        and child.site_id not in f.closed_sites
        and (child.pk.hex in f.key_children or f.has_any(SITE_READERS, child.site_id))
    )


def staff_messages_q(f: Facts, *, child: str = "child_id", site: str = "child__site_id") -> Q:
    """Conversations (by default; paths for another model) whose child the person answers for."""
    if f.user_id is None:
        return Q(pk__in=[])
    readers = Q(**{f"{site}__in": list(f.sites_with(*SITE_READERS))}) | Q(
        **{f"{child}__in": list(f.key_children)}
    )
    return readers & ~Q(**{f"{child}__in": list(f.conflicted)}) & ~Q(**{f"{site}__in": list(f.closed_sites)})


def parent_reads_conversation(f: Facts, conversation: Conversation) -> bool:
    return (
        f.user_id is not None
        and conversation.carer.user_id == f.user_id
        and conversation.child_id.hex in f.portal_children
    )
