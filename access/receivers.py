"""Any change to someone's access makes this request read people's facts again
(access/policy/facts.py), so a grant or revocation takes effect on the next query.

Roles are memberships, changed only through the access services, which audit
them; Django's groups give nothing, so changing them in the admin changes no
one's access.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from access import policy
from access.models import (
    ChildUserObjectPermission,
    Conflict,
    Grant,
    KeyWorkerAssignment,
    Membership,
    RoomAssignment,
    StaffMemberUserObjectPermission,
    User,
)
from records.models import Carer, ChildCarer, StaffMember

ACCESS_MODELS = (
    Membership,
    RoomAssignment,
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
