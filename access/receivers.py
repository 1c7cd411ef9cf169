"""Changes of role or site made outside the services (in the admin) are audited;
any change to someone's access makes this request read people's facts again.

Roles and sites decide who reads which files, so adding someone to the
manager group or to a site is as much a grant as a grant is. The admin
changes them through many-to-many fields, which only signals can see; the
request's actor is filled in by django-auditlog's middleware.
"""

from __future__ import annotations

from typing import Any

from auditlog.context import auditlog_disabled
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from access import policy
from access.models import (
    ChildUserObjectPermission,
    Conflict,
    Grant,
    KeyWorkerAssignment,
    StaffMemberUserObjectPermission,
    User,
)
from audit.models import Event, Tier
from audit.services import audit_event
from records.models import Carer, ChildCarer, Site, StaffMember

CHANGES = {"post_add": ("added", Event.GRANTED), "post_remove": ("removed", Event.REVOKED)}


def _names(model: type[Group] | type[Site], pks: set[Any] | None) -> str:
    return ", ".join(sorted(str(o) for o in model.objects.filter(pk__in=pks or ())))


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit_role_change")
def audit_role_change(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[Any] | None, **kwargs: Any
) -> None:
    if action not in CHANGES or auditlog_disabled.get():
        return
    verb, event = CHANGES[action]
    users = User.objects.filter(pk__in=pk_set) if reverse else [instance]
    roles = instance.name if reverse else _names(Group, pk_set)
    for user in users:
        member = StaffMember.objects.filter(user=user).only("pk").first()
        audit_event(
            actor=None,
            event=event,
            obj=user,
            tier=Tier.ACCESS,
            reason=f"Role {verb}: {roles}",
            staff_member_id=member.pk if member else None,
        )


@receiver(m2m_changed, sender=StaffMember.sites.through, dispatch_uid="audit_site_change")
def audit_site_change(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[Any] | None, **kwargs: Any
) -> None:
    if action not in CHANGES or auditlog_disabled.get():
        return
    verb, event = CHANGES[action]
    members = StaffMember.objects.filter(pk__in=pk_set).select_related("user") if reverse else [instance]
    sites = str(instance) if reverse else _names(Site, pk_set)
    for member in members:
        audit_event(
            actor=None,
            event=event,
            obj=member.user,
            staff_member_id=member.pk,
            tier=Tier.ACCESS,
            reason=f"Setting {verb}: {sites}",
        )


# --- a change to anyone's access: facts read during this request are read again ---

ACCESS_MODELS = (
    Grant,
    KeyWorkerAssignment,
    Conflict,
    ChildUserObjectPermission,
    StaffMemberUserObjectPermission,
    Carer,
    ChildCarer,
    StaffMember,
    User,
)


def forget_facts_on_change(sender: Any, **kwargs: Any) -> None:
    policy.forget_facts()


for model in ACCESS_MODELS:
    post_save.connect(
        forget_facts_on_change, sender=model, dispatch_uid=f"forget_facts_save_{model.__name__}"
    )
    post_delete.connect(
        forget_facts_on_change, sender=model, dispatch_uid=f"forget_facts_delete_{model.__name__}"
    )
for through in (User.groups.through, StaffMember.sites.through):
    m2m_changed.connect(
        forget_facts_on_change, sender=through, dispatch_uid=f"forget_facts_{through.__name__}"
    )
